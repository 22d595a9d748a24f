"""The quarterly report as PDF: the print template rendered by WeasyPrint.

Tagged (PDF/UA), with the document's language and title set, and with nothing fetched from
outside: the stylesheet is inside the template and the fonts are the system's (DejaVu).
"""

from django.template.loader import render_to_string
from django.utils import translation

from talang.reporting.report import QuarterlyReport


def report_pdf(*, report: QuarterlyReport) -> bytes:
    """The report as PDF bytes, in the active language."""
    # Imported here: WeasyPrint loads pango when imported, and only this function needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "reporting/report_print.html",
        {"report": report, "language": translation.get_language()},
    )
    # Only data: URLs, so a link that slips into the template is never followed.
    fetcher = URLFetcher(allowed_protocols=["data"])
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
