from django.contrib import admin
from django.urls import include, path

from talang import views
from talang.api.api import api

urlpatterns = [
    path("", include("talang.accounts.urls")),
    path("", include("talang.intake.urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("language/", views.set_language, name="set-language"),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
