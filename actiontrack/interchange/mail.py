"""Update returns by e-mail: the message to each owner, and sending it over SMTP.

The standard library's `email` builds the messages (plain text and HTML, the return
attached) and `smtplib` sends them: STARTTLS whenever the server offers it, and a login
only when ACTIONTRACK_SMTP_USER is set, its password from ACTIONTRACK_SMTP_PASSWORD.
"""

from __future__ import annotations

import html
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from actiontrack.dates import uk
from actiontrack.errors import BadInput, MailProblem

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
TIMEOUT = 30  # seconds: a mail server that hangs must not hang the clerk's command for ever


@dataclass
class Letter:
    """What one owner is sent: their return, and what of theirs is overdue."""

    owner: str
    address: str
    file_name: str
    workbook: bytes
    items: int
    overdue: list[tuple[str, str, date]]  # (ref, title, due)
    reply_by: date
    source: str  # what the return covers: the owner's plans, committee resolutions
    chase: bool = False


def compose(letter: Letter, sender: str) -> EmailMessage:
    first = "Reminder: your" if letter.chase else "Your"
    msg = EmailMessage()
    msg["Subject"] = f"{first} update return for {letter.source}, due back by {uk(letter.reply_by)}"
    msg["From"] = sender
    msg["To"] = formataddr((letter.owner, letter.address))
    msg["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rsplit("@", 1)[1])
    msg["Date"] = formatdate(localtime=True)
    ask = (f"Please fill in the attached update return ({letter.items} item{'s' if letter.items != 1 else ''}) "
           f"and send it back by {uk(letter.reply_by)}: the status, RAG and a line of progress for each, "
           "a revised due date with its reason where a date must move, and the date finished for work "
           "that is done.")
    if letter.chase:
        ask = "We have not yet had your update return back. " + ask
    late = [f"  {ref}  {title} (due {uk(due)})" for ref, title, due in letter.overdue]
    text = (f"To the {letter.owner},\n\n{ask}\n\n"
            + (f"Overdue now ({len(late)}):\n" + "\n".join(late) + "\n\n" if late else "Nothing of yours is overdue.\n\n")
            + "Thank you.\n")
    rows = "".join(f"<li><b>{html.escape(ref)}</b> {html.escape(title)} (due {uk(due)})</li>"
                   for ref, title, due in letter.overdue)
    body = (f"<p>To the {html.escape(letter.owner)},</p><p>{html.escape(ask)}</p>"
            + (f"<p>Overdue now ({len(late)}):</p><ul>{rows}</ul>" if late else "<p>Nothing of yours is overdue.</p>")
            + "<p>Thank you.</p>")
    msg.set_content(text)
    msg.add_alternative(f"<!DOCTYPE html><html><body>{body}</body></html>", subtype="html")
    msg.add_attachment(letter.workbook, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=letter.file_name)
    return msg


class Mailer:
    """One SMTP session for a whole send: connect, STARTTLS if offered, log in if told."""

    def __init__(self, host: str | None, port: int, user: str | None, password: str | None):
        if not host:
            raise BadInput("no mail server is set: 'actiontrack config smtp-host HOST' (and smtp-port, smtp-from)")
        if user and password is None:
            raise BadInput("ACTIONTRACK_SMTP_USER is set but ACTIONTRACK_SMTP_PASSWORD is not")
        self.where = f"{host}:{port}"
        try:
            self.smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
            self.smtp.ehlo()
            if self.smtp.has_extn("starttls"):
                self.smtp.starttls(context=ssl.create_default_context())
                self.smtp.ehlo()
            if user:
                self.smtp.login(user, password or "")
        except (OSError, smtplib.SMTPException) as e:  # a timeout is an OSError
            raise MailProblem(f"cannot send through the mail server {self.where}: {_why(e)}; nothing was sent") from None

    def send(self, msg: EmailMessage) -> str | None:
        """None when sent; why not, when the server refused this one message."""
        try:
            self.smtp.send_message(msg)
            return None
        except (OSError, smtplib.SMTPException) as e:
            # One refused recipient, or a server that went away part-way: say why for this
            # message and carry on, so what was sent is still recorded as sent.
            return _why(e)

    def close(self) -> None:
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass  # the messages are sent; a server that drops the goodbye loses nothing


def _why(e: Exception) -> str:
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        code, said = next(iter(e.recipients.values()))
        return f"refused ({code} {said.decode(errors='replace') if isinstance(said, bytes) else said})"
    if isinstance(e, smtplib.SMTPResponseException):
        text = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        return f"{e.smtp_code} {text}"
    return getattr(e, "strerror", None) or str(e) or type(e).__name__
