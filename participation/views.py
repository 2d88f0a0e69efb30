"""Readers' pages: ask for an alert, confirm it, manage or leave it; suggest a position or a correction.

The alert pages behind a signed link (confirm, manage, unsubscribe) are personal: never
cached. The subscribe and suggestion forms are the same for everyone: cached like any page.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from alliance_portal.clientip import client_address
from alliance_portal.listing import errors_as_text
from alliance_portal.middleware import accepts
from debates.comments import Outcome as TakenIn
from debates.models import Position
from pagecache import cached_page
from participation import alerts, suggestions, tokens
from participation.forms import CorrectionForm, ManageForm, SubscribeForm, SuggestionForm
from participation.kinds import KINDS, QUERY_NAMES
from participation.models import Subscriber, Subscription, SuggestionKind

logger = logging.getLogger(__name__)


def bad_request(request, title: str, text: str, status: int = 400):
    return render(request, "participation/problem.html", {"title": title, "text": text}, status=status)


def _alert_view(request):
    """(kind, filterset) of the view the reader wants alerts for, or an error response."""
    kind = KINDS.get(request.GET.get("alert", ""))
    if kind is None:
        return None, bad_request(
            request,
            "Which alert?",
            "This page needs to know what to alert you to: use an “E-mail me new entries” link.",
        )
    filterset = kind.bind(request.GET)
    if not filterset.is_valid():
        return None, bad_request(request, "These filters are not valid", errors_as_text(filterset.form))
    return (kind, filterset), None


@cached_page(query=sorted(QUERY_NAMES))
@accepts("GET", "POST")
def subscribe(request):
    view, problem = _alert_view(request)
    if problem:
        return problem
    kind, filterset = view
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    context = {"label": kind.label(filterset), "view_url": kind.view_url(kind.normalised_query(filterset))}
    if request.method != "POST":
        return render(request, "participation/subscribe.html", {**context, "form": form})
    if not form.is_valid():
        return render(request, "participation/subscribe.html", {**context, "form": form}, status=400)
    outcome = alerts.request_alert(
        kind=kind,
        filterset=filterset,
        address=form.cleaned_data["email"],
        frequency=form.cleaned_data["frequency"],
        client=client_address(request),
    )
    if outcome in (alerts.Outcome.ADDRESS_LIMITED, alerts.Outcome.CLIENT_LIMITED):
        whom = "this address" if outcome is alerts.Outcome.ADDRESS_LIMITED else "your connection"
        response = bad_request(
            request,
            "Too many confirmation messages",
            f"We have sent as many confirmation messages for {whom} as we send in a while, so we sent none now. "
            "Look for the earlier ones in the inbox (and the spam folder), or try again tomorrow.",
            status=429,
        )
        limited_address = outcome is alerts.Outcome.ADDRESS_LIMITED
        window = settings.ALERT_CONFIRM_ADDRESS_WINDOW if limited_address else settings.ALERT_CONFIRM_CLIENT_WINDOW
        response["Retry-After"] = str(window)
        return response
    if outcome is alerts.Outcome.MAIL_FAILED:
        return bad_request(
            request, "The message could not be sent", "Our mail server did not take it. Please try again later.", 503
        )
    return redirect("participation:alert-requested")


@cached_page
def alert_requested(request):
    return render(request, "participation/requested.html", {"valid_hours": settings.ALERT_CONFIRM_MAX_AGE // 3600})


def _expired(request, error):
    return bad_request(
        request,
        "This link does not work",
        f"{error} Ask for a new one from the page you wanted alerts for (“E-mail me new entries”).",
    )


@never_cache  # personal: no browser or proxy keeps it
@accepts("GET", "POST")
def confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner that follows links confirms nothing."""
    try:
        subscription_id = tokens.read_confirm(token)
    except tokens.BadLink as error:
        return _expired(request, error)
    if request.method != "POST":
        subscription = Subscription.objects.filter(pk=subscription_id).first()
        if subscription is None:
            return _expired(request, "This alert no longer exists.")
        return render(request, "participation/confirm.html", {"subscription": subscription})
    subscription = alerts.confirm(subscription_id)
    if subscription is None:
        return _expired(request, "This alert no longer exists.")
    return render(
        request,
        "participation/confirmed.html",
        {"subscription": subscription, "manage_url": reverse_manage(subscription.subscriber)},
    )


def reverse_manage(subscriber) -> str:
    return reverse("participation:alert-manage", args=[tokens.manage_token(subscriber)])


# RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click" here with no cookie, no session
# and no CSRF token; the signed token in the URL is the proof, and all the request can do is
# stop mail to the address it names. So the CSRF check is off for this one view.
@csrf_exempt
@never_cache
@accepts("GET", "POST")
def unsubscribe(request, token):
    try:
        subscriber_id = tokens.read_unsubscribe(token)
    except tokens.BadLink as error:
        return _expired(request, error)
    if request.method != "POST":
        return render(
            request, "participation/unsubscribe.html", {"known": Subscriber.objects.filter(pk=subscriber_id).exists()}
        )
    stopped = alerts.unsubscribe_all(subscriber_id)
    logger.info("Alerts stopped by their unsubscribe link (%s alert%s).", stopped, "" if stopped == 1 else "s")
    return render(request, "participation/unsubscribed.html", {"stopped": stopped})


@never_cache  # personal: no browser or proxy keeps it
@accepts("GET", "POST")
def manage(request, token):
    try:
        subscriber_id = tokens.read_manage(token)
    except tokens.BadLink as error:
        return _expired(request, error)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return render(request, "participation/unsubscribed.html", {"stopped": 0})
    subscriptions = subscriber.subscriptions.confirmed().order_by("pk")
    if request.method == "POST" and "delete_all" in request.POST:
        stopped = alerts.unsubscribe_all(subscriber.pk)
        return render(request, "participation/unsubscribed.html", {"stopped": stopped})
    form = ManageForm(request.POST if request.method == "POST" else None, subscriptions=subscriptions)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "participation/manage.html", {"form": form}, status=400)
        for subscription, frequency, stop in form.rows():
            if form.cleaned_data[stop.name]:
                subscription.delete()
            elif form.cleaned_data[frequency.name] != subscription.frequency:
                subscription.frequency = form.cleaned_data[frequency.name]
                subscription.save(update_fields=["frequency"])
        messages.success(request, "Your alerts are saved.")
        return redirect(request.path)
    return render(request, "participation/manage.html", {"form": form})


FORMS = {SuggestionKind.SUGGESTION: SuggestionForm, SuggestionKind.CORRECTION: CorrectionForm}
TEMPLATES = {
    SuggestionKind.SUGGESTION: "participation/suggest.html",
    SuggestionKind.CORRECTION: "participation/correct.html",
}


def _participate(request, kind, initial=None):
    form_class = FORMS[kind]
    if request.method != "POST":
        return render(request, TEMPLATES[kind], {"form": form_class(initial=initial)})
    form = form_class(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATES[kind], {"form": form}, status=400)
    if form.is_honeypot_hit:
        logger.warning("Suggestion honeypot filled (%s); discarded.", kind)
        return redirect("participation:suggestion-thanks")
    outcome, _ = suggestions.submit(kind, form.cleaned_data, client_address(request))
    if outcome is TakenIn.RATE_LIMITED:
        minutes = max(1, settings.SUGGESTION_RATE_WINDOW // 60)
        response = bad_request(
            request,
            "Too many at once",
            f"You have sent the most suggestions and corrections we take from one address in {minutes} minutes; "
            "this one was not saved. Please try again later.",
            status=429,
        )
        response["Retry-After"] = str(settings.SUGGESTION_RATE_WINDOW)
        return response
    return redirect("participation:suggestion-thanks")


@cached_page
@accepts("GET", "POST")
def suggest(request):
    return _participate(request, SuggestionKind.SUGGESTION)


@cached_page(query=["position"])
@accepts("GET", "POST")
def correct(request):
    slug = request.GET.get("position", "")
    initial = {"position": slug} if slug and Position.objects.filter(slug=slug).exists() else None
    return _participate(request, SuggestionKind.CORRECTION, initial)


@cached_page
def suggestion_thanks(request):
    return render(request, "participation/thanks.html")
