from django.http import HttpRequest, HttpResponse


def bare(request: HttpRequest) -> HttpResponse:
    """The baseline: the full middleware stack and nothing else. Mounted only for `make bench`."""
    return HttpResponse("ok", content_type="text/plain")
