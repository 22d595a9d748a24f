"""E-mail on the contact card (compose, template, .eml upload) and the inbox of messages to
the drop address that matched no household."""

import contextlib

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talang.accounts.access import staff_required
from talang.accounts.models import Role
from talang.contacts.models import Person
from talang.guidance import mail, selectors, views
from talang.guidance.access import household_for_user, inbound_for_user
from talang.guidance.mail_forms import (
    MAX_EML_BYTES,
    AttachForm,
    ComposeForm,
    TemplateForm,
    UploadForm,
)
from talang.privacy.services import access_log_write

WRITERS = (Role.GUIDE, Role.COORDINATOR)


def recipients(household) -> list[Person]:
    return list(Person.objects.filter(household=household).exclude(email="").order_by("pk"))


def _card(request, household, case, *, status: int, **forms) -> HttpResponse:
    context = {**views._card_context(request, household, case), **forms}
    return render(request, "guidance/card.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required(*WRITERS)
def household_email(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: the card with the e-mail form filled in from one of the region's templates.
    POST: send the e-mail."""
    household, case = household_for_user(user=request.user, reference=reference, write=True)
    people = recipients(household)
    if request.method == "POST":
        return _send(request, household, case, people)
    access_log_write(user=request.user, household=household)
    template_form = TemplateForm(request.GET)
    if not template_form.is_valid():
        return _card(request, household, case, status=400, template_form=template_form)
    person = people[0] if people else None
    subject, body = mail.email_template_render(
        name=template_form.cleaned_data["template"],
        household=household,
        case=case,
        person=person,
        guide=request.user,
    )
    email_form = ComposeForm(
        recipients=people,
        initial={"person": person.pk if person else None, "subject": subject, "body": body},
    )
    return _card(
        request, household, case, status=200, template_form=template_form, email_form=email_form
    )


def _send(request, household, case, people) -> HttpResponse:
    form = ComposeForm(request.POST, recipients=people)
    if not form.is_valid():
        return _card(request, household, case, status=400, email_form=form)
    mail.email_compose_send(household=household, case=case, by=request.user, **form.cleaned_data)
    messages.success(request, _("The e-mail is on its way and on the timeline."))
    return redirect("household-card", reference=household.reference)


class _SizeLimit(FileUploadHandler):
    """Stops reading an upload past the limit, before all of it is on disk."""

    too_large = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_EML_BYTES:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt  # checked below, once the size limit is in place (Django's documented pattern)
@require_POST
@staff_required(*WRITERS)
def email_upload(request: HttpRequest, reference: str) -> HttpResponse:
    limit = _SizeLimit(request)
    with contextlib.suppress(AttributeError):  # the body was read already: the form checks
        request.upload_handlers.insert(0, limit)
    return _email_upload(request, reference, limit)


@csrf_protect
def _email_upload(request: HttpRequest, reference: str, limit: _SizeLimit) -> HttpResponse:
    household, case = household_for_user(user=request.user, reference=reference, write=True)
    data, files = request.POST, request.FILES  # reading the body runs the size limit
    form = UploadForm(data, files, too_large=limit.too_large)
    if not form.is_valid():
        return _card(request, household, case, status=400, upload_form=form)
    _inbound, added = mail.email_upload(
        raw_bytes=form.cleaned_data["eml"], household=household, by=request.user
    )
    if added:
        messages.success(request, _("The e-mail is on the timeline."))
    else:
        messages.info(request, _("This e-mail is already on the timeline."))
    return redirect("household-card", reference=reference)


def _inbox(request, *, status: int = 200, bound: AttachForm | None = None, pk=None):
    page = Paginator(selectors.inbox(user=request.user), 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for row in rows:
        row.attach_form = bound if row.pk == pk else AttachForm(pk=row.pk)
    context = {"page": page, "rows": rows, "drop_address": settings.TALANG_DROP_ADDRESS}
    return render(request, "guidance/inbox.html", context, status=status)


@require_GET
@staff_required(*WRITERS)
def inbox(request: HttpRequest) -> HttpResponse:
    return _inbox(request)


@require_POST
@staff_required(*WRITERS)
def inbox_attach(request: HttpRequest, pk: int) -> HttpResponse:
    inbound = inbound_for_user(user=request.user, pk=pk)
    form = AttachForm(request.POST, pk=pk)
    if form.is_valid():
        reference = form.cleaned_data["reference"]
        try:
            household, _case = household_for_user(
                user=request.user, reference=reference, write=True
            )
        except Http404:
            form.add_error("reference", _("No household has this reference."))
        else:
            try:
                mail.email_attach(inbound=inbound, household=household, by=request.user)
            except mail.AlreadyHandled:
                messages.info(request, _("Someone else has already taken care of this e-mail."))
            else:
                messages.success(request, _("The e-mail is on the household's timeline."))
            return redirect("inbox")
    return _inbox(request, status=400, bound=form, pk=pk)


@require_POST
@staff_required(*WRITERS)
def inbox_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    inbound = inbound_for_user(user=request.user, pk=pk)
    try:
        mail.email_dismiss(inbound=inbound, by=request.user)
    except mail.AlreadyHandled:
        messages.info(request, _("Someone else has already taken care of this e-mail."))
    else:
        messages.success(request, _("The e-mail is dismissed and its text deleted."))
    return redirect("inbox")
