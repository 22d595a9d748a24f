from django.urls import path

from talang.privacy import views

urlpatterns = [
    path("staff/access-log/", views.access_log_view, name="access-log"),
    path("staff/retention/", views.retention_view, name="retention"),
    path("staff/retention/rule/", views.retention_rule_view, name="retention-rule"),
    path("staff/retention/preview/", views.retention_preview_view, name="retention-preview"),
    path(
        "staff/retention/<int:pk>/approve/", views.retention_approve_view, name="retention-approve"
    ),
    path(
        "staff/records-of-processing/",
        views.records_of_processing_view,
        name="records-of-processing",
    ),
]
