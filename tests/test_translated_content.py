"""The shipped Chinese and Hindi content (issue 26, item 7): complete, honest about how it was made, readable, shown.

Each test reads the real files in content/<language>/, so a translation that is dropped, cites an
untranslated claim, loses its provenance or runs its sentences long fails here.
"""

import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from carnk_site.articles.models import Article
from carnk_site.content_files.exporter import export_content
from carnk_site.review.models import ReviewerProfile
from carnk_site.text.headings import heading_ids, take_heading_ids
from carnk_site.text.rendering import split_on_this_page
from carnk_site.text.translated_readability import MAX_AVERAGE, measure, sentences, translation_findings
from carnk_site.translations.models import (
    MACHINE_HELP,
    ArticleTranslation,
    ClaimTranslation,
    LanguageReviewer,
    PageTranslation,
    TermTranslation,
)
from tests.conftest import clinical_reviewer, write_content

CONTENT = Path(settings.CONTENT_DIR)
SEED_PAGES = Path(settings.BASE_DIR) / "carnk_site" / "about" / "seed"
LANGUAGES = ("zh-hans", "hi")
#: What item 7 of issue 26 asks for: the home page's introduction (the first article), "What you can do
#: next", the safety article, and the pages about the site.
ARTICLES = ("how-car-nk-works", "safety-and-side-effects", "what-you-can-do-next")
PAGES = ("about", "accessibility", "how-we-make-this-content", "report-a-mistake")
CLAIM_LINK = re.compile(r"\]\(claim:([a-z0-9-]+)\)")
TERM_LINK = re.compile(r"\]\(term:([a-z0-9-]+)\)")


def split(path):
    """Return (front matter, body) of a Markdown content file."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def markdown_of(front, body):
    return "\n".join(f"- {p}" for p in front.get("key_points") or []) + "\n" + body


def english_markdown(folder, slug):
    if folder == "pages":
        return (SEED_PAGES / f"{slug}.md").read_text(encoding="utf-8")
    return markdown_of(*split(CONTENT / "articles" / f"{slug}.md"))


def translation_files(language):
    return sorted((CONTENT / language).rglob("*.*"))


# The files


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_the_issue_names_are_translated(language):
    for slug in ARTICLES:
        assert (CONTENT / language / "articles" / f"{slug}.md").is_file(), slug
    for slug in PAGES:
        assert (CONTENT / language / "pages" / f"{slug}.md").is_file(), slug


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translated_article_cites_only_translated_claims_and_keeps_the_english_links(language):
    translated = {p.stem for p in (CONTENT / language / "claims").glob("*.yaml")}
    for path in (CONTENT / language / "articles").glob("*.md"):
        text = markdown_of(*split(path))
        english = english_markdown("articles", path.stem)
        cited = set(CLAIM_LINK.findall(text))
        assert cited <= translated, f"{path.name} cites untranslated claims: {sorted(cited - translated)}"
        assert cited == set(CLAIM_LINK.findall(english)), path.name
        assert set(TERM_LINK.findall(english)) <= set(TERM_LINK.findall(text)), path.name


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_glossary_term_a_translated_article_uses_is_translated(site_content, language):
    translated = {p.stem for p in (CONTENT / language / "glossary").glob("*.md")}
    for path in (CONTENT / language / "articles").glob("*.md"):
        used = set(Article.objects.get(slug=path.stem).terms.values_list("slug", flat=True))
        assert used <= translated, f"{path.name} uses untranslated terms: {sorted(used - translated)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_says_truthfully_how_it_was_made(language):
    for path in translation_files(language):
        text = path.read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---\n")[1] if path.suffix == ".md" else text)
        assert front["method"] == MACHINE_HELP, path  # the one true answer today; no translator is named
        assert front["english_version"], path


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_names_a_person_or_organisation_the_english_does_not(language):
    """Latin-script names in a translation (CancerFax, FDA, WCAG…) must come from our English; no honorifics."""
    english = " ".join(
        p.read_text(encoding="utf-8")
        for p in [*CONTENT.glob("*/*.*"), *SEED_PAGES.glob("*.md")]
        if p.parts[-3] == CONTENT.name or p.parent == SEED_PAGES
    ).lower()
    for path in translation_files(language):
        text = path.read_text(encoding="utf-8")
        body = re.sub(r"^(id|method|english_version):.*$", "", text, flags=re.M)
        body = re.sub(r"\]\([^)]*\)", "]", body)  # link targets are ids and addresses
        for name in re.findall(r"\b[A-Z][A-Za-z0-9.-]*[A-Za-z0-9]\b", body):
            assert name.lower() in english, f"{path}: “{name}” appears in no English text"
        for honorific in ("Dr ", "Dr.", "Prof", "博士", "教授", "डॉ."):
            assert honorific not in body, f"{path}: names someone ({honorific})"


# Readability in each language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shipped_translation_keeps_its_sentences_and_keeps_them_short(language):
    for folder, slugs in (("articles", ARTICLES), ("pages", PAGES)):
        for slug in slugs:
            translated = markdown_of(*split(CONTENT / language / folder / f"{slug}.md"))
            english = english_markdown(folder, slug)
            assert translation_findings(language, translated, english) == [], f"{language}/{folder}/{slug}"
            ours, theirs, average = measure(language, translated, english)
            assert ours >= 0.9 * theirs and 0 < average <= MAX_AVERAGE[language]


def test_sentences_are_counted_in_each_script():
    assert len(sentences("发烧了。请马上告诉医疗团队！谁来付钱？")) == 3
    assert len(sentences("बुख़ार हो तो टीम को बताएँ। कौन पैसे देगा?")) == 2
    assert len(sentences("CAR-NK is new. It costs 1.5 times more.\n- A list item\n## A heading")) == 4
    assert len(sentences("[Words in a link](claim:x)。![A figure](figure:y)")) == 1


def test_a_translation_that_drops_sentences_or_runs_long_is_found():
    english = "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten."
    dropped = translation_findings("zh-hans", "一。二。三。四。五。六。七。八。", english)
    assert [f.code for f in dropped] == ["dropped"]
    long_chinese = "这是一个非常非常长的句子，" * 5 + "。"
    assert [f.code for f in translation_findings("zh-hans", long_chinese, "One.")] == ["readability"]
    long_hindi = "यह एक बहुत लंबा वाक्य है " * 6 + "।"
    assert [f.code for f in translation_findings("hi", long_hindi, "One.")] == ["readability"]
    assert [f.code for f in translation_findings("hi", "एक।\n\n## दो\n\nतीन।", "One.\n\nThree.")] == ["sections"]


SHORT_ENGLISH_BODY = "One sentence. Two sentences. Three sentences. Four sentences. Five sentences.\n"


@pytest.mark.django_db
def test_loadcontent_warns_and_strict_refuses_naming_the_file(tmp_path):
    from tests.conftest import SMALL_CONTENT

    article = next(name for name in SMALL_CONTENT if name.startswith("articles/"))
    slug = Path(article).stem
    short = f"---\nid: {slug}\ntitle: 短\nsummary: 短。\n---\n只有一句。\n"
    root = write_content(tmp_path / "content", {f"zh-hans/articles/{slug}.md": short})
    out = StringIO()
    call_command("loadcontent", "--path", str(root), "--check", stdout=out, stderr=out)
    assert f"zh-hans/articles/{slug}.md" in out.getvalue() and "check that nothing was left out" in out.getvalue()
    with pytest.raises(CommandError, match=rf"zh-hans/articles/{slug}\.md: has 1 sentences"):
        call_command("loadcontent", "--path", str(root), "--strict", stdout=StringIO())


# What readers see


def test_a_translation_takes_the_english_heading_ids_by_position():
    html = '<h2 id="_1">危险信号</h2><p>x</p><h2 id="_2">已报告</h2>'
    new, headings = take_heading_ids(html, [("_1", "危险信号"), ("_2", "已报告")], ["warning-signs", "reported"])
    assert heading_ids(new) == ["warning-signs", "reported"]
    assert headings == [("warning-signs", "危险信号"), ("reported", "已报告")]
    assert take_heading_ids(html, [], ["only-one"])[0] == html  # sections that do not line up stay as they are


def approve_shipped(language):
    """Approve the shipped translations as the test fixture reviewer (in the test database only)."""
    profile = ReviewerProfile.objects.get(user=clinical_reviewer())
    LanguageReviewer.objects.get_or_create(reviewer=profile, language=language)
    for model in (ArticleTranslation, ClaimTranslation, TermTranslation, PageTranslation):
        for translation in model.objects.filter(language=language):
            translation.approve(profile)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_translated_article_keeps_the_english_sections_and_reading_time(site_content, client, language):
    approve_shipped(language)
    for slug in ARTICLES:
        english = Article.objects.get(slug=slug)
        translated = ArticleTranslation.objects.get(article=english, language=language)
        nav, body = split_on_this_page(translated.body_html)
        assert heading_ids(body) == heading_ids(split_on_this_page(english.body_html)[1]), slug
        assert translated.reading_minutes == english.reading_minutes
        assert bool(nav) == bool(split_on_this_page(english.body_html)[0])
        shown = page(client, f"/{language}/articles/{slug}/")
        assert shown.find("article")["lang"] == language
        assert shown.find(id="warning-signs" if slug == "safety-and-side-effects" else heading_ids(body)[0])


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_home_and_article_list_show_translated_titles_and_mark_the_rest_english(site_content, client, language):
    approve_shipped(language)
    translated = dict(ArticleTranslation.objects.filter(language=language).values_list("article__slug", "title"))
    for url in (f"/{language}/", f"/{language}/articles/"):
        listing = page(client, url).find("ol", class_="article-list")
        for link in listing.find_all("a", href=re.compile(r"/articles/[a-z0-9-]+/$")):
            slug = link["href"].rstrip("/").rsplit("/", 1)[1]
            if slug in translated:
                assert link.text == translated[slug] and link["lang"] == language, (url, slug)
            else:
                assert link["lang"] == "en", (url, slug)
    home = page(client, f"/{language}/")
    intro = home.find("section", class_="key-points")
    first_point = ArticleTranslation.objects.get(article__slug="how-car-nk-works", language=language)
    assert intro.find("div")["lang"] == language
    assert first_point.key_points.splitlines()[0][:6] in intro.text


@pytest.mark.django_db
def test_english_lists_are_unchanged_and_marked_english(site_content, client):
    """English pages say their language once, on <html>: the links repeat no `lang` (nor the translation)."""
    approve_shipped("zh-hans")
    english = page(client, "/articles/")
    assert english.html["lang"] == "en"
    listing = english.find("ol", class_="article-list")
    links = listing.find_all("a", href=re.compile(r"/articles/[a-z0-9-]+/$"))
    assert links and not any(a.has_attr("lang") for a in links)
    assert "How CAR-NK therapy works" in listing.text


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_translated_about_pages_are_shown_once_approved(site_content, client, language):
    approve_shipped(language)
    for slug in PAGES:
        translated = PageTranslation.objects.get(page__slug=slug, language=language)
        shown = page(client, f"/{language}/pages/{slug}/")
        assert shown.h1.text.strip() == translated.title
        assert shown.find("article")["lang"] == language


# Back out as files


@pytest.mark.django_db
def test_exportcontent_writes_the_shipped_translations_back_byte_for_byte(site_content, tmp_path):
    export_content(tmp_path)
    for language in LANGUAGES:
        for path in translation_files(language):
            relative = path.relative_to(CONTENT)
            assert (tmp_path / relative).read_bytes() == path.read_bytes(), relative
