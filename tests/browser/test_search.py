"""Search from the box on every page, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from carnk_site.evidence.models import Claim
from carnk_site.glossary.models import Term
from carnk_site.search.search import search

from .conftest import page_types


def test_every_page_type_has_the_search_box(pages):
    page = pages.open(None)
    for _name, path in page_types():
        page.goto(pages.base_url + path)
        search = page.get_by_role("search")
        expect(search).to_have_count(1)
        expect(search.get_by_role("searchbox", name="Search articles, glossary and statements")).to_be_visible()
        expect(search.get_by_role("button", name="Search")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False])
def test_search_finds_pages_and_statements_ranked(pages, javascript):
    page = pages.open(dict(page_types())["article"], java_script_enabled=javascript)
    page.get_by_role("searchbox").fill("cord blood")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=cord+blood")
    expect(page.locator("h1")).to_have_text("Search results for “cord blood”")
    expect(page.get_by_role("searchbox")).to_have_value("cord blood")

    found = page.get_by_role("region", name="Articles")
    glossary = page.get_by_role("region", name="In the glossary")  # its own small group, after the articles
    term = Term.objects.get(slug="cord-blood")
    expect(glossary.get_by_role("link", name=term.term, exact=True)).to_have_attribute("href", term.get_absolute_url())
    expect(found.locator("mark").first).to_be_visible()
    expect(found.locator("p.answer .evidence").first).to_be_visible()  # the answering sentence, with its label
    section = found.locator("a[href*='#']").first
    expect(section).to_have_attribute("href", re.compile(r"^/articles/[^/]+/#[a-z0-9-]+$"))

    statements = page.get_by_role("region", name="Statements and their sources")
    first = search("cord blood").claims[0].claim
    expect(statements.locator("li").first).to_contain_text(Claim.objects.get(pk=first.pk).label)
    expect(statements.get_by_role("link").first).to_have_attribute("href", re.compile(r"^/sources/.+#cite-"))

    href = section.get_attribute("href")
    section.click()
    page.wait_for_url("**" + href)
    expect(page.locator("#" + href.split("#")[1])).to_be_visible()


def test_a_typo_is_corrected_and_the_words_as_typed_are_offered_without_javascript(pages):
    page = pages.open("/search/?q=car+nk+theraphy+cost", java_script_enabled=False)
    expect(page.locator(".searched-for strong")).to_have_text("car nk therapy cost")
    expect(page.get_by_role("region", name="Articles").get_by_role("link").first).to_be_visible()
    page.get_by_role("link", name="Search for “car nk theraphy cost” as typed").click()
    expect(page.locator("h1")).to_have_text("Search results for “car nk theraphy cost”")
    expect(page.locator(".searched-for")).to_contain_text("as typed, with no spelling corrections")


def test_empty_and_unmatched_searches_say_what_to_do(pages):
    page = pages.open("/search/?q=", java_script_enabled=False)
    expect(page.locator("h1")).to_have_text("Search this site")
    expect(page.locator("main")).to_contain_text("Type a word or two")
    page.get_by_role("link", name="side effects").click()
    expect(page.locator("h1")).to_have_text("Search results for “side effects”")

    page.get_by_role("searchbox").fill("zzqx")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("Nothing on this site matches “zzqx”")
    expect(page.get_by_role("main").get_by_role("link", name="glossary")).to_be_visible()
