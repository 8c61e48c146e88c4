"""The translation admin's claim and term pickers show the statements and terms in the translation's language."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from carnk_site.translations.models import ArticleTranslation, ClaimTranslation, TermTranslation
from tests.conftest import make_article, make_claim, make_term

pytestmark = pytest.mark.django_db

CLAIMS = reverse("admin:evidence_claim_search")
TERMS = reverse("admin:glossary_term_search")
CHINESE_STATEMENT = "在一项小试验中，11人中有8人有反应。"


@pytest.fixture
def translated():
    claim = make_claim()
    make_claim(slug="untranslated-claim", statement="Mice were given lymphoma cells.")
    ClaimTranslation.objects.create(claim=claim, language="zh-hans", statement=CHINESE_STATEMENT)  # a draft
    term = make_term()
    TermTranslation.objects.create(term=term, language="hi", name="एनके कोशिका", definition="एक सफ़ेद रक्त कोशिका।")


def test_claim_picker_in_chinese_matches_and_shows_the_chinese_statement(admin_client, translated):
    results = admin_client.get(CLAIMS, {"q": "小试验", "lang": "zh-hans"}).json()["results"]
    assert [r["id"] for r in results] == ["test-claim"]
    found = results[0]
    assert found["statement"] == CHINESE_STATEMENT and found["translated"] is True and found["language"] == "zh-hans"
    assert found["english"] == "In a small trial, 8 of 11 people responded." and found["label"]
    untranslated = admin_client.get(CLAIMS, {"q": "mice", "lang": "zh-hans"}).json()["results"][0]
    assert untranslated["translated"] is False and untranslated["statement"] == untranslated["english"]


def test_term_picker_in_hindi_matches_and_shows_the_hindi_name(admin_client, translated):
    results = admin_client.get(TERMS, {"q": "कोशिका", "lang": "hi"}).json()["results"]
    assert [(r["id"], r["term"], r["english"]) for r in results] == [
        ("natural-killer-cell", "एनके कोशिका", "Natural killer cell")
    ]
    assert results[0]["definition"] == "एक सफ़ेद रक्त कोशिका।"


def test_pickers_without_a_language_stay_english_and_refuse_an_unknown_one(admin_client, translated):
    english = admin_client.get(CLAIMS, {"q": "small trial"}).json()["results"][0]
    assert english["statement"] == "In a small trial, 8 of 11 people responded." and "english" not in english
    assert admin_client.get(CLAIMS, {"q": "小试验"}).json()["results"] == []
    refused = admin_client.get(TERMS, {"q": "x", "lang": "xx"})
    assert refused.status_code == 400 and "lang" in refused.json()["error"]


def test_translation_change_forms_load_the_pickers(admin_client, translated):
    article = make_article()
    t = ArticleTranslation.objects.create(article=article, language="hi", title="परीक्षण", summary="सार", body="पाठ।")
    for obj in (t, TermTranslation.objects.get()):
        url = reverse(f"admin:translations_{obj._meta.model_name}_change", args=[obj.pk])
        page = BeautifulSoup(admin_client.get(url).content, "html.parser")
        config = page.find(id="editor-config")
        assert config["data-model"] == f"translations.{obj._meta.model_name}"
        assert config["data-claim-search-url"] == CLAIMS and config["data-term-search-url"] == TERMS
        assert any("admin-editor/editor.js" in s.get("src", "") for s in page.find_all("script"))
        assert page.find("select", attrs={"name": "language"}).find("option", selected=True)["value"] == "hi"
