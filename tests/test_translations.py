"""The site in other languages: addresses, switcher, lang and dir, hreflang, and translations as their own records."""

from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from carnk_site.about.models import TrustPage
from carnk_site.review.models import ReviewerProfile
from carnk_site.translations.models import (
    MACHINE_HELP,
    ArticleTranslation,
    ClaimTranslation,
    LanguageReviewer,
    PageTranslation,
    TermTranslation,
)
from tests.conftest import clinical_reviewer, make_article, make_claim, make_term

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def chinese_reviewer():
    """A clinical reviewer who has Simplified Chinese on their profile (a test fixture, not a real person)."""
    profile = ReviewerProfile.objects.get(user=clinical_reviewer())
    LanguageReviewer.objects.get_or_create(reviewer=profile, language="zh-hans")
    return profile


def hindi_reviewer():
    """A clinical reviewer who has Hindi on their profile (a test fixture, not a real person)."""
    profile = ReviewerProfile.objects.get(user=clinical_reviewer())
    LanguageReviewer.objects.get_or_create(reviewer=profile, language="hi")
    return profile


def translate_article(article, language="zh-hans", **overrides):
    values = {"title": "测试文章", "summary": "这篇测试讲什么。", "body": "简单的文字。"}
    values.update(overrides)
    return ArticleTranslation.objects.create(article=article, language=language, **values)


# Addresses and the interface


def test_english_keeps_its_addresses_and_each_language_has_its_prefix(client):
    make_article()
    for path in ("/", "/articles/test-article/", "/glossary/", "/evidence/", "/sources/", "/search/?q=cell"):
        assert client.get(path).status_code == 200, path
        for prefix in ("/zh-hans", "/hi"):
            assert client.get(prefix + path).status_code == 200, prefix + path
    assert client.get("/en/articles/test-article/").status_code == 404  # English has no prefix
    for unprefixed in ("/claims.json", "/sitemap.xml", "/robots.txt", "/changes.atom"):
        assert client.get(unprefixed).status_code == 200, unprefixed
        assert client.get("/hi" + unprefixed).status_code == 404 or unprefixed == "/claims.json"


def test_the_address_alone_chooses_the_language_not_the_browser(client):
    make_article()
    page = soup(client.get("/articles/test-article/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert page.html["lang"] == "en"
    assert page.find("a", class_="site-name").text == "CAR-NK explained"
    hindi = soup(client.get("/hi/articles/test-article/"))
    assert hindi.html["lang"] == "hi" and hindi.html["dir"] == "ltr"
    assert soup(client.get("/zh-hans/")).html["lang"] == "zh-hans"


def test_switcher_on_every_page_keeps_the_reader_on_the_same_page(client):
    make_article()
    make_term()
    for path in ("/articles/test-article/", "/glossary/natural-killer-cell/", "/sources/", "/pages/about/"):
        switcher = soup(client.get("/hi" + path)).find("nav", class_="language-switcher")
        links = {a["hreflang"]: a["href"] for a in switcher.find_all("a")}
        assert links == {"en": path, "zh-hans": "/zh-hans" + path}
        assert switcher.find("strong", attrs={"aria-current": "true"})["lang"] == "hi"


def test_switcher_keeps_the_search_words_but_not_tracking_tags(client):
    switcher = soup(client.get("/search/?q=cell&utm_source=x")).find("nav", class_="language-switcher")
    assert {a["href"] for a in switcher.find_all("a")} == {"/zh-hans/search/?q=cell", "/hi/search/?q=cell"}


def test_hreflang_alternates_name_the_same_page_in_every_language_it_is_published_in(client):
    """Only languages with a published translation (tests/test_hreflang.py has the rest of the rule)."""
    article = make_article()
    translate_article(article).approve(chinese_reviewer())
    translate_article(article, language="hi", title="परीक्षण लेख").approve(hindi_reviewer())
    head = soup(client.get("/zh-hans/articles/test-article/")).head
    alternates = {link["hreflang"]: link["href"] for link in head.find_all("link", hreflang=True)}
    assert alternates == {
        "en": "http://testserver/articles/test-article/",
        "zh-hans": "http://testserver/zh-hans/articles/test-article/",
        "hi": "http://testserver/hi/articles/test-article/",
        "x-default": "http://testserver/articles/test-article/",
    }


def test_interface_is_translated_from_the_compiled_catalogues(client):
    page = soup(client.get("/zh-hans/glossary/"))
    assert page.find("a", class_="site-name").text != "CAR-NK explained"
    assert soup(client.get("/hi/glossary/")).find("a", class_="skip-link").text != "Skip to main content"
    body = page.body
    assert body["data-popup-close"] == "关闭" and body["data-popup-full-entry"].endswith("%s")  # the pop-up's words


@override_settings(LANGUAGES=[("en", "English"), ("zh-hans", "简体中文"), ("hi", "हिन्दी"), ("ar", "العربية")])
def test_a_right_to_left_language_needs_no_code_change(client):
    page = soup(client.get("/ar/glossary/"))
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    english = soup(client.get("/glossary/"))
    assert english.html["dir"] == "ltr"
    assert "/ar/glossary/" in {a["href"] for a in english.find("nav", class_="language-switcher").find_all("a")}


def test_sitemap_lists_every_page_in_every_language(client):
    """Interface pages in every language; an article in a language once its translation is published
    (tests/test_machine_readable_languages.py)."""
    translate_article(make_article()).approve(chinese_reviewer())
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = {u.find(f"{SITEMAP}loc").text for u in root}
    for prefix in ("", "/zh-hans"):
        assert f"http://testserver{prefix}/articles/test-article/" in locations
    for prefix in ("", "/zh-hans", "/hi"):
        assert f"http://testserver{prefix}/" in locations


@override_settings(PAGE_CACHE_SECONDS=60)
def test_page_cache_keeps_one_page_per_language(client):
    make_article()
    assert soup(client.get("/articles/test-article/")).html["lang"] == "en"
    assert soup(client.get("/hi/articles/test-article/")).html["lang"] == "hi"
    assert soup(client.get("/articles/test-article/", HTTP_ACCEPT_LANGUAGE="hi")).html["lang"] == "en"


# Translations as records


def test_without_a_translation_the_english_page_is_marked_english(client):
    make_article()
    page = soup(client.get("/zh-hans/articles/test-article/"))
    assert page.find("aside", class_="translation-missing")
    assert page.find("article")["lang"] == "en"
    assert page.h1.text == "A test article"
    assert soup(client.get("/articles/test-article/")).find("aside", class_="translation-missing") is None


def test_unapproved_translation_is_never_shown(client):
    translate_article(make_article())
    page = soup(client.get("/zh-hans/articles/test-article/"))
    assert page.h1.text == "A test article" and "测试文章" not in page.text


def test_approval_needs_a_reviewer_with_that_language(client):
    t = translate_article(make_article(), language="hi", title="परीक्षण लेख")
    with pytest.raises(ValidationError, match="Only a reviewer"):
        t.approve(chinese_reviewer())  # Chinese, not Hindi
    t.refresh_from_db()
    assert t.approved_by is None
    assert not ArticleTranslation.objects.published().exists()


def test_approved_translation_is_shown_with_how_it_was_made(client):
    t = translate_article(make_article())
    t.approve(chinese_reviewer())
    page = soup(client.get("/zh-hans/articles/test-article/"))
    assert page.h1.text == "测试文章"
    assert page.find("article")["lang"] == "zh-hans"
    box = page.find("aside", class_="translation-box")
    assert "Dr Test Reviewer" in box.text
    assert soup(client.get("/articles/test-article/")).h1.text == "A test article"  # English unchanged


def test_an_edit_after_approval_withdraws_the_translation_until_approved_again(client):
    t = translate_article(make_article())
    t.approve(chinese_reviewer())
    t.title = "改过的标题"
    t.save()
    assert soup(client.get("/zh-hans/articles/test-article/")).h1.text == "A test article"


def test_english_change_marks_the_translation_out_of_date(client):
    article = make_article()
    t = translate_article(article)
    t.approve(chinese_reviewer())
    assert soup(client.get("/zh-hans/articles/test-article/")).find("aside", class_="translation-stale") is None
    article.body = "Plain text, now longer."
    article.save()
    box = soup(client.get("/zh-hans/articles/test-article/")).find("aside", class_="translation-box")
    assert "translation-stale" in box["class"]
    assert box.find("a", hreflang="en")["href"] == "/articles/test-article/"
    t.refresh_from_db()
    assert not t.is_current


def test_translated_article_renders_claim_labels_and_links_in_its_language():
    claim = make_claim()
    article = make_article(body="[Eight of eleven](claim:test-claim) responded.")
    t = translate_article(article, language="zh-hans", body="[十一人中有八人](claim:test-claim)有反应。")
    assert 'href="/zh-hans/sources/test-source/?claim=test-claim#cite-test-claim-1"' in t.body_html
    with translation.override("en"):
        english_label = claim.label
    assert english_label not in t.body_html  # the label is in Chinese


def test_term_and_about_page_show_their_published_translation(client):
    term = make_term()
    tt = TermTranslation.objects.create(term=term, language="zh-hans", name="自然杀伤细胞", definition="一种白细胞。")
    page = TrustPage.objects.get(slug="about") if TrustPage.objects.filter(slug="about").exists() else None
    reviewer = chinese_reviewer()
    tt.approve(reviewer)
    term_page = soup(client.get("/zh-hans/glossary/natural-killer-cell/"))
    assert term_page.h1.text == "自然杀伤细胞"
    if page is not None:
        pt = PageTranslation.objects.create(
            page=page, language="zh-hans", title="关于本站", summary="简介。", body="正文。"
        )
        pt.approve(reviewer)
        assert soup(client.get("/zh-hans/pages/about/")).h1.text == "关于本站"


def test_claims_json_gives_translated_statements_beside_verbatim_quotes(client):
    claim = make_claim()
    make_article(body="[Eight of eleven](claim:test-claim) responded.")
    ct = ClaimTranslation.objects.create(
        claim=claim, language="zh-hans", statement="在一项小试验中，11人中有8人有反应。"
    )
    english = client.get("/claims.json").json()["claims"][0]
    assert client.get("/claims.json?lang=zh-hans").json()["claims"][0]["statement"] == english["statement"]
    ct.approve(chinese_reviewer())
    chinese = client.get("/claims.json?lang=zh-hans").json()["claims"][0]
    assert chinese["statement"] == "在一项小试验中，11人中有8人有反应。"
    assert chinese["statement_language"] == "zh-hans" and chinese["statement_translated"] is True
    assert chinese["english_statement"] == english["statement"]
    assert chinese["citations"][0]["quote"] == english["citations"][0]["quote"]  # quotes stay verbatim
    assert chinese["evidence"]["label"] != english["evidence"]["label"]
    bad = client.get("/claims.json?lang=xx")
    assert bad.status_code == 400 and "lang" in bad.content.decode()


def test_method_defaults_to_the_honest_description():
    t = translate_article(make_article())
    assert t.method == MACHINE_HELP and t.english_hash and t.is_current


# Editors


def test_overview_lists_translations_behind_their_english(admin_client):
    article = make_article()
    translate_article(article)
    overview = reverse("admin:articles_article_overview")
    assert soup(admin_client.get(overview)).find(id="translations-behind") is None
    article.title = "A retitled test article"
    article.save()
    listed = soup(admin_client.get(overview)).find(id="translations-behind")
    assert "A retitled test article [zh-hans]" in listed.text


def test_admin_shows_the_english_beside_the_translation_and_approves_only_by_language(client):
    from django.contrib.auth.models import User

    t = translate_article(make_article())
    reviewer = clinical_reviewer()
    User.objects.filter(pk=reviewer.pk).update(is_superuser=True)
    client.force_login(reviewer)
    page = soup(client.get(reverse("admin:translations_articletranslation_change", args=[t.pk])))
    beside = page.find("table", class_="english-beside")
    assert (
        beside.find("td", lang="en").text == "A test article" and beside.find("td", lang="zh-hans").text == "测试文章"
    )
    changelist = reverse("admin:translations_articletranslation_changelist")
    client.post(changelist, {"action": "approve", "_selected_action": [t.pk]})
    t.refresh_from_db()
    assert t.approved_by is None  # no Chinese on this reviewer's profile
    LanguageReviewer.objects.create(reviewer=reviewer.reviewer_profile, language="zh-hans")
    client.post(changelist, {"action": "approve", "_selected_action": [t.pk]})
    t.refresh_from_db()
    assert t.is_approved


def test_preview_shows_an_unapproved_translation_to_editors_only(admin_client, client):
    t = translate_article(make_article())
    url = reverse("admin:translations_articletranslation_preview", args=[t.pk])
    page = soup(admin_client.get(url))
    assert page.h1.text == "测试文章" and page.html["lang"] == "zh-hans"
    assert "No clinician fluent" not in page.text  # the box is in Chinese
    assert client.get(url).status_code == 302  # readers are sent to sign in


def test_source_page_and_popup_show_our_translation_beside_the_verbatim_quote(client):
    claim = make_claim()
    make_article(body="[Eight of eleven](claim:test-claim) responded.")
    ClaimTranslation.objects.create(claim=claim, language="hi", statement="11 में से 8 लोगों पर असर हुआ।").approve(
        reviewer_for("hi")
    )
    item = soup(client.get("/hi/sources/test-source/")).find("li", id="cite-test-claim-1")
    assert "11 में से 8 लोगों पर असर हुआ।" in item.find("p", class_="statement").text
    assert item.find("span", class_="our-translation")
    assert item.find("span", lang="en").text == claim.statement  # the English statement stays beside it
    assert item.blockquote.text == "“Eight of the 11 patients responded”"  # the quote as the source wrote it
    popup = client.get("/hi/claims/test-claim.json").json()
    assert popup["statement"] == "11 में से 8 लोगों पर असर हुआ।" and popup["statement_translated"] is True
    assert popup["citations"][0]["quote"] == "Eight of the 11 patients responded"
    assert client.get("/claims/test-claim.json").json()["statement"] == claim.statement


def reviewer_for(language):
    """A clinical reviewer (test fixture) with `language` on their profile."""
    profile = ReviewerProfile.objects.get(user=clinical_reviewer())
    LanguageReviewer.objects.get_or_create(reviewer=profile, language=language)
    return profile


def test_a_changed_claim_label_reaches_the_translated_page(client, django_capture_on_commit_callbacks):
    claim = make_claim()
    article = make_article(body="[Eight of eleven](claim:test-claim) responded.")
    t = translate_article(article, body="[十一人中有八人](claim:test-claim)有反应。")
    t.approve(reviewer_for("zh-hans"))
    assert (
        'data-evidence="phase-1"'
        in soup(client.get("/zh-hans/articles/test-article/")).find(class_="article-body").decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        claim.evidence = "phase-2"
        claim.save()
    body = soup(client.get("/zh-hans/articles/test-article/")).find(class_="article-body").decode()
    assert 'data-evidence="phase-2"' in body and 'data-evidence="phase-1"' not in body
    t.refresh_from_db()
    assert 'data-evidence="phase-2"' in t.body_html and t.is_approved  # stored once; the text itself is unchanged


def test_glossary_index_shows_approved_names_and_marks_the_rest_english(client):
    make_term()
    make_term(slug="t-cell", term="T cell", aliases="")
    tt = TermTranslation.objects.create(
        term=make_term(slug="donor", term="Donor", aliases=""),
        language="zh-hans",
        name="捐献者",
        definition="一个健康的人。",
    )
    tt.approve(reviewer_for("zh-hans"))
    page = soup(client.get("/zh-hans/glossary/"))
    donor = page.find("dt", id="donor")
    assert donor.a.text == "捐献者" and donor.find("span", lang="en").text == "(Donor)"
    assert donor.find_next_sibling("dd").text == "一个健康的人。"
    assert page.find("dt", id="t-cell").a["lang"] == "en"
    assert soup(client.get("/glossary/")).find("dt", id="donor").a.text == "Donor"


def test_admin_refuses_a_translation_whose_links_do_not_exist_and_keeps_the_text(admin_client):
    article = make_article()
    url = reverse("admin:translations_articletranslation_add")
    data = {
        "article": article.pk,
        "language": "hi",
        "method": MACHINE_HELP,
        "title": "परीक्षण",
        "summary": "सार",
        "key_points": "",
        "body": "[कुछ](claim:no-such-claim)",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "no-such-claim" in response.content.decode()
    assert "[कुछ](claim:no-such-claim)" in response.content.decode()  # the editor's text is kept in the form
    assert not ArticleTranslation.objects.exists()
    data["body"] = "सादा पाठ।"
    assert admin_client.post(url, data).status_code == 302
    assert ArticleTranslation.objects.get().body_html == "<p>सादा पाठ।</p>"
