"""Versions as moderators read and restore them: who, when and why; display values; whole restores."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from alliance_portal.versions import LOADER_REASON, stamp_version
from debates.models import PolicyItem, PolicyMilestone, PolicyStatusChange, Position
from members.tests.factories import make_source
from members.tests.test_admin import client_for, moderator, position_post_data, superuser  # noqa: F401


def admin_form_data(model, obj, user, **changes):
    """The POST a moderator's browser sends for ``obj``'s admin form as it stands (no inlines)."""
    request = RequestFactory().get("/")
    request.user = user
    form = admin.site._registry[model].get_form(request, obj)(instance=obj)
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def test_a_change_needs_a_reason_and_history_shows_it_with_who_and_display_values(seed, moderator, settings):  # noqa: F811
    settings.PORTAL_REVIEW_BEFORE_PUBLISHING = False  # the edit goes live (held edits: debates/tests/test_revisions.py)
    client = client_for(moderator)
    position = Position.objects.get(slug="dario-gil-non-proprietary-and-open")
    url = f"/admin/debates/position/{position.pk}/change/"
    no_reason = client.post(url, position_post_data(position, integrity="disputed", change_reason=""))
    assert no_reason.status_code == 200 and "This field is required." in no_reason.content.decode()
    assert Position.objects.get(pk=position.pk).integrity == "verified"  # nothing saved

    data = position_post_data(position, integrity="disputed", change_reason="The speaker disputes the wording")
    assert client.post(url, data).status_code == 302
    history = client.get(f"/admin/debates/position/{position.pk}/history/").content.decode()
    latest_row = history.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "mona" in latest_row and "The speaker disputes the wording" in latest_row
    assert "Verified against the source &rarr; Disputed" in " ".join(latest_row.split())  # labels, not "verified"


def test_versions_the_seed_loader_wrote_say_so(seed, superuser):  # noqa: F811
    act = PolicyItem.objects.get(slug="eu-ai-act")
    assert act.history.earliest("history_date").history_change_reason == LOADER_REASON
    history = client_for(superuser).get(f"/admin/debates/policyitem/{act.pk}/history/").content.decode()
    assert "the seed loader" in history and "None" not in history.split("<tbody>", 1)[1]


def test_restoring_a_policy_item_restores_its_milestones_status_and_sources(client, seed, superuser):  # noqa: F811
    act = PolicyItem.objects.get(slug="eu-ai-act")
    before = act.history.order_by("history_date", "history_id").last()
    kept, changed, removed = list(act.milestones.order_by("on", "pk"))[:3]
    kept_title, changed_title, removed_pk = kept.title, changed.title, removed.pk
    status_before = act.status_display
    sources_before = set(act.sources.values_list("pk", flat=True))

    # One moderator save that goes wrong: summary, a milestone added, one renamed, one deleted,
    # a status change added, a source added.
    when = timezone.now()
    for obj in (act,):
        stamp_version(obj, when=when, user=superuser, reason="A wrong edit")
        obj.summary = "A wrong summary."
        obj.save()
    wrong = PolicyMilestone(policy_item=act, on=datetime.date(2030, 1, 1), title="A wrong milestone")
    stamp_version(wrong, when=when, user=superuser, reason="A wrong edit")
    wrong.save()
    stamp_version(changed, when=when, user=superuser, reason="A wrong edit")
    changed.title = "A wrongly renamed milestone"
    changed.save()
    stamp_version(removed, when=when, user=superuser, reason="A wrong edit")
    removed.delete()
    revoked = PolicyStatusChange(policy_item=act, status="revoked", since=datetime.date(2026, 1, 1), note="Wrong")
    stamp_version(revoked, when=when, user=superuser, reason="A wrong edit")
    revoked.save()
    revoked.sources.add(make_source(title="A wrong source"))
    act.sources.add(make_source(title="Another wrong source"))
    act.refresh_status()
    assert "A wrong milestone" in client.get("/policies/eu-ai-act/").content.decode()

    admin_client = client_for(superuser)
    revert_url = f"/admin/debates/policyitem/{act.pk}/history/{before.history_id}/"
    page = " ".join(admin_client.get(revert_url).content.decode().split())
    assert "What restoring this version changes" in page and "A wrong summary. &rarr;" in page
    data = admin_form_data(PolicyItem, before.instance, superuser, change_reason="Undo the wrong edit", _save="Revert")
    response = admin_client.post(revert_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    act.refresh_from_db()
    assert act.summary == before.summary
    titles = set(act.milestones.values_list("title", flat=True))
    assert "A wrong milestone" not in titles and "A wrongly renamed milestone" not in titles
    assert {kept_title, changed_title} <= titles and act.milestones.filter(pk=removed_pk).exists()
    assert not act.status_changes.filter(status="revoked").exists() and act.status_display == status_before
    assert set(act.sources.values_list("pk", flat=True)) == sources_before
    public = client.get("/policies/eu-ai-act/").content.decode()
    assert "A wrong milestone" not in public and "A wrong summary." not in public
    latest = act.history.order_by("history_date", "history_id").last()
    assert (latest.history_user, latest.history_change_reason) == (superuser, "Undo the wrong edit")


@pytest.mark.parametrize("path", ["members/organization", "members/person", "debates/policyitem"])
def test_the_history_page_of_every_kind_renders(seed, superuser, path):  # noqa: F811
    model = next(m for m in admin.site._registry if m._meta.label_lower == path.replace("/", "."))
    obj = model.objects.order_by("pk").first()
    response = client_for(superuser).get(f"/admin/{path}/{obj.pk}/history/")
    assert response.status_code == 200 and "the seed loader" in response.content.decode()
