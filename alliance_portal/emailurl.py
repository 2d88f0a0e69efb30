"""``EMAIL_URL`` → Django's e-mail settings, in the spirit of DATABASE_URL.

    smtp://user:password@host:port       plain SMTP (port 25 by default)
    smtp+tls://user:password@host:587    SMTP upgraded with STARTTLS (port 587 by default)
    smtp+ssl://user:password@host:465    SMTP over TLS from the first byte (port 465 by default)
    console://                           print every message to stdout (the development default)

User and password are percent-decoded, so an ``@`` or ``:`` in them is written ``%40``, ``%3A``.
``?timeout=N`` sets the SMTP timeout in seconds (default 10: a hung mail server must not hang a
request or ``send_alerts`` for ever).
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_DEFAULT_PORTS = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}


def parse_email_url(url: str) -> dict:
    """The EMAIL_* settings an EMAIL_URL stands for."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme not in _DEFAULT_PORTS:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp://, smtp+tls://, smtp+ssl:// or console:// (got {scheme or 'nothing'}://)."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL names no host, e.g. smtp+tls://user:password@mail.example.org:587")
    try:
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError as error:
        raise ImproperlyConfigured(f"EMAIL_URL has a bad port: {error}") from None
    query = parse_qs(parts.query)
    timeout = query.get("timeout", ["10"])[0]
    if not timeout.isdigit():
        raise ImproperlyConfigured("EMAIL_URL's timeout must be a whole number of seconds.")
    return {
        "EMAIL_BACKEND": _SMTP,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": scheme == "smtp+tls",
        "EMAIL_USE_SSL": scheme == "smtp+ssl",
        "EMAIL_TIMEOUT": int(timeout),
    }
