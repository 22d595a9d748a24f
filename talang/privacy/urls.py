from django.urls import path

from talang.privacy import views

urlpatterns = [
    path("staff/access-log/", views.access_log_view, name="access-log"),
]
