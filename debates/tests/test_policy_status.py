"""A policy item's status has a history; pages show the current one with its date."""

import datetime
from unittest import mock

from django.urls import reverse

from debates.models import PolicyItem, PolicyStatusChange
from members.models import Source
from members.tests.test_admin import client_for, superuser  # noqa: F401 - fixture

LATE_2026 = datetime.date(2026, 12, 2)


def page(client, url, today=LATE_2026):
    with mock.patch("debates.views.policies.timezone.localdate", return_value=today):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_seed_records_when_the_ai_act_entered_into_force_and_the_order_was_revoked(seed):
    act = PolicyItem.objects.get(slug="eu-ai-act")
    assert (act.status, act.status_since) == ("in_force", datetime.date(2024, 8, 1))
    assert act.status_display == "in force since 1 August 2024"
    order = PolicyItem.objects.get(slug="us-executive-order-on-ai")
    assert (order.status, order.status_since) == ("revoked", datetime.date(2025, 1, 20))
    assert order.status_display == "revoked 20 January 2025"
    assert list(order.status_changes.values_list("status", flat=True)) == ["in_force", "revoked"]
    assert not PolicyStatusChange.objects.filter(sources=None).exists()


def test_the_policy_page_shows_the_status_with_its_date_and_the_history(client, seed):
    html = page(client, "/policies/eu-ai-act/")
    assert "In force since 1 August 2024" in html
    assert "Adopted 12 July 2024" in html  # the history, oldest first
    html = page(client, "/policies/us-executive-order-on-ai/")
    assert "Revoked 20 January 2025" in html
    assert "In force since 30 October 2023" in html


def test_only_milestones_still_ahead_are_listed_as_ahead(client, seed):
    html = page(client, "/policies/eu-ai-act/", today=LATE_2026)
    ahead, passed = html.split("Still ahead", 1)[1].split("Dates and deadlines passed", 1)
    assert "2 August 2027" in ahead and "2 August 2026" not in ahead
    assert "2 August 2026" in passed and "1 August 2024" in passed


def test_the_home_page_shows_the_current_status(client, seed):
    html = client.get(reverse("home")).content.decode()
    assert "revoked 20 January 2025" in html
    assert "in force since 1 August 2024" in html


def test_a_policy_without_a_history_keeps_its_typed_status(seed):
    policy = PolicyItem.objects.get(slug="eu-ai-act")
    policy.status_changes.all().delete()
    policy.refresh_status()
    assert policy.status == "in_force"  # nothing to copy from: unchanged


def test_two_changes_on_one_day_are_refused(seed):
    import pytest
    from django.db import IntegrityError, transaction

    act = PolicyItem.objects.get(slug="eu-ai-act")
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyStatusChange.objects.create(policy_item=act, status="revoked", since=datetime.date(2024, 8, 1))


def test_a_status_change_added_in_the_admin_becomes_the_current_status(seed, superuser):  # noqa: F811
    act = PolicyItem.objects.get(slug="eu-ai-act")
    source = Source.objects.get(publisher="regulation-ai.eu")
    response = client_for(superuser).post(
        "/admin/debates/policystatuschange/add/",
        {
            "policy_item": act.pk,
            "status": "partly_applicable",
            "since": "2025-02-02",
            "precision": "day",
            "note": "Chapters I and II apply.",
            "sources": [source.pk],
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    act.refresh_from_db()
    assert act.status_display == "partly applicable since 2 February 2025"
    assert act.history.first().status == "partly_applicable"  # the change is versioned
    assert PolicyStatusChange.objects.get(policy_item=act, since="2025-02-02").history.exists()


def test_the_admin_shows_the_status_history_inline(seed, superuser):  # noqa: F811
    act = PolicyItem.objects.get(slug="eu-ai-act")
    html = client_for(superuser).get(f"/admin/debates/policyitem/{act.pk}/change/").content.decode()
    assert "Status changes" in html or "status changes" in html
