"""Mail as real mail: EMAIL_URL configures it, and the tests' SMTP server on loopback receives it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, send_mail

from alliance_portal.emailurl import parse_email_url


def test_smtp_url_with_user_password_and_port():
    assert parse_email_url("smtp://alerts:s%40cret@mail.example.org:2525") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "alerts",
        "EMAIL_HOST_PASSWORD": "s@cret",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


def test_starttls_and_implicit_tls_have_their_default_ports():
    tls = parse_email_url("smtp+tls://u:p@mail.example.org")
    assert (tls["EMAIL_PORT"], tls["EMAIL_USE_TLS"], tls["EMAIL_USE_SSL"]) == (587, True, False)
    ssl = parse_email_url("smtp+ssl://u:p@mail.example.org?timeout=30")
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_TLS"], ssl["EMAIL_USE_SSL"], ssl["EMAIL_TIMEOUT"]) == (
        465,
        False,
        True,
        30,
    )


def test_console_prints_mail():
    assert parse_email_url("console://") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


@pytest.mark.parametrize(
    "url", ["http://mail.example.org", "smtp://", "smtp://host:port", "smtp://host?timeout=soon", "mail.example.org"]
)
def test_a_bad_email_url_is_refused_with_a_message(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        parse_email_url(url)


def test_development_prints_mail_to_the_console_by_default():
    from alliance_portal import settings as configured

    if configured.ENV.get("EMAIL_URL"):
        pytest.skip("EMAIL_URL is set in this environment")
    assert configured.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_a_message_crosses_real_smtp_to_the_loopback_server(smtp_sink):
    send_mail("Hello", "Plain words.", "portal@example.org", ["reader@example.org"])
    mail = EmailMultiAlternatives("Both parts", "Plain.", "portal@example.org", ["other@example.org"])
    mail.attach_alternative("<p>HTML.</p>", "text/html")
    mail.send()
    first, second = smtp_sink.messages
    assert first["Subject"] == "Hello" and first.get_content().strip() == "Plain words."
    assert smtp_sink.to("other@example.org") == [second]
    assert second.get_body(("html",)).get_content().strip() == "<p>HTML.</p>"
