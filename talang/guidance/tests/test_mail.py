"""E-mail from and into the contact card: compose and send, the drop mailbox (a real dovecot
started by the tests), the inbox of unmatched messages, and .eml uploads."""

import email.policy
import grp
import imaplib
import io
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail as outbox
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.urls import reverse

from talang.accounts.models import Region, Role
from talang.contacts.models import Household, Person
from talang.guidance import mail, mailbox
from talang.guidance.models import Activity, GuidanceCase, InboundEmail
from talang.guidance.tests.factories import register
from talang.lib import env, schedule
from talang.reporting.models import StatEvent
from talang.testing import make_user

pytestmark = pytest.mark.django_db

DROP = "inbox@talang.example.org"


@pytest.fixture(autouse=True)
def _drop_address(settings):
    settings.TALANG_DROP_ADDRESS = DROP
    settings.TALANG_IMAP = None


def message(
    *,
    sender: str,
    to: str = DROP,
    subject: str = "Frågor om flytten",
    body: str = "Hej! Finns det lediga lägenheter i Östersund?",
    message_id: str | None = None,
    cc: str = "",
) -> bytes:
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Date"] = "Mon, 23 Nov 2026 08:30:00 +0100"
    msg["Message-ID"] = message_id or make_msgid(domain="example.org")
    msg.set_content(body)
    return msg.as_bytes()


def in_english(client):
    """Staff pages are Swedish by default; the English texts are the sources, always there."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def email_url(household) -> str:
    return reverse("household-email", kwargs={"reference": household.reference})


def upload_url(household) -> str:
    return reverse("household-email-upload", kwargs={"reference": household.reference})


# --- compose and send --------------------------------------------------------------------


def test_it_sends_from_the_card_in_the_households_language_and_meets_the_first_response(
    personas, client_for, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        household = register(personas.region, first_name="Åsa", email="asa@example.org")
        Household.objects.filter(pk=household.pk).update(language="de")
        person = Person.objects.get(household=household)
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(personas.anna).post(
                email_url(household),
                {
                    "person": person.pk,
                    "subject": "Willkommen in Jämtland",
                    "body": "Hallo Åsa,\nwann passt ein Anruf? Tom & Jerry's Grüße",
                },
            )
    assert response.status_code == 302
    [sent] = outbox.outbox
    assert sent.to == ["asa@example.org"]
    assert sent.subject.endswith("Willkommen in Jämtland")
    assert sent.reply_to == [personas.anna.email, DROP]
    assert "Tom & Jerry's Grüße" in sent.body  # the guide's text as typed, not HTML-escaped
    html, _type = sent.alternatives[0]
    assert '<html lang="de">' in html
    entry = Activity.objects.get(household=household, kind="email_out")
    assert (entry.author, entry.person, entry.data["subject"]) == (
        personas.anna,
        person,
        "Willkommen in Jämtland",
    )
    assert "wann passt ein Anruf?" in entry.body
    case = GuidanceCase.objects.get(household=household)
    assert case.first_response_at is not None and case.status == "contacted"
    assert StatEvent.objects.filter(kind="first_response_on_time").count() == 1
    page = client_for(personas.anna).get(
        reverse("household-card", kwargs={"reference": household.reference})
    )
    assert "Willkommen in Jämtland" in page.content.decode()


def test_it_fills_in_the_regions_template_in_the_households_language(personas, client_for):
    household = register(personas.region, first_name="Åsa", email="asa@example.org")
    Household.objects.filter(pk=household.pk).update(language="de")
    response = client_for(personas.anna).get(email_url(household), {"template": "first-contact"})
    assert response.status_code == 200
    form = response.context["email_form"]
    assert form.initial["body"].startswith("Hallo Åsa,")
    assert "Anna Andersson" in form.initial["body"]
    assert form.initial["person"] == Person.objects.get(household=household).pk
    assert "Hallo Åsa," in response.content.decode()
    bad = client_for(personas.anna).get(email_url(household), {"template": "spam"})
    assert bad.status_code == 400
    assert "template" in bad.context["template_form"].errors


def test_bengt_cannot_send_from_annas_household(personas, client_for):
    household = register(personas.region, municipality="2380", email="asa@example.org")
    person = Person.objects.get(household=household)
    data = {"person": person.pk, "subject": "Hej", "body": "Hej Åsa"}
    assert client_for(personas.bengt).post(email_url(household), data).status_code == 403
    assert client_for(personas.dan).post(email_url(household), data).status_code == 403
    assert client_for(personas.eva).post(email_url(household), data).status_code == 403
    assert not Activity.objects.filter(kind="email_out").exists()
    assert outbox.outbox == []


def test_it_names_the_fields_of_a_bad_email(personas, client_for):
    household = register(personas.region, email="asa@example.org")
    stranger = Person.objects.get(household=register(personas.region))
    client = client_for(personas.anna)
    response = client.post(email_url(household), {"person": stranger.pk, "subject": " "})
    assert response.status_code == 400
    assert set(response.context["email_form"].errors) == {"person", "subject", "body"}
    response = client.post(
        email_url(household), {"person": "x", "subject": "a" * 201, "body": "b" * 10001}
    )
    assert set(response.context["email_form"].errors) == {"person", "subject", "body"}
    assert 'href="#email_subject"' in response.content.decode()
    assert not Activity.objects.filter(kind="email_out").exists()


def test_a_household_without_an_email_address_gets_no_form(personas, client_for):
    household = register(personas.region, email="", phone="+46701234567", channel="phone")
    page = client_for(personas.anna).get(
        reverse("household-card", kwargs={"reference": household.reference})
    )
    assert "email_subject" not in page.content.decode()


# --- in: matching ------------------------------------------------------------------------


def test_it_puts_a_reply_on_the_card_of_the_household_it_came_from(personas, client_for):
    household = register(personas.region, first_name="Åsa", email="asa@example.org")
    other = register(personas.region, email="bo@example.org")
    raw = message(
        sender="Åsa Öberg <Asa@Example.org>",
        to=f"Anna <{personas.anna.email}>",
        cc=DROP,
        subject="Sv: Välkommen",
        body="Tack, ring gärna på torsdag!\n\nOn Mon, Anna wrote:\n> Välkommen!\n> Anna\n",
    )
    result = mail.email_ingest(raw_bytes=raw, source="imap")
    assert result.created and result.households == [household]
    entry = Activity.objects.get(kind="email_in")
    assert entry.household == household
    assert entry.person == Person.objects.get(household=household)
    assert entry.author is None
    assert entry.body == "Tack, ring gärna på torsdag!"  # the quoted message is left out
    assert entry.data["subject"] == "Sv: Välkommen"
    assert not Activity.objects.filter(household=other, kind="email_in").exists()
    # A reply is not a contact the guide made.
    assert GuidanceCase.objects.get(household=household).first_response_at is None
    inbound = InboundEmail.objects.get()
    assert (inbound.state, inbound.household, inbound.region) == (
        "matched",
        household,
        personas.region,
    )
    card = client_for(personas.anna).get(
        reverse("household-card", kwargs={"reference": household.reference})
    )
    assert "Tack, ring gärna på torsdag!" in card.content.decode()


def test_a_guides_own_message_in_bcc_is_an_email_out_that_meets_the_first_response(personas):
    household = register(personas.region, email="asa@example.org")
    raw = message(sender=f"Anna Andersson <{personas.anna.email}>", to="asa@example.org")
    mail.email_ingest(raw_bytes=raw, source="imap")
    entry = Activity.objects.get(household=household)
    assert (entry.kind, entry.author) == ("email_out", personas.anna)
    assert GuidanceCase.objects.get(household=household).first_response_at is not None


def test_a_forwarded_reply_is_matched_by_the_addresses_in_its_text(personas):
    household = register(personas.region, email="asa@example.org")
    body = (
        "Se nedan.\n\n---------- Vidarebefordrat meddelande ---------\n"
        "Från: Åsa Öberg <asa@example.org>\nÄmne: Förskola\n\nFinns det plats i höst?"
    )
    raw = message(sender=personas.anna.email, subject="VB: Förskola", body=body)
    mail.email_ingest(raw_bytes=raw, source="imap")
    entry = Activity.objects.get(household=household)
    assert (entry.kind, entry.author) == ("email_in", personas.anna)
    assert "Finns det plats i höst?" in entry.body


def test_it_ignores_a_message_it_already_has(personas):
    household = register(personas.region, email="asa@example.org")
    raw = message(sender="asa@example.org", message_id="<once@example.org>")
    assert mail.email_ingest(raw_bytes=raw, source="imap").created
    assert not mail.email_ingest(raw_bytes=raw, source="imap").created
    assert Activity.objects.filter(household=household, kind="email_in").count() == 1
    # Without a Message-ID the same bytes are still the same message.
    bare = b"From: asa@example.org\r\nSubject: Hej\r\n\r\nUtan id\r\n"
    assert mail.email_ingest(raw_bytes=bare, source="imap").created
    assert not mail.email_ingest(raw_bytes=bare, source="imap").created
    assert InboundEmail.objects.count() == 2


def test_it_reads_html_only_and_odd_messages_without_failing(personas):
    household = register(personas.region, email="asa@example.org")
    msg = EmailMessage()
    msg["From"] = "asa@example.org"
    msg["Subject"] = "=?unknown-8bit?q?Hej?="
    msg.set_content("<p>Hej &amp; tack!</p><script>alert(1)</script>", subtype="html")
    mail.email_ingest(raw_bytes=msg.as_bytes(), source="imap")
    assert "Hej & tack!" in Activity.objects.get(household=household).body
    # Not an e-mail at all, from the mailbox: kept for a guide to look at, never a crash.
    result = mail.email_ingest(raw_bytes=b"\x89PNG\r\n\x1a\n\x00\x00", source="imap")
    assert result.inbound.state == "unmatched"


# --- in: the inbox of unmatched messages -------------------------------------------------


def test_unmatched_mail_waits_in_the_inbox_until_a_guide_attaches_it(personas, client_for):
    household = register(personas.region, municipality="2380", email="asa@example.org")
    raw = message(sender="Okänd <asa.privat@example.net>", subject="Min nya adress")
    result = mail.email_ingest(raw_bytes=raw, source="imap")
    inbound = result.inbound
    assert (inbound.state, inbound.region) == ("unmatched", personas.region)
    anna = client_for(personas.anna)
    assert "Min nya adress" in anna.get(reverse("inbox")).content.decode()
    assert "Min nya adress" in client_for(personas.cecilia).get(reverse("inbox")).content.decode()
    for user in (personas.dan, personas.eva, personas.filip):
        assert client_for(user).get(reverse("inbox")).status_code == 403
    attach = reverse("inbox-attach", kwargs={"pk": inbound.pk})
    # Bengt may not write to Anna's household.
    assert (
        client_for(personas.bengt).post(attach, {"reference": household.reference}).status_code
        == 403
    )
    bad = anna.post(attach, {"reference": "H00000000"})
    assert bad.status_code == 400
    assert bad.context["rows"][0].attach_form.errors["reference"]
    response = anna.post(attach, {"reference": household.reference.lower()})
    assert response.status_code == 302
    entry = Activity.objects.get(household=household, kind="email_in")
    assert (entry.author, entry.data["subject"]) == (personas.anna, "Min nya adress")
    inbound.refresh_from_db()
    assert (inbound.state, inbound.household, inbound.handled_by) == (
        "attached",
        household,
        personas.anna,
    )
    assert "Min nya adress" not in anna.get(reverse("inbox")).content.decode()
    assert anna.post(attach, {"reference": household.reference}).status_code == 404


def test_another_regions_staff_do_not_see_the_inbox(personas, client_for):
    mail.email_ingest(raw_bytes=message(sender="x@example.net", subject="Hemligt"), source="imap")
    other = Region.objects.create(name="Region Gävleborg", code="21")
    stranger = make_user("s@example.org", "Stina", Role.COORDINATOR, None, other)
    page = client_for(stranger).get(reverse("inbox"))
    assert page.status_code == 200 and "Hemligt" not in page.content.decode()
    pk = InboundEmail.objects.get().pk
    url = reverse("inbox-dismiss", kwargs={"pk": pk})
    assert client_for(stranger).post(url).status_code == 404
    # With two regions, an unmatched message goes to the region of the guide it involves.
    raw = message(sender="y@example.net", to=stranger.email, subject="Till Gävleborg")
    assert mail.email_ingest(raw_bytes=raw, source="imap").inbound.region == other
    assert "Till Gävleborg" in client_for(stranger).get(reverse("inbox")).content.decode()
    assert "Till Gävleborg" not in client_for(personas.anna).get(reverse("inbox")).content.decode()


def test_a_guide_dismisses_junk_and_its_text_is_deleted(personas, client_for):
    result = mail.email_ingest(
        raw_bytes=message(sender="spam@example.net", subject="Vinn", message_id="<spam@x>"),
        source="imap",
    )
    response = client_for(personas.anna).post(
        reverse("inbox-dismiss", kwargs={"pk": result.inbound.pk})
    )
    assert response.status_code == 302
    inbound = InboundEmail.objects.get()
    assert (inbound.state, inbound.subject, inbound.body, inbound.from_address) == (
        "dismissed",
        "",
        "",
        "",
    )
    again = message(sender="spam@example.net", message_id="<spam@x>")
    assert not mail.email_ingest(raw_bytes=again, source="imap").created


def test_the_inbox_uses_the_same_number_of_queries_for_3_and_30_messages(
    personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.anna)
    for number in range(3):
        mail.email_ingest(raw_bytes=message(sender=f"u{number}@example.net"), source="imap")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("inbox"))
    for number in range(3, 30):
        mail.email_ingest(raw_bytes=message(sender=f"u{number}@example.net"), source="imap")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("inbox"))


def test_the_inbox_is_in_the_navigation_of_guides_and_coordinators(personas, client_for):
    page = client_for(personas.anna).get(reverse("home")).content.decode()
    assert f'href="{reverse("inbox")}"' in page
    page = client_for(personas.dan).get(reverse("home")).content.decode()
    assert f'href="{reverse("inbox")}"' not in page


# --- .eml upload -------------------------------------------------------------------------


def test_it_adds_an_uploaded_eml_file_to_the_card_once(personas, client_for):
    household = register(personas.region, email="asa@example.org")
    raw = message(sender="asa@example.org", subject="Gammalt svar", message_id="<old@x>")
    client = in_english(client_for(personas.anna))
    response = client.post(upload_url(household), {"eml": SimpleUploadedFile("svar.eml", raw)})
    assert response.status_code == 302
    entry = Activity.objects.get(household=household, kind="email_in")
    assert (entry.author, entry.data["subject"]) == (personas.anna, "Gammalt svar")
    assert InboundEmail.objects.get().state == "attached"
    response = client.post(
        upload_url(household), {"eml": SimpleUploadedFile("svar.eml", raw)}, follow=True
    )
    assert Activity.objects.filter(household=household, kind="email_in").count() == 1
    assert [str(m) for m in response.context["messages"]][-1] == (
        "This e-mail is already on the timeline."
    )


def test_an_upload_attaches_a_message_waiting_in_the_inbox(personas, client_for):
    household = register(personas.region, email="asa@example.org")
    raw = message(sender="okand@example.net", message_id="<waiting@x>")
    mail.email_ingest(raw_bytes=raw, source="imap")
    response = client_for(personas.anna).post(
        upload_url(household), {"eml": SimpleUploadedFile("svar.eml", raw)}
    )
    assert response.status_code == 302
    assert InboundEmail.objects.get().state == "attached"
    assert Activity.objects.filter(household=household, kind="email_in").count() == 1


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This file is not an e-mail."),
        (b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n", "This file is not an e-mail."),
        ("Inköpslista: mjölk, bröd".encode(), "This file is not an e-mail."),
        (b"", "The submitted file is empty."),
        (b"From: a@example.org\r\nTo: b@example.org\r\n\r\n" + b"x" * (5 * 1024 * 1024), "5 MB"),
    ],
)
def test_an_upload_that_is_not_an_email_gets_a_clear_error(personas, client_for, content, error):
    household = register(personas.region, email="asa@example.org")
    response = in_english(client_for(personas.anna)).post(
        upload_url(household), {"eml": SimpleUploadedFile("fil.eml", content)}
    )
    assert response.status_code == 400
    [message_text] = response.context["upload_form"].errors["eml"]
    assert error in message_text
    assert 'href="#eml_eml"' in response.content.decode()
    assert not InboundEmail.objects.exists()


def test_bengt_cannot_upload_to_annas_household(personas, client_for):
    household = register(personas.region, municipality="2380", email="asa@example.org")
    raw = message(sender="asa@example.org")
    response = client_for(personas.bengt).post(
        upload_url(household), {"eml": SimpleUploadedFile("svar.eml", raw)}
    )
    assert response.status_code == 403
    assert not InboundEmail.objects.exists()


# --- settings, task and command ----------------------------------------------------------


def test_it_reads_the_mailbox_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("TALANG_IMAP_URL", "imaps://drop%40x.se:p%3Ass@mail.example.org/Talang")
    assert env.env_imap("TALANG_IMAP_URL") == {
        "host": "mail.example.org",
        "port": 993,
        "user": "drop@x.se",
        "password": "p:ss",
        "folder": "Talang",
        "implicit_tls": True,
        "cafile": "",
    }
    monkeypatch.setenv("TALANG_IMAP_URL", "imap://u:p@mail.example.org")
    config = env.env_imap("TALANG_IMAP_URL")
    assert (config["port"], config["implicit_tls"], config["folder"]) == (143, False, "INBOX")
    monkeypatch.setenv("TALANG_IMAP_URL", "")
    assert env.env_imap("TALANG_IMAP_URL") is None
    for bad in ("pop3://u:p@h", "imaps://h", "imaps://u:p@h:x", "imaps://u:p@h?cafile=/nope"):
        monkeypatch.setenv("TALANG_IMAP_URL", bad)
        with pytest.raises(env.SettingError, match=r"^TALANG_IMAP_URL: "):
            env.env_imap("TALANG_IMAP_URL")
    monkeypatch.setenv("TALANG_DROP_ADDRESS", " Inbox@Talang.Example.org ")
    assert env.env_email_address("TALANG_DROP_ADDRESS") == "inbox@talang.example.org"
    monkeypatch.setenv("TALANG_DROP_ADDRESS", "not an address")
    with pytest.raises(env.SettingError, match=r"^TALANG_DROP_ADDRESS: "):
        env.env_email_address("TALANG_DROP_ADDRESS")


def test_the_command_reads_saved_messages(personas, tmp_path):
    household = register(personas.region, email="asa@example.org")
    path = tmp_path / "svar.eml"
    path.write_bytes(message(sender="asa@example.org"))
    output = io.StringIO()
    call_command("talang_mailbox", "ingest", str(path), stdout=output)
    assert output.getvalue() == f"{path}: stored, matched, 1 households\n"
    assert Activity.objects.filter(household=household, kind="email_in").exists()
    with pytest.raises(CommandError, match=r"nope\.eml: No such file"):
        call_command("talang_mailbox", "ingest", str(tmp_path / "nope.eml"))


def test_without_a_mailbox_the_job_does_nothing_and_the_command_says_why():
    from talang.guidance.tasks import mailbox_poll

    assert schedule.Job("talang.guidance.tasks.mailbox_poll", every=60) in schedule.JOBS
    assert mailbox.mailbox_poll() is None
    mailbox_poll.enqueue()
    with pytest.raises(CommandError, match="TALANG_IMAP_URL is not set"):
        call_command("talang_mailbox", "poll")


# --- the drop mailbox on a real IMAP server ----------------------------------------------

DOVECOT = shutil.which("dovecot") or next(
    (path for path in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.path.exists(path)),
    None,
)
DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
# The test signs in with a wrong password on purpose: answer at once.
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    """A dovecot of its own, unprivileged, in a temporary folder, on free localhost ports,
    with one mailbox user and TLS from a certificate made for the test."""

    USER, PASSWORD = "drop", "secret-for-the-test"

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="talang-dovecot-"))
        # As root, dovecot runs as nobody (it refuses to let root log in to a mailbox).
        account = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
        self.imap_port, self.imaps_port = _free_port(), _free_port()
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
                *("-keyout", self.root / "key.pem", "-out", self.root / "cert.pem"),
                *("-subj", "/CN=localhost"),
                *("-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
            ],
            check=True,
            capture_output=True,
        )
        (self.root / "passwd").write_text(f"{self.USER}:{{PLAIN}}{self.PASSWORD}\n")
        (self.root / "home").mkdir()
        (self.root / "dovecot.conf").write_text(
            DOVECOT_CONF.format(
                root=self.root,
                user=account.pw_name,
                group=grp.getgrgid(account.pw_gid).gr_name,
                uid=account.pw_uid,
                gid=account.pw_gid,
                imap_port=self.imap_port,
                imaps_port=self.imaps_port,
            )
        )
        as_other_user = {}
        if os.geteuid() == 0:
            for path in [self.root, *self.root.rglob("*")]:
                os.chown(path, account.pw_uid, account.pw_gid)
            as_other_user = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", self.root / "dovecot.conf"],
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "stderr").open("wb"),
            **as_other_user,
        )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.imap_port), timeout=1) as s:
                    if s.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"dovecot did not start: {self.logs()}")

    def logs(self) -> str:
        return "".join(
            path.read_text(errors="replace")
            for path in (self.root / "stderr", self.root / "dovecot.log")
            if path.exists()
        )

    def config(self, *, implicit_tls: bool = False, cafile: bool = True) -> dict:
        return {
            "host": "127.0.0.1",
            "port": self.imaps_port if implicit_tls else self.imap_port,
            "user": self.USER,
            "password": self.PASSWORD,
            "folder": "INBOX",
            "implicit_tls": implicit_tls,
            "cafile": str(self.root / "cert.pem") if cafile else "",
        }

    def client(self) -> imaplib.IMAP4:
        context = ssl.create_default_context(cafile=self.root / "cert.pem")
        client = imaplib.IMAP4_SSL("127.0.0.1", self.imaps_port, ssl_context=context)
        client.login(self.USER, self.PASSWORD)
        return client

    def append(self, *messages: bytes) -> None:
        client = self.client()
        for raw in messages:
            typ, _data = client.append("INBOX", None, None, raw)
            assert typ == "OK"
        client.logout()

    def count(self, criterion: str) -> int:
        client = self.client()
        client.select("INBOX", readonly=True)
        _typ, data = client.search(None, criterion)
        client.logout()
        return len(data[0].split())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def dovecot():
    if DOVECOT is None:  # in CI (CI=true) the conftest turns this skip into a failure
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    server = Dovecot()
    yield server
    server.stop()


def test_the_worker_reads_the_drop_mailbox_from_a_real_imap_server(
    personas, client_for, dovecot, settings
):
    household = register(personas.region, first_name="Åsa", email="asa@example.org")
    dovecot.append(
        message(sender="Åsa Öberg <asa@example.org>", subject="Sv: Välkommen", body="Tack!"),
        message(sender="okand@example.net", subject="Vem får detta?"),
    )
    settings.TALANG_IMAP = dovecot.config()  # imap:// with STARTTLS
    result = mailbox.mailbox_poll()
    assert (result.fetched, result.stored, result.duplicates, result.failed) == (2, 2, 0, 0)
    entry = Activity.objects.get(household=household, kind="email_in")
    assert (entry.body, entry.data["subject"]) == ("Tack!", "Sv: Välkommen")
    triage = client_for(personas.anna).get(reverse("inbox")).content.decode()
    assert "Vem får detta?" in triage
    assert dovecot.count("UNSEEN") == 0 and dovecot.count("SEEN") == 2
    # A second poll finds nothing new and adds nothing.
    assert mailbox.mailbox_poll().fetched == 0
    assert Activity.objects.filter(kind="email_in").count() == 1
    assert InboundEmail.objects.count() == 2


def test_a_message_that_cannot_be_stored_stays_unseen_and_comes_in_next_time(
    personas, dovecot, settings, monkeypatch
):
    household = register(personas.region, email="asa@example.org")
    dovecot.append(message(sender="asa@example.org"))
    settings.TALANG_IMAP = dovecot.config(implicit_tls=True)  # imaps://

    def database_down(**kwargs):
        raise DatabaseError("the database is down")

    with monkeypatch.context() as patch:
        patch.setattr(mailbox, "email_ingest", database_down)
        assert mailbox.mailbox_poll().failed == 1
    assert dovecot.count("UNSEEN") == 1
    assert not Activity.objects.filter(household=household).exists()
    output = io.StringIO()
    call_command("talang_mailbox", "poll", stdout=output)
    assert output.getvalue() == "read 1, stored 1, already known 0, failed 0\n"
    assert Activity.objects.filter(household=household, kind="email_in").count() == 1
    assert dovecot.count("UNSEEN") == 0


def test_it_refuses_a_server_it_cannot_verify_and_a_wrong_password(personas, dovecot, settings):
    from talang.guidance.tasks import mailbox_poll

    dovecot.append(message(sender="asa@example.org"))
    settings.TALANG_IMAP = dovecot.config(cafile=False)
    with pytest.raises(mailbox.MailboxError, match="over TLS"):
        mailbox.mailbox_poll()
    # The minutely job logs one line instead of failing with a traceback.
    assert mailbox_poll.enqueue().status == "SUCCESSFUL"
    assert dovecot.count("UNSEEN") == 1
    # Last: after a failed sign-in dovecot makes the next ones from this address wait.
    settings.TALANG_IMAP = {**dovecot.config(), "password": "wrong"}
    with pytest.raises(mailbox.MailboxError, match="refused the sign-in"):
        mailbox.mailbox_poll()
    assert not InboundEmail.objects.exists()


# Sender verification (TALANG_MAIL_AUTHSERV_ID) ------------------------------------------

MX = "mx.talang.example.org"


def authenticated(raw: bytes, *results: str) -> bytes:
    """``raw`` with Authentication-Results headers on top, in the order given (the first is
    the topmost, as the last server to receive it writes it)."""
    headers = b"".join(f"Authentication-Results: {value}\r\n".encode() for value in results)
    return headers + raw


@pytest.fixture
def trusted_server(settings):
    settings.TALANG_MAIL_AUTHSERV_ID = MX


def test_a_verified_reply_goes_on_the_card(personas, trusted_server):
    household = register(personas.region, email="asa@example.org")
    raw = authenticated(
        message(sender="asa@example.org"),
        f"{MX}; spf=pass smtp.mailfrom=asa@example.org; "
        "dkim=pass (2048-bit key) header.d=example.org header.s=s1; "
        "dmarc=pass header.from=example.org",
    )
    result = mail.email_ingest(raw_bytes=raw, source="imap")
    assert result.households == [household]
    assert InboundEmail.objects.get().sender_verified is True


@pytest.mark.parametrize(
    "results",
    [
        [],  # no verdict at all
        [
            f"{MX}; spf=fail smtp.mailfrom=example.org; dkim=none; "
            "dmarc=fail header.from=example.org"
        ],
        # Another server's verdict, which anyone can write.
        ["mx.elsewhere.example; dmarc=pass header.from=example.org"],
        # A forged verdict of ours lower down than the real one.
        [f"{MX}; dmarc=fail header.from=example.org", f"{MX}; dmarc=pass header.from=example.org"],
        # A signature of another domain proves nothing about this sender.
        [f"{MX}; dkim=pass header.d=attacker.example; spf=pass smtp.mailfrom=attacker.example"],
        # "example.org" is not a parent of "badexample.org".
        [f"{MX}; dkim=pass header.d=badexample.org"],
    ],
)
def test_an_unverified_sender_waits_in_the_inbox(personas, trusted_server, results):
    household = register(personas.region, email="asa@example.org")
    raw = authenticated(message(sender="asa@example.org"), *results)
    result = mail.email_ingest(raw_bytes=raw, source="imap")
    assert result.households == []
    inbound = InboundEmail.objects.get()
    assert (inbound.state, inbound.sender_verified) == ("unmatched", False)
    assert not Activity.objects.filter(household=household, kind="email_in").exists()


def test_a_forged_guide_does_not_meet_the_first_response(personas, trusted_server, client_for):
    household = register(personas.region, email="asa@example.org")
    raw = message(sender=f"Anna Andersson <{personas.anna.email}>", to="asa@example.org")
    mail.email_ingest(raw_bytes=raw, source="imap")
    assert not Activity.objects.filter(household=household, kind="email_out").exists()
    assert GuidanceCase.objects.get(household=household).first_response_at is None
    inbound = InboundEmail.objects.get()
    assert (inbound.outgoing, inbound.region) == (False, personas.region)
    page = in_english(client_for(personas.anna)).get(reverse("inbox")).content.decode()
    assert "Sender not verified" in page and "It may be forged" in page


def test_a_subdomain_signature_and_a_verified_guide(personas, trusted_server):
    household = register(personas.region, email="asa@mail.example.org")
    raw = authenticated(
        message(sender="asa@mail.example.org"), f"{MX} 1; dkim=pass header.d=example.org"
    )
    assert mail.email_ingest(raw_bytes=raw, source="imap").households == [household]
    domain = personas.anna.email.rpartition("@")[2]
    raw = authenticated(
        message(sender=personas.anna.email, to="asa@mail.example.org"),
        f"{MX.upper()}; dmarc=pass (p=reject) header.from={domain}",
    )
    mail.email_ingest(raw_bytes=raw, source="imap")
    assert GuidanceCase.objects.get(household=household).first_response_at is not None


def test_without_a_trusted_server_nothing_is_checked(personas):
    household = register(personas.region, email="asa@example.org")
    result = mail.email_ingest(raw_bytes=message(sender="asa@example.org"), source="imap")
    assert result.households == [household]
    assert InboundEmail.objects.get().sender_verified is None
