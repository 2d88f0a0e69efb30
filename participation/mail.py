"""Building the portal's messages: a plain-text and an HTML part, both from templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL + path


def message(template: str, context: dict, *, to: str, headers=None) -> EmailMultiAlternatives:
    """templates/participation/email/<template>.{subject.txt,txt,html} with ``context``."""
    context = {"base_url": settings.PORTAL_BASE_URL, **context}
    subject = " ".join(render_to_string(f"participation/email/{template}.subject.txt", context).split())
    text = render_to_string(f"participation/email/{template}.txt", context)
    html = render_to_string(f"participation/email/{template}.html", context)
    mail = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    mail.attach_alternative(html, "text/html")
    return mail


def mail_error(error: Exception) -> str:
    """What went wrong, for a log line, without the addresses: an SMTP error's text (and so a
    traceback) can quote the recipients, which must never reach a log."""
    code = getattr(error, "smtp_code", None) or getattr(error, "errno", None)
    return f"{type(error).__name__}" + (f" {code}" if code else "")
