"""Random and hostile input on every participation page never gives a 500."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_fuzz import FUZZ, HOSTILE, values

PARAMETERS = ["alert", "topic", "person", "coalition", "organization", "stance", "said_after", "kind", "policy", "q"]
ALERTS = st.one_of(st.sampled_from(["positions", "organizations", "people", "policies", "policy-changes"]), values)
query = st.fixed_dictionaries({"alert": ALERTS}, optional=dict.fromkeys(PARAMETERS[1:], values))


@FUZZ
@given(params=query, email=values, frequency=st.one_of(st.sampled_from(["immediate", "daily", "weekly"]), values))
def test_the_subscribe_page_never_gives_a_500(client, seed, params, email, frequency):
    url = "/alerts/new/?" + urlencode(params)
    assert client.get(url).status_code < 500
    assert client.post(url, {"email": email, "frequency": frequency}).status_code < 500


@pytest.mark.parametrize("link", ["confirm", "manage", "unsubscribe"])
@FUZZ
@given(token=st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=120)))
def test_no_token_gives_a_500(client, seed, link, token):
    url = f"/alerts/{link}/{quote(token, safe='')}/"
    assert client.get(url).status_code in {400, 404}
    assert client.post(url).status_code in {400, 404}


FIELDS = [
    "speaker_name", "organization_name", "form", "words", "said_on", "topics", "source_url", "note_markdown",
    "position", "problem_markdown", "evidence_markdown", "email", "website", "junk",
]  # fmt: skip


@pytest.mark.parametrize("url", ["/suggest/", "/suggest/correction/"])
@FUZZ
@given(data=st.dictionaries(st.sampled_from(FIELDS), values, max_size=10))
def test_no_suggestion_gives_a_500(client, seed, url, data):
    assert client.post(url, data).status_code < 500
