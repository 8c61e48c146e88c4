"""The small JSON behind the glossary and citation pop-ups."""

import pytest

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation

from .conftest import make_article, make_claim, make_source, make_term

pytestmark = pytest.mark.django_db


def test_term_json_gives_term_definition_and_url_in_one_query(client, django_assert_num_queries):
    term = make_term()
    with django_assert_num_queries(1):
        data = client.get("/glossary/natural-killer-cell.json").json()
    assert data == {
        "id": "natural-killer-cell",
        "term": term.term,
        "definition": term.definition,
        "url": term.get_absolute_url(),
    }
    assert client.get("/glossary/no-such-term.json").status_code == 404


def test_claim_json_gives_label_people_source_kind_commercial_and_quote(client, django_assert_num_queries):
    source = make_source(commercial=True, kind="Commercial guide", teller="seller")
    claim = make_claim(source=source)
    other = make_source(slug="other", short_name="Other")
    Citation.objects.create(claim=claim, source=other, quote="NK cells were given", position=2)
    make_article(body="[x](claim:test-claim)")
    with django_assert_num_queries(2):
        response = client.get("/claims/test-claim.json")
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    data = response.json()
    assert data["label"] == "Phase I · 11 people · told by a news report and a seller"
    assert data["label_in_full"] == "Phase I · 11 people · told by a news report and a company selling treatment"
    assert data["participants"] == 11 and data["kind"] == "phase-1" and data["rank"] == 3
    assert data["told_by"] == ["news-report", "seller"]
    first, second = data["citations"]
    assert (
        first["anchor"] == "cite-test-claim-1"
        and first["url"] == "/sources/test-source/?claim=test-claim#cite-test-claim-1"
    )
    assert first["source"] == {
        "name": "Test source",
        "title": "Test source",
        "kind": "Commercial guide",
        "commercial": True,
        "teller": "seller",
        "teller_label": "a company selling treatment",
        "url": "/sources/test-source/",
    }
    assert first["quote"] == "Eight of the 11 patients responded"
    assert second["source"]["commercial"] is False and second["anchor"] == "cite-test-claim-2"


def test_claim_json_hides_claims_no_published_article_uses(client):
    make_claim()
    make_article(body="[x](claim:test-claim)", status=Article.Status.DRAFT)
    assert client.get("/claims/test-claim.json").status_code == 404
