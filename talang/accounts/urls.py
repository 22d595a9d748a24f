from django.urls import path

from talang.accounts import views

urlpatterns = [
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/login/code/", views.login_verify, name="login-verify"),
    path("accounts/login/authenticator/", views.login_enrol, name="login-enrol"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "accounts/reset/sent/",
        views.auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_sent.html"
        ),
        name="password-reset-sent",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/reset/done/",
        views.auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
        name="password-reset-done",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path("", views.home, name="home"),
    path("account/security/", views.security, name="security"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("staff/users/", views.users, name="users"),
    path("staff/users/invite/", views.user_invite, name="user-invite"),
    path("staff/users/<int:pk>/", views.user_detail, name="user"),
    path("staff/users/<int:pk>/active/", views.user_active, name="user-active"),
    path(
        "staff/users/<int:pk>/second-factor/reset/",
        views.user_second_factor_reset,
        name="user-second-factor-reset",
    ),
    path(
        "staff/users/<int:pk>/invitation/",
        views.user_invitation_resend,
        name="user-invitation-resend",
    ),
    path("healthz", views.healthz, name="healthz"),
]
