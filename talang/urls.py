from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from talang import views
from talang.api.api import api

# Django's admin site asks for the same second factor as every staff page.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("talang.accounts.urls")),
    path("", include("talang.intake.urls")),
    path("", include("talang.guidance.urls")),
    path("", include("talang.privacy.urls")),
    path("", include("talang.reporting.urls")),
    path("", include("talang.outreach.urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("language/", views.set_language, name="set-language"),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

if settings.TALANG_BENCH:
    # The baseline that `make bench` compares the intake with; never mounted otherwise.
    from talang.bench.views import bare

    urlpatterns.append(path("bench/bare", bare))

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
