from django.urls import path

from talang.intake import staff_views, views

urlpatterns = [
    path("forms/", views.start, name="intake-start"),
    path("forms/<slug:kind>/", views.start, name="intake-start-kind"),
    path("forms/<str:language>/<slug:kind>/", views.public_form, name="intake-form"),
    path(
        "forms/<str:language>/<slug:kind>/<str:code>/",
        views.public_form,
        name="intake-form-municipality",
    ),
    path("thanks/<str:language>/<str:token>/", views.thanks, name="intake-thanks"),
    path("appearance/<str:code>/theme.css", views.theme, name="intake-theme"),
    path("appearance/<str:code>/logo", views.logo, name="intake-logo"),
    path("newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter-confirm"),
    path(
        "newsletter/preferences/<str:token>/",
        views.newsletter_preferences,
        name="newsletter-preferences",
    ),
    path("accessibility/<str:language>/", views.accessibility, name="accessibility-public"),
    path("my-data/", views.my_data_request, name="my-data-request"),
    path("my-data/<str:token>/", views.my_data, name="my-data"),
    path("staff/forms/", staff_views.embed, name="intake-embed"),
    path("staff/forms/<str:code>/appearance/", staff_views.appearance, name="intake-appearance"),
    path("staff/submissions/", staff_views.submissions, name="intake-submissions"),
    path("staff/submissions/replay/", staff_views.submissions_replay, name="intake-replay"),
]
