"""`returns send`: a real SMTP server on loopback (aiosmtpd) receives what the clerk sends."""

from __future__ import annotations

import email
import io
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from openpyxl import load_workbook

NO_ADDRESS = "Designated Nurse for Children in Care"
REFUSED = "voice.influence.manager@example.gov.uk"


class Inbox:
    """What the server was given: each message as received, and who it was for."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED and getattr(self, "refuse", False):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if len(self.messages) == getattr(self, "drop_after", None):
            server.transport.close()  # the server goes away part-way through the round
            return "421 closing"
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _check_login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"clerk", b"s3cret")
    return AuthResult(success=ok, handled=False)  # handled=False: the server itself answers 535


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), authenticator=_check_login,
                            auth_require_tls=False)
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def mailing(demo, smtp):
    demo.ok("config", "smtp-host", "127.0.0.1")
    demo.ok("config", "smtp-port", str(smtp.port))
    return demo


def _owners_open_items(run) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for row in run.json("action", "list", "--open") + run.json("resolution", "list", "--open"):
        owners.setdefault(row["owner"], set()).add(row["ref"])
    return owners


def _attachment(msg) -> tuple[str, set[str]]:
    (part,) = [p for p in msg.iter_attachments()]
    ws = load_workbook(io.BytesIO(part.get_content()))["Return"]
    refs = {ws.cell(r, 1).value for r in range(3, ws.max_row + 1)}
    return part.get_filename(), {r.split(" milestone ")[0] for r in refs}


@pytest.mark.parametrize("dry_run", [False, True])
def test_sending_only_to_owners_with_no_address_is_an_error_not_exit_0(mailing, smtp, tmp_path, dry_run):
    """From a new-user trial: `--owner` someone with no address printed a warning and exit 0,
    which a script reads as sent."""
    extra = ["--dry-run", "--output", str(tmp_path / "outbox")] if dry_run else []
    line = mailing.refused("returns", "send", "--reply-by", "07/12/2022", "--owner", NO_ADDRESS.lower(), *extra,
                           says=f"no e-mail address for {NO_ADDRESS}: nothing was sent")
    assert "actiontrack person " in line and "--email ADDRESS" in line
    assert smtp.messages == [] and not (tmp_path / "outbox").exists()


def test_each_owner_with_an_address_gets_their_own_return(mailing, smtp):
    result = mailing("returns", "send", "--reply-by", "07/12/2022")
    assert result.exit_code == 0, result.output
    assert f"No e-mail address for 1 owner: {NO_ADDRESS}" in result.stderr
    owners = _owners_open_items(mailing)
    people = {r["name"]: r["email"] for r in mailing.json("person", "list")}
    expected = {people[o]: refs for o, refs in owners.items() if people.get(o)}
    assert len(smtp.messages) == len(expected) == len(owners) - 1
    for recipients, msg in smtp.messages:
        (to,) = recipients
        name, refs = _attachment(msg)
        assert refs == expected[to], to
        assert msg["From"] == "democratic.services@example.gov.uk" and to in msg["To"]
        assert "07 Dec 2022" in msg["Subject"]
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        assert "by 07 Dec 2022" in text and "<p>" in html
        assert msg["Date"] and msg["Message-ID"]
    resources = next(m for r, m in smtp.messages if r == [people["Head of Resources and Placements"]])
    assert "SUFF-2.1" in resources.get_body(("plain",)).get_content()  # overdue since 30 Sep 2022
    status = {r["owner"]: r for r in mailing.json("returns", "status")}
    assert status["Head of Resources and Placements"]["sent_on"] == "2022-12-01"
    assert status["Head of Resources and Placements"]["state"] == "awaited"
    assert status[NO_ADDRESS]["state"] == "not sent"


def test_chase_reminds_only_those_who_have_not_returned(mailing, smtp, tmp_path):
    mailing.ok("returns", "send", "--reply-by", "07/12/2022")
    sent = len(smtp.messages)
    folder = tmp_path / "r"
    mailing.ok("returns", "make", "--owner", "Head of Early Help", "--output", str(folder), as_of="02/12/2022")
    mailing.ok("returns", "apply", str(folder / "head-of-early-help.xlsx"), as_of="03/12/2022")
    status = {r["owner"]: r["state"] for r in mailing.json("returns", "status", as_of="08/12/2022")}
    assert status["Head of Early Help"] == "returned" and status["Head of Resources and Placements"] == "overdue"
    smtp.messages.clear()
    mailing.ok("returns", "send", "--chase", "--reply-by", "12/12/2022", as_of="08/12/2022")
    reminded = {r[0] for r, _ in smtp.messages}
    assert len(reminded) == sent - 1 and "head.early.help@example.gov.uk" not in reminded
    assert all(m["Subject"].startswith("Reminder:") for _, m in smtp.messages)
    status = {r["owner"]: r for r in mailing.json("returns", "status", as_of="08/12/2022")}
    assert status["Head of Resources and Placements"]["chased_on"] == "2022-12-08"
    assert status["Head of Resources and Placements"]["reply_by"] == "2022-12-12"
    assert status["Head of Resources and Placements"]["state"] == "awaited"


def test_a_refused_recipient_is_listed_and_the_rest_are_recorded(mailing, smtp):
    smtp.refuse = True
    before = len(mailing.json("person", "list"))
    result = mailing("returns", "send", "--reply-by", "07/12/2022")
    assert result.exit_code == 3, result.output
    assert f"Not sent: Voice and Influence Manager <{REFUSED}>: refused (550" in result.stderr
    status = {r["owner"]: r for r in mailing.json("returns", "status")}
    assert status["Voice and Influence Manager"]["state"] == "not sent"
    assert status["Head of Early Help"]["state"] == "awaited"
    assert len(mailing.json("person", "list")) == before


def test_a_server_that_goes_away_part_way_keeps_what_was_sent(mailing, smtp):
    smtp.drop_after = 2
    result = mailing("returns", "send", "--reply-by", "07/12/2022")
    assert result.exit_code == 3, result.output
    assert len(smtp.messages) == 2 and result.stdout.count("Sent ") == 2
    assert "Not sent: " in result.stderr and "the rest were sent and recorded" in result.stderr
    sent = [r for r in mailing.json("returns", "status") if r["sent_on"]]
    assert sorted(r["email"] for r in sent) == sorted(r[0] for r, _ in smtp.messages)


def test_an_unreachable_server_sends_and_changes_nothing(demo):
    demo.ok("config", "smtp-host", "127.0.0.1")
    demo.ok("config", "smtp-port", str(_free_port()))  # nothing listens there
    demo.refused("returns", "send", "--reply-by", "07/12/2022", code=3, says="nothing was sent")


def test_login_comes_from_the_environment_never_the_store(mailing, smtp, monkeypatch):
    monkeypatch.setenv("ACTIONTRACK_SMTP_USER", "clerk")
    mailing.refused("returns", "send", "--reply-by", "07/12/2022", says="ACTIONTRACK_SMTP_PASSWORD is not")
    monkeypatch.setenv("ACTIONTRACK_SMTP_PASSWORD", "wrong")
    mailing.refused("returns", "send", "--reply-by", "07/12/2022", code=3, says="cannot send through the mail server")
    monkeypatch.setenv("ACTIONTRACK_SMTP_PASSWORD", "s3cret")
    mailing.ok("returns", "send", "--reply-by", "07/12/2022")
    assert smtp.messages
    assert b"s3cret" not in mailing.snapshot()


def test_dry_run_writes_eml_files_and_changes_nothing(demo, tmp_path):
    before = demo.snapshot()
    out = demo.ok("returns", "send", "--reply-by", "07/12/2022", "--dry-run", "--output", str(tmp_path / "outbox"))
    assert "Wrote" in out and demo.snapshot() == before
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == len(_owners_open_items(demo)) - 1
    msg = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    name, refs = _attachment(msg)
    assert name.endswith(".xlsx") and refs


@pytest.mark.parametrize("args, says", [
    (("--dry-run",), "give --output DIR"),
    (("--reply-by", "01/11/2022"), "before the as-of date"),
])
def test_send_refuses_bad_options(demo, args, says):
    argv = ["returns", "send", *args] if "--reply-by" in args else ["returns", "send", "--reply-by", "07/12/2022", *args]
    demo.refused(*argv, says=says)


def test_send_needs_a_server_and_a_sender(sufficiency):
    sufficiency.refused("returns", "send", "--reply-by", "07/12/2022", says="no sender is set")
    sufficiency.ok("config", "smtp-from", "clerk@example.gov.uk")
    sufficiency.ok("person", "add", "Specialist Commissioning Manager", "--email", "scm@example.gov.uk")
    sufficiency.refused("returns", "send", "--reply-by", "07/12/2022", says="no mail server is set")


def test_a_sender_with_a_display_name(demo, tmp_path):
    demo.ok("config", "smtp-from", "Democratic Services <democratic.services@example.gov.uk>")
    demo.ok("returns", "send", "--reply-by", "07/12/2022", "--dry-run", "--output", str(tmp_path / "out"))
    msg = email.message_from_bytes(next((tmp_path / "out").glob("*.eml")).read_bytes(), policy=policy.default)
    assert msg["From"] == "Democratic Services <democratic.services@example.gov.uk>"
    assert msg["Message-ID"].endswith("@example.gov.uk>")
