import pytest
from django.db import IntegrityError

from debates.models import Position, PositionForm
from debates.tests.factories import make_position, make_topic
from members.tests.factories import make_affiliation, make_organization


@pytest.mark.django_db
class TestPositionIntegrity:
    def test_quote_without_words_is_rejected(self):
        with pytest.raises(IntegrityError, match="position_quote_has_words"):
            make_position(form=PositionForm.QUOTE, quotation="")

    def test_paraphrase_with_verbatim_words_is_rejected(self):
        with pytest.raises(IntegrityError, match="position_quote_has_words"):
            make_position(form=PositionForm.PARAPHRASE, quotation="said verbatim")

    def test_unknown_stance_is_rejected(self):
        with pytest.raises(IntegrityError, match="position_stance_valid"):
            make_position(stance="neutral")

    def test_unknown_integrity_is_rejected(self):
        with pytest.raises(IntegrityError, match="position_integrity_valid"):
            make_position(integrity="probably")

    def test_duplicate_slug_is_rejected(self):
        make_position(slug="same")
        with pytest.raises(IntegrityError, match="slug"):
            make_position(slug="same")


@pytest.mark.django_db
def test_search_vector_covers_speaker_and_topic_names():
    topic = make_topic(name="Cryptozoology")
    position = make_position(topics=[topic], summary="Something unrelated.")
    assert Position.objects.filter(search_vector="cryptozoology").get() == position
    assert Position.objects.filter(search_vector=position.speaker.name.split()[0]).exists()


@pytest.mark.django_db
def test_organization_spoken_for_is_kept_when_the_speaker_moves():
    position = make_position()
    first_org = position.organization
    make_affiliation(person=position.speaker, organization=make_organization())
    position.refresh_from_db()
    assert position.organization == first_org
