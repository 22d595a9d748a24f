from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

PUBLIC_POSTS = ("/api/v1/registrations", "/forms/")


class IntakeBodyLimitMiddleware:
    """Refuse an oversized public post with 413 before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path.startswith(PUBLIC_POSTS):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.TALANG_INTAKE_MAX_BODY_BYTES:
                return JsonResponse({"detail": _("The body is too large.")}, status=413)
        return self.get_response(request)
