from django.urls import path

from talang.guidance import (
    compliance_views,
    mail_views,
    merge_views,
    personal_data_views,
    review_views,
    template_views,
    views,
)

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("search/", views.search, name="search"),
    path("households/<str:reference>/", views.household_card, name="household-card"),
    path("households/<str:reference>/edit/", views.household_edit, name="household-edit"),
    path("households/<str:reference>/activities/", views.activity_create, name="activity-create"),
    path("households/<str:reference>/status/", views.status_change, name="status-change"),
    path("households/<str:reference>/assign/", views.assign, name="household-assign"),
    path("households/<str:reference>/hand-over/", views.hand_over, name="household-hand-over"),
    path("households/<str:reference>/follow-ups/", views.follow_up_create, name="follow-up-create"),
    path(
        "households/<str:reference>/registrations/<int:pk>/add-detail/",
        views.unconfirmed_add,
        name="unconfirmed-add",
    ),
    path(
        "households/<str:reference>/registrations/<int:pk>/decline-detail/",
        views.unconfirmed_decline,
        name="unconfirmed-decline",
    ),
    path(
        "households/<str:reference>/follow-ups/<int:pk>/done/",
        views.follow_up_complete,
        name="follow-up-done",
    ),
    path(
        "households/<str:reference>/personal-data/",
        personal_data_views.household_personal_data,
        name="household-personal-data",
    ),
    path(
        "households/<str:reference>/erase/",
        personal_data_views.household_erase_view,
        name="household-erase",
    ),
    path("staff/move-review/", review_views.move_review, name="move-review"),
    path("staff/compliance/", compliance_views.compliance, name="compliance"),
    path("households/<str:reference>/merge/", merge_views.household_merge, name="household-merge"),
    path("households/<str:reference>/email/", mail_views.household_email, name="household-email"),
    path(
        "households/<str:reference>/email/upload/",
        mail_views.email_upload,
        name="household-email-upload",
    ),
    path("staff/email-templates/", template_views.email_templates, name="email-templates"),
    path(
        "staff/email-templates/<str:name>/<str:language>/",
        template_views.email_template_edit,
        name="email-template-edit",
    ),
    path("staff/inbox/", mail_views.inbox, name="inbox"),
    path("staff/inbox/<int:pk>/attach/", mail_views.inbox_attach, name="inbox-attach"),
    path("staff/inbox/<int:pk>/dismiss/", mail_views.inbox_dismiss, name="inbox-dismiss"),
]
