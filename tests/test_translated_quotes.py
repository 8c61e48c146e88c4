"""Quotes stay verbatim in the source's language, with our translation beside them, marked as ours (issue 26, item 3).

A claim's translation carries our translation of each quote it cites, keyed by the English quote
itself. Readers see the quote as the source wrote it (lang="en") and ours beside it, never in its
place: in the pop-up data, the article's quoted passages (no JavaScript needed), source pages and
/claims.json. A changed English quote marks the translation out of date.
"""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from carnk_site.content_files.exporter import export_content
from carnk_site.content_files.importer import InvalidContent, import_content
from carnk_site.evidence.models import Citation, Claim
from carnk_site.translations.models import ClaimTranslation, out_of_date
from tests.conftest import write_content
from tests.test_translated_content import approve_shipped, page

pytestmark = pytest.mark.django_db

#: A claim the safety article cites, with one quote; and one with three.
CLAIM = "carnk-mild-crs-10-30-percent-cancerfax"
THREE_QUOTES = "carnk-made-in-advance-off-the-shelf"
ARTICLE = "/{language}/articles/safety-and-side-effects/"
OURS = {"zh-hans": "我们的翻译：", "hi": "हमारा अनुवाद:"}
LANGUAGES = tuple(OURS)


def shipped(language, slug=CLAIM):
    return ClaimTranslation.objects.select_related("claim").get(language=language, claim__slug=slug)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shipped_claim_translation_translates_each_of_its_quotes_and_is_current(site_content, language):
    translations = ClaimTranslation.objects.filter(language=language).prefetch_related("claim__citations")
    assert translations.count() >= 50
    for translation in translations:
        english = [c.quote for c in translation.claim.citations.all()]
        ours = translation.quote_translations()
        assert sorted(ours) == sorted(english), translation
        assert all(text.strip() and text not in english for text in ours.values()), translation
        assert translation.is_current, translation


@pytest.mark.parametrize("language", LANGUAGES)
def test_popup_data_gives_the_verbatim_quote_and_our_translation_marked_as_ours(site_content, client, language):
    approve_shipped(language)
    translation = shipped(language, THREE_QUOTES)
    data = client.get(f"/{language}/claims/{THREE_QUOTES}.json").json()
    assert data["our_translation_text"] == OURS[language]
    english = [c.quote for c in translation.claim.citations.all()]
    assert [c["quote"] for c in data["citations"]] == english  # verbatim, in order
    for citation in data["citations"]:
        assert citation["quote_language"] == "en"
        assert citation["translation"] == translation.quote_translations()[citation["quote"]]
        assert citation["translation_language"] == language
    english_data = client.get(f"/claims/{THREE_QUOTES}.json").json()
    assert all("translation" not in c for c in english_data["citations"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_article_quoted_passages_show_our_translation_beside_the_quote_without_javascript(
    site_content, client, language
):
    approve_shipped(language)
    translation = shipped(language)
    quote = translation.claim.citations.get().quote
    item = page(client, ARTICLE.format(language=language)).find("li", id=f"claim-{CLAIM}")
    verbatim, ours, _source = item.blockquote.find_all("p")
    assert verbatim["lang"] == "en" and verbatim.get_text() == f"“{quote}”"
    assert ours["lang"] == language and "quote-translation" in ours["class"]
    assert ours.find(class_="our-translation").get_text() == OURS[language]
    assert translation.quote_translations()[quote] in ours.get_text()
    english = page(client, "/articles/safety-and-side-effects/").find("li", id=f"claim-{CLAIM}")
    assert not english.select(".quote-translation") and not english.blockquote.p.has_attr("lang")


@pytest.mark.parametrize("language", LANGUAGES)
def test_source_page_shows_our_translation_beside_each_quote(site_content, client, language):
    approve_shipped(language)
    translation = shipped(language)
    citation = translation.claim.citations.select_related("source").get()
    item = page(client, f"/{language}/sources/{citation.source.slug}/").find("li", id=citation.anchor)
    verbatim, ours = item.blockquote.find_all("p")
    assert verbatim["lang"] == "en" and citation.quote in verbatim.get_text()
    assert ours.find(class_="our-translation").get_text() == OURS[language]
    assert translation.quote_translations()[citation.quote] in ours.get_text()


def test_claims_json_in_a_language_carries_our_quote_translations(site_content, client):
    approve_shipped("hi")
    data = client.get("/claims.json?lang=hi").json()
    claim = next(c for c in data["claims"] if c["id"] == CLAIM)
    assert claim["citations"][0]["quote_language"] == "en"
    assert claim["citations"][0]["translation"] == next(iter(shipped("hi").quote_translations().values()))


def test_a_quote_without_our_translation_shows_only_the_verbatim_quote(site_content, client):
    translation = shipped("zh-hans")
    translation.quotes = []
    translation.save()
    approve_shipped("zh-hans")
    data = client.get(f"/zh-hans/claims/{CLAIM}.json").json()
    assert "translation" not in data["citations"][0] and data["statement_translated"]
    item = page(client, ARTICLE.format(language="zh-hans")).find("li", id=f"claim-{CLAIM}")
    assert not item.select(".quote-translation") and item.blockquote.p["lang"] == "en"


def test_an_unapproved_quote_translation_is_not_shown(site_content, client):
    approve_shipped("zh-hans")
    translation = shipped("zh-hans")
    translation.quotes = [{**translation.quotes[0], "translation": "改过的译文"}]
    translation.save()  # the approval named the old text: withdrawn until approved again
    assert not translation.is_approved
    data = client.get(f"/zh-hans/claims/{CLAIM}.json").json()
    assert "translation" not in data["citations"][0] and not data["statement_translated"]
    assert data["citations"][0]["quote_language"] == "en"  # still marked as the source's language


def test_a_changed_english_quote_marks_the_translation_out_of_date(site_content, client):
    approve_shipped("zh-hans")
    translation = shipped("zh-hans")
    assert translation.is_current and translation not in out_of_date()
    Citation.objects.filter(claim=translation.claim).update(quote="Grade 1–2 CRS (fever, chills) occurs in 10–30%")
    translation = shipped("zh-hans")
    assert not translation.is_current
    assert translation in out_of_date()
    # Keyed by the English quote: our old translation is not put beside a quote it does not translate.
    data = client.get(f"/zh-hans/claims/{CLAIM}.json").json()
    assert "translation" not in data["citations"][0]


def test_a_quote_translation_must_name_a_quote_of_the_english_claim(site_content):
    translation = shipped("hi")
    translation.quotes = [{"quote": "Not what the source says", "translation": "कुछ भी"}]
    with pytest.raises(ValidationError) as refused:
        translation.full_clean()
    assert "quotes" in refused.value.message_dict
    assert "does not match any quote of the English claim" in refused.value.message_dict["quotes"][0]


CLAIM_ZH = """\
id: eight-of-eleven
statement: 在一项小型试验中，11人中有8人有反应。
quotes:
- quote: Eight of the 11 patients responded
  translation: 11名患者中有8名有反应
"""


def load(root):
    out = StringIO()
    call_command("loadcontent", "--path", str(root), stdout=out)
    return out.getvalue()


def test_quote_translations_load_from_files_and_export_back_byte_for_byte(tmp_path):
    root = write_content(tmp_path / "content", {"zh-hans/claims/eight-of-eleven.yaml": CLAIM_ZH})
    load(root)
    translation = ClaimTranslation.objects.get(language="zh-hans")
    assert translation.quote_translations() == {"Eight of the 11 patients responded": "11名患者中有8名有反应"}
    assert translation.is_current
    exported = tmp_path / "exported"
    export_content(exported)
    written = (exported / "zh-hans/claims/eight-of-eleven.yaml").read_text(encoding="utf-8")
    head = f"id: eight-of-eleven\nmethod: {translation.method}\nenglish_version: {translation.english_hash}\n"
    assert written == head + CLAIM_ZH.removeprefix("id: eight-of-eleven\n")
    assert "quotes:\n- quote: Eight of the 11 patients responded\n  translation: 11名患者中有8名有反应\n" in written
    assert "0 created, 0 updated, 1 unchanged" in load(exported)


@pytest.mark.parametrize(
    ("quotes", "message"),
    [
        ("- quote: Eight of 11 patients responded\n  translation: 有反应\n", "does not match any quote"),
        ("- quote: Eight of the 11 patients responded\n", "exactly 'quote' and 'translation'"),
        ("  quote: Eight of the 11 patients responded\n", "must be a list"),
        (
            "- quote: Eight of the 11 patients responded\n  translation: 一\n"
            "- quote: Eight of the 11 patients responded\n  translation: 二\n",
            "translated twice",
        ),
    ],
)
def test_loader_refuses_a_quote_that_does_not_match_naming_file_and_field(tmp_path, quotes, message):
    text = CLAIM_ZH.split("quotes:\n")[0] + "quotes:\n" + quotes
    root = write_content(tmp_path / "content", {"zh-hans/claims/eight-of-eleven.yaml": text})
    with pytest.raises(InvalidContent) as refused:
        import_content(root)
    assert message in str(refused.value)
    assert "zh-hans/claims/eight-of-eleven.yaml" in str(refused.value) and "(quotes)" in str(refused.value)
    assert not ClaimTranslation.objects.exists() and Claim.objects.count() == 0


def test_admin_shows_each_english_quote_beside_our_translation_and_edits_them(site_content, admin_client):
    from bs4 import BeautifulSoup
    from django.urls import reverse

    translation = shipped("zh-hans", THREE_QUOTES)
    response = admin_client.get(reverse("admin:translations_claimtranslation_change", args=[translation.pk]))
    html = BeautifulSoup(response.content, "html.parser")
    english = [td.get_text() for td in html.select("table.english-beside td[lang=en]")]
    ours = [td.get_text() for td in html.select("table.english-beside td[lang=zh-hans]")]
    for quote, text in translation.quote_translations().items():
        assert ours[english.index(quote)] == text
    assert html.find("textarea", attrs={"name": "quotes"}) is not None


def test_the_migration_keeps_current_translations_current_and_loadcontent_memory_valid(site_content):
    """translations 0003 re-stamps the old statement-only fingerprint; a load after it sees no conflict."""
    import importlib

    from django.apps import apps

    from carnk_site.content_files.models import ImportedRecord
    from carnk_site.content_files.translation_files import _file_fingerprint
    from carnk_site.translations.models import fingerprint

    migration = importlib.import_module("carnk_site.translations.migrations.0003_claim_quote_translations")
    translation = shipped("hi")
    old_hash = fingerprint([translation.claim.statement])
    ClaimTranslation.objects.filter(pk=translation.pk).update(english_hash=old_hash, quotes=[])
    values = {"method": translation.method, "statement": translation.statement}
    ImportedRecord.objects.update_or_create(
        kind="hi/claims", slug=CLAIM, defaults={"fingerprint": _file_fingerprint(values, old_hash)}
    )
    stale = shipped("hi", THREE_QUOTES)
    ClaimTranslation.objects.filter(pk=stale.pk).update(english_hash="0" * 64)
    migration.restamp(apps, None)
    translation = shipped("hi")
    assert translation.is_current and not shipped("hi", THREE_QUOTES).is_current
    remembered = ImportedRecord.objects.get(kind="hi/claims", slug=CLAIM).fingerprint
    assert remembered == _file_fingerprint(values, translation.english_hash)
