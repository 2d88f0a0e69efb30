"""Review before publishing for people, organizations, policy items and the rest: a moderator's add
or edit waits as a change proposal, which no reader sees, until a second moderator publishes it."""

import datetime
import json

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.utils import timezone

from alliance_portal.versions import stamp_version
from debates.models import PolicyItem, PolicyMilestone
from debates.tests.test_review import publisher  # noqa: F401
from members.models import Affiliation, Organization, Person, Source
from members.tests.test_admin import client_for, moderator  # noqa: F401
from proposals.models import ChangeProposal

NEW_MILESTONE = "Delegated act on open-source exemptions published"


def form_data(model, obj, user, **changes):
    """What a moderator's browser posts for ``obj``'s admin form (None: the add form) as it stands:
    the main form and every inline formset, with their management forms."""
    request = RequestFactory().get("/")
    request.user = user
    model_admin = admin.site._registry[model]
    fieldsets = model_admin.get_fieldsets(request, obj)
    form_class = model_admin.get_form(request, obj, change=obj is not None, fields=flatten_fieldsets(fieldsets))
    form = form_class(instance=obj)
    data = {}

    def put(bound_form, prefixed=True):
        for name in bound_form.fields:
            value = bound_form[name].value()
            key = bound_form.add_prefix(name) if prefixed else name
            if value in (None, []) and isinstance(bound_form.fields[name], forms.ModelMultipleChoiceField):
                continue  # a browser sends nothing for a multiple select with nothing chosen
            if value is True:
                data[key] = "on"
            elif value is False:
                continue
            else:
                data[key] = "" if value is None else value

    put(form, prefixed=False)
    formsets, _ = model_admin._create_formsets(request, form.instance, change=obj is not None)
    for formset in formsets:
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for row in formset.initial_forms:
            put(row)
    data.update({"_save": "Save", **changes})
    return data


def add_row(data, prefix, **values):
    """An inline row typed into the form's next empty line."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    return data


def review_url(proposal):
    return f"/admin/proposals/changeproposal/{proposal.pk}/change/"


def download(client, name):
    response = client.get(name)
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def reader_sees_person(client, name, slug) -> dict[str, bool]:
    """Where a reader could meet the person (affiliated with Meta): True where they show."""
    records = json.loads(download(client, "/data/people.json"))
    return {
        "page": client.get(f"/people/{slug}/").status_code == 200,
        "list": name in client.get("/people/?organization=meta").content.decode(),
        "search": f"/people/{slug}/" in client.get("/search/?q=" + name.replace(" ", "+")).content.decode(),
        "api list": name in client.get("/api/v1/people/?organization=meta").content.decode(),
        "api": client.get(f"/api/v1/people/{slug}/").status_code == 200,
        "sitemap": f"/people/{slug}/" in client.get("/sitemap-person.xml").content.decode(),
        "csv": name in download(client, "/data/people.csv"),
        "json": any(record.get("slug") == slug for record in records),
    }


@pytest.fixture
def article_source(seed):
    return Source.objects.order_by("pk").first()


def test_a_moderators_new_person_exists_for_no_reader_until_a_publisher_publishes_it(
    client,
    seed,
    moderator,  # noqa: F811
    publisher,  # noqa: F811
    article_source,
):
    meta = Organization.objects.get(slug="meta")
    data = form_data(Person, None, moderator, name="Ada Quorum", slug="ada-quorum", bio="Researcher on open models.")
    data["sources"] = [article_source.pk]
    add_row(data, "affiliations", organization=meta.pk, title="Research scientist", since="2024-01-01", sources=[])
    response = client_for(moderator).post("/admin/members/person/add/", data, follow=True)
    page = response.content.decode()
    assert "Your change waits for a publisher" in page, page[:3000]
    proposal = ChangeProposal.objects.get()
    assert response.redirect_chain[-1][0] == review_url(proposal)
    assert proposal.is_addition and proposal.object_id is None and proposal.proposed_by == moderator
    assert "csrfmiddlewaretoken" not in proposal.data and proposal.data["name"] == ["Ada Quorum"]

    # Nothing exists for readers: no row, so no page, list, search, API, sitemap or download.
    assert not Person.objects.filter(slug="ada-quorum").exists()
    assert not any(reader_sees_person(client, "Ada Quorum", "ada-quorum").values())

    # The publisher reads the new person and their affiliation, in display values.
    pat = client_for(publisher)
    review = " ".join(pat.get(review_url(proposal)).content.decode().split())
    assert '<th scope="row">Name</th><td>—</td><td>Ada Quorum</td>' in review
    assert f'<th scope="row">Sources</th><td>—</td><td>{article_source}</td>' in review
    assert "(added)" in review and "<td>Organization</td><td>—</td><td>Meta</td>" in review
    assert "<td>Since</td><td>—</td><td>1 January 2024</td>" in review

    response = pat.post(review_url(proposal), {"_publish": "Publish this change"}, follow=True)
    assert "Published the change: readers see it now." in response.content.decode()
    person = Person.objects.get(slug="ada-quorum")
    assert set(person.sources.all()) == {article_source}
    assert Affiliation.objects.get(person=person).organization == meta
    assert all(reader_sees_person(client, "Ada Quorum", "ada-quorum").values()), reader_sees_person(
        client, "Ada Quorum", "ada-quorum"
    )

    # One version (its row and its links, one moment), its author's, with the publisher named.
    versions = list(person.history.all())
    assert len({v.history_date for v in versions}) == 1
    assert {(v.history_user, v.history_change_reason) for v in versions} == {(moderator, "Created (published by pat)")}
    assert person.created_by == moderator and person.updated_by == moderator
    history = client_for(publisher).get(f"/admin/members/person/{person.pk}/history/").content.decode()
    assert "mona" in history and "Created (published by pat)" in history
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.object_id) == ("published", publisher, person.pk)


def eu_ai_act_edit(moderator):  # noqa: F811
    """The EU AI Act's change form with a status change and a milestone added."""
    act = PolicyItem.objects.get(slug="eu-ai-act")
    data = form_data(PolicyItem, act, moderator, change_reason="Delegated act adopted")
    source = act.sources.order_by("pk").first()
    add_row(
        data,
        "status_changes",
        status="partly_applicable",
        since="2026-03-01",
        precision="day",
        note="Delegated act adopted",
        sources=[source.pk],
    )
    add_row(
        data, "milestones", on="2026-03-01", precision="day", title=NEW_MILESTONE, responsible="European Commission"
    )
    return act, data


def test_an_edit_of_the_eu_ai_act_waits_and_shows_once_published(
    client,
    seed,
    moderator,  # noqa: F811
    publisher,  # noqa: F811
    django_assert_max_num_queries,
):
    act, data = eu_ai_act_edit(moderator)
    before = client.get("/policies/eu-ai-act/").content.decode()  # cached now
    assert NEW_MILESTONE not in before and "In force since 1 August 2024" in before
    response = client_for(moderator).post(f"/admin/debates/policyitem/{act.pk}/change/", data, follow=True)
    assert "Your change waits for a publisher" in response.content.decode()
    proposal = ChangeProposal.objects.get()
    assert proposal.object_id == act.pk and proposal.reason == "Delegated act adopted"

    act.refresh_from_db()
    assert act.status == "in_force" and not act.milestones.filter(title=NEW_MILESTONE).exists()
    page = client.get("/policies/eu-ai-act/").content.decode()
    assert NEW_MILESTONE not in page and "Partly applicable since 1 March 2026" not in page

    # The policy's admin page and list say a change waits, with a link to it.
    mona = client_for(moderator)
    change_page = mona.get(f"/admin/debates/policyitem/{act.pk}/change/").content.decode()
    assert "A change is waiting for a publisher" in change_page and review_url(proposal) in change_page
    changelist = " ".join(mona.get("/admin/debates/policyitem/").content.decode().split())
    assert "Waiting for a publisher: 1 change of policy items below" in changelist
    assert f'<a href="{review_url(proposal)}">A change waits for a publisher</a>' in changelist

    # The diff: the current status it moves, the status change and the milestone added.
    pat = client_for(publisher)
    pat.get(review_url(proposal))  # warm the session and the admin's caches
    with django_assert_max_num_queries(120):  # the form and both formsets validated against the act
        review = " ".join(pat.get(review_url(proposal)).content.decode().split())
    assert (
        '<th scope="row">Current status (its latest status change)</th>'
        "<td>In force since 1 August 2024</td><td>Partly applicable since 1 March 2026</td>"
    ) in review
    assert "<td>Status</td><td>—</td><td>Partly applicable</td>" in review
    assert f"EU AI Act: {NEW_MILESTONE} (added)" in review
    assert "<td>On</td><td>—</td><td>1 March 2026</td>" in review
    assert "Entry into force" not in review  # rows left as they were are not listed

    response = pat.post(review_url(proposal), {"_publish": "Publish this change"}, follow=True)
    assert "Published the change" in response.content.decode()
    act.refresh_from_db()
    assert act.status == "partly_applicable" and act.milestones.filter(title=NEW_MILESTONE).exists()
    page = client.get("/policies/eu-ai-act/").content.decode()  # the cached page was retired
    assert NEW_MILESTONE in page and "Partly applicable since 1 March 2026" in page

    # One moment for the act and its new rows, attributed to the author, the publisher named.
    milestone = act.milestones.get(title=NEW_MILESTONE)
    act_version = act.history.order_by("history_date", "history_id").last()
    assert milestone.history.get().history_date == act_version.history_date
    assert (act_version.history_user, act_version.history_change_reason) == (
        moderator,
        "Delegated act adopted (published by pat)",
    )
    assert milestone.created_by == moderator


def test_the_diff_shows_a_typed_status_and_a_removed_row_in_display_values(seed, moderator, publisher):  # noqa: F811
    policy = PolicyItem.objects.get(slug="us-ntia-open-weights-report")
    policy.status = "in_negotiation"
    policy.save()
    milestone = PolicyMilestone.objects.create(policy_item=policy, on=datetime.date(2024, 7, 30), title="Report out")
    # Removing a row needs its delete permission, which only this moderator is given here.
    moderator.user_permissions.add(Permission.objects.get(codename="delete_policymilestone"))
    data = form_data(PolicyItem, policy, moderator, status="adopted", change_reason="Adopted")
    index = next(k for k, v in data.items() if k.startswith("milestones-") and k.endswith("-id") and v == milestone.pk)
    data[index.replace("-id", "-DELETE")] = "on"
    client_for(moderator).post(f"/admin/debates/policyitem/{policy.pk}/change/", data)
    proposal = ChangeProposal.objects.get()

    review = " ".join(client_for(publisher).get(review_url(proposal)).content.decode().split())
    assert '<th scope="row">Status</th><td>In negotiation</td><td>Adopted</td>' in review
    assert f"{policy.short_name}: Report out (removed)" in review
    assert policy.milestones.filter(pk=milestone.pk).exists()  # nothing removed yet


def test_a_moderator_who_is_not_a_publisher_cannot_publish(seed, moderator, publisher):  # noqa: F811
    act, data = eu_ai_act_edit(publisher)
    # The publisher's own edit would be live; this one is proposed by another moderator.
    other = type(moderator).objects.create(username="max", is_staff=True)
    other.groups.set(moderator.groups.all())
    client_for(other).post(f"/admin/debates/policyitem/{act.pk}/change/", data)
    proposal = ChangeProposal.objects.get()

    mona = client_for(moderator)
    review = mona.get(review_url(proposal)).content.decode()
    assert "Publish this change" not in review and "Reject this change" not in review
    response = mona.post(review_url(proposal), {"_publish": "Publish this change"}, follow=True)
    assert "Only a publisher can publish or reject a change" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_pending
    assert not act.milestones.filter(title=NEW_MILESTONE).exists()


def test_a_publisher_cannot_publish_their_own_proposal(seed, moderator, publisher, settings):  # noqa: F811
    # A publisher's proposal is only possible through a stored one: their own saves are live.
    act, data = eu_ai_act_edit(moderator)
    client_for(moderator).post(f"/admin/debates/policyitem/{act.pk}/change/", data)
    proposal = ChangeProposal.objects.get()
    proposal.proposed_by = publisher
    proposal.save()
    pat = client_for(publisher)
    review = pat.get(review_url(proposal)).content.decode()
    assert "You proposed this change: another publisher must publish it." in review
    assert "Publish this change" not in review
    response = pat.post(review_url(proposal), {"_publish": "Publish this change"}, follow=True)
    assert "You proposed this change: another publisher must publish it." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_pending and not act.milestones.filter(title=NEW_MILESTONE).exists()


def test_a_rejection_needs_a_reason_and_the_author_may_withdraw(seed, moderator, publisher):  # noqa: F811
    act, data = eu_ai_act_edit(moderator)
    mona, pat = client_for(moderator), client_for(publisher)
    mona.post(f"/admin/debates/policyitem/{act.pk}/change/", data)
    proposal = ChangeProposal.objects.get()
    response = pat.post(review_url(proposal), {"_reject": "Reject", "decision_reason": " "}, follow=True)
    assert "Give a reason to reject the change" in response.content.decode()
    response = pat.post(review_url(proposal), {"_reject": "Reject", "decision_reason": "No source yet"}, follow=True)
    assert "Rejected the change" in response.content.decode() and "No source yet" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and not act.milestones.filter(title=NEW_MILESTONE).exists()

    mona.post(f"/admin/debates/policyitem/{act.pk}/change/", data)  # proposed again, then taken back
    again = ChangeProposal.objects.pending().get()
    assert (
        "Only its author can withdraw" in pat.post(review_url(again), {"_withdraw": "1"}, follow=True).content.decode()
    )
    assert "Withdrew your change" in mona.post(review_url(again), {"_withdraw": "1"}, follow=True).content.decode()
    again.refresh_from_db()
    assert again.status == "withdrawn"


def test_a_second_change_while_one_waits_is_refused_with_a_link_to_it(seed, moderator, publisher):  # noqa: F811
    act, data = eu_ai_act_edit(moderator)
    mona = client_for(moderator)
    mona.post(f"/admin/debates/policyitem/{act.pk}/change/", data)
    proposal = ChangeProposal.objects.get()
    second = form_data(PolicyItem, act, moderator, summary="Another summary.", change_reason="Shorter")
    response = mona.post(f"/admin/debates/policyitem/{act.pk}/change/", second)
    page = response.content.decode()
    assert response.status_code == 200 and "waits for a publisher" in page
    assert f'<a href="{review_url(proposal)}">review it</a>' in page
    assert ChangeProposal.objects.count() == 1


def test_a_proposal_that_no_longer_fits_is_refused_with_the_reason(seed, moderator, publisher):  # noqa: F811
    act, data = eu_ai_act_edit(moderator)
    client_for(moderator).post(f"/admin/debates/policyitem/{act.pk}/change/", data)
    proposal = ChangeProposal.objects.get()
    # Meanwhile another status change was recorded on that day (one status a day).
    change = act.status_changes.create(status="revoked", since=datetime.date(2026, 3, 1), note="Meanwhile")
    change.sources.set(act.sources.all()[:1])

    pat = client_for(publisher)
    review = pat.get(review_url(proposal)).content.decode()
    assert "This change no longer fits the policy item as it is now" in review
    assert "Status change: Another status change of this policy item is dated 1 March 2026: one status a day." in review
    assert "Publish this change" not in review
    response = pat.post(review_url(proposal), {"_publish": "Publish this change"}, follow=True)
    assert "This change no longer fits the record as it is now" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_pending and not act.milestones.filter(title=NEW_MILESTONE).exists()


def test_a_change_made_since_is_flagged_on_the_review_page(seed, moderator, publisher):  # noqa: F811
    act, data = eu_ai_act_edit(moderator)
    client_for(moderator).post(f"/admin/debates/policyitem/{act.pk}/change/", data)
    proposal = ChangeProposal.objects.get()
    review = client_for(publisher).get(review_url(proposal)).content.decode()
    assert "was changed after this change was proposed" not in review
    milestone = act.milestones.first()
    stamp_version(milestone, when=timezone.now(), user=publisher, reason="Typo")
    milestone.title += "."
    milestone.save()
    review = client_for(publisher).get(review_url(proposal)).content.decode()
    assert "The policy item was changed after this change was proposed" in review


def test_a_new_person_whose_slug_was_taken_since_is_refused(seed, moderator, publisher, article_source):  # noqa: F811
    data = form_data(Person, None, moderator, name="Ada Quorum", slug="ada-quorum", sources=[article_source.pk])
    client_for(moderator).post("/admin/members/person/add/", data)
    proposal = ChangeProposal.objects.get()
    Person.objects.create(name="Ada Quorum (another)", slug="ada-quorum")
    pat = client_for(publisher)
    review = pat.get(review_url(proposal)).content.decode()
    assert "This change no longer fits the person as it is now" in review
    assert "Slug: Person with this Slug already exists." in review
    response = pat.post(review_url(proposal), {"_publish": "Publish this change"}, follow=True)
    assert "Person with this Slug already exists." in response.content.decode()
    assert Person.objects.filter(slug="ada-quorum").count() == 1 and ChangeProposal.objects.get().is_pending


def test_invalid_input_is_shown_as_usual_and_nothing_is_kept(seed, moderator):  # noqa: F811
    data = form_data(Person, None, moderator, name="No Source", slug="no-source")
    response = client_for(moderator).post("/admin/members/person/add/", data)
    assert response.status_code == 200 and "Cite at least one source." in response.content.decode()
    assert not ChangeProposal.objects.exists()


def test_the_admin_home_counts_the_proposals_for_publishers(seed, moderator, publisher):  # noqa: F811
    act, data = eu_ai_act_edit(moderator)
    client_for(moderator).post(f"/admin/debates/policyitem/{act.pk}/change/", data)
    home = " ".join(client_for(publisher).get("/admin/").content.decode().split())
    assert (
        "<strong>1</strong> changes to people, organizations, policies and other records, awaiting a publisher" in home
    )
    # Moderators who cannot publish are not shown a queue they cannot work on.
    assert "changes to people, organizations" not in client_for(moderator).get("/admin/").content.decode()


def test_restores_and_deletes_need_a_publisher(seed, moderator):  # noqa: F811
    person = Person.objects.get(slug="yann-lecun")
    version = person.history.order_by("history_date").first()
    mona = client_for(moderator)
    url = f"/admin/members/person/{person.pk}/history/{version.history_id}/"
    response = mona.post(url, form_data(Person, person, moderator, change_reason="Back"), follow=True)
    assert "Restoring a version needs a publisher" in response.content.decode()
    moderator.user_permissions.add(Permission.objects.get(codename="delete_person"))
    response = client_for(moderator).post(f"/admin/members/person/{person.pk}/delete/", {"post": "yes"}, follow=True)
    assert "Deleting needs a publisher" in response.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()


def test_with_review_off_a_moderators_saves_are_live(client, seed, moderator, article_source, settings):  # noqa: F811
    settings.PORTAL_REVIEW_BEFORE_PUBLISHING = False
    data = form_data(Person, None, moderator, name="Ada Quorum", slug="ada-quorum", sources=[article_source.pk])
    assert client_for(moderator).post("/admin/members/person/add/", data).status_code == 302
    assert client.get("/people/ada-quorum/").status_code == 200
    act, data = eu_ai_act_edit(moderator)
    assert client_for(moderator).post(f"/admin/debates/policyitem/{act.pk}/change/", data).status_code == 302
    assert NEW_MILESTONE in client.get("/policies/eu-ai-act/").content.decode()
    assert not ChangeProposal.objects.exists()


def test_a_publishers_own_saves_are_live(client, seed, publisher):  # noqa: F811
    act, data = eu_ai_act_edit(publisher)
    assert client_for(publisher).post(f"/admin/debates/policyitem/{act.pk}/change/", data).status_code == 302
    assert NEW_MILESTONE in client.get("/policies/eu-ai-act/").content.decode()
    assert not ChangeProposal.objects.exists()


def test_new_sources_are_live_and_edits_of_sources_wait(seed, moderator, article_source):  # noqa: F811
    mona = client_for(moderator)
    data = form_data(
        Source, None, moderator, title="A new report", publisher="Example News", url="https://example.org/r"
    )
    assert mona.post("/admin/members/source/add/", data).status_code == 302
    assert Source.objects.filter(title="A new report").exists()
    data = form_data(Source, article_source, moderator, title="Renamed", change_reason="Title as published")
    mona.post(f"/admin/members/source/{article_source.pk}/change/", data)
    article_source.refresh_from_db()
    assert article_source.title != "Renamed" and ChangeProposal.objects.pending().count() == 1
