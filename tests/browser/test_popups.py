"""Glossary and citation pop-ups: click, tap or Enter opens; Escape or a click outside closes.

Without JavaScript they are plain links to the glossary entry and the quoted passage.
"""

import re

import pytest
from playwright.sync_api import expect

from carnk_site.evidence.models import Claim
from carnk_site.glossary.models import Term
from carnk_site.text.levels import evidence_label

from .conftest import PHONE, page_types


def article_path():
    return dict(page_types())["article"]


def first_term(page):
    link = page.locator("a.term").first
    return link, Term.objects.get(slug=link.get_attribute("data-term"))


@pytest.mark.parametrize("page_type", ["article", "evidence"])
def test_glossary_pop_up_opens_on_click_with_definition_and_link(pages, page_type):
    path = dict(page_types())[page_type]
    page = pages.open(path)
    link, term = first_term(page)
    expect(link).to_have_attribute("aria-haspopup", "dialog")
    expect(link).to_have_attribute("aria-expanded", "false")
    link.click()
    dialog = page.get_by_role("dialog", name=term.term)
    expect(dialog).to_be_visible()
    expect(dialog).to_have_accessible_description(re.compile(re.escape(term.definition)))
    expect(dialog).to_be_focused()
    expect(link).to_have_attribute("aria-expanded", "true")
    full_entry = dialog.get_by_role("link", name=re.compile("Full entry"))
    expect(full_entry).to_have_attribute("href", term.get_absolute_url())
    assert page.url.endswith(path), "the click must not follow the link"


def test_glossary_pop_up_stays_under_the_pointer_and_closes_on_escape_or_outside_click(pages):
    page = pages.open(article_path())
    link, term = first_term(page)
    link.click()
    dialog = page.get_by_role("dialog", name=term.term)
    dialog.hover()
    page.wait_for_timeout(1500)
    expect(dialog).to_be_visible()
    page.mouse.move(5, 5)  # the pointer leaving it does not close it either (WCAG 1.4.13: persistent)
    page.wait_for_timeout(500)
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(link).to_be_focused()
    expect(link).to_have_attribute("aria-expanded", "false")

    link.click()
    expect(dialog).to_be_visible()
    dialog.click()  # a click inside keeps it open
    expect(dialog).to_be_visible()
    page.locator("h1").click()
    expect(dialog).to_have_count(0)


def test_glossary_pop_up_works_from_the_keyboard(pages):
    page = pages.open(article_path())
    link, term = first_term(page)
    link.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=term.term)
    expect(dialog).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("link", name=re.compile("Full entry"))).to_be_focused()
    page.keyboard.press("Tab")
    close = dialog.get_by_role("button", name="Close")
    expect(close).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(link).to_be_focused()

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # follow "Full entry"
    page.wait_for_url(f"**{term.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(term.term)


def test_glossary_pop_up_opens_on_tap(pages):
    page = pages.open(article_path(), viewport=PHONE, has_touch=True, is_mobile=True)
    link, term = first_term(page)
    link.tap()
    dialog = page.get_by_role("dialog", name=term.term)
    expect(dialog).to_be_visible()
    page.locator("h1").tap()
    expect(dialog).to_have_count(0)


@pytest.mark.parametrize("page_type", ["article", "evidence"])
def test_label_pop_up_shows_full_label_people_sources_commercial_quotes_and_covered_words(pages, page_type):
    page = pages.open(dict(page_types())[page_type])
    checked = {"commercial": False, "not commercial": False, "people": False, "no people": False}
    for label in page.locator(".evidence a.evidence-label").all():
        slugs = label.get_attribute("data-covers").split()
        claims = [Claim.objects.prefetch_related("citations__source").get(slug=s) for s in slugs]
        first = claims[0]
        commercial = any(c.source.commercial for c in first.citations.all())
        kinds = ["commercial" if commercial else "not commercial", "people" if first.participants else "no people"]
        if all(checked[k] for k in kinds):
            continue
        label.click()
        full = evidence_label(
            first.evidence, first.participants, first.tellers, short=False, statement_kind=first.statement_kind
        )
        dialog = page.get_by_role("dialog", name=full)
        expect(dialog).to_be_focused()
        for claim in claims:
            for citation in claim.citations.all():
                expect(dialog).to_contain_text(citation.quote)
                expect(dialog).to_contain_text(citation.source.short_name)
        if first.participants:
            expect(dialog).to_contain_text(f"{first.participants} people took part")
        else:
            expect(dialog).to_contain_text("does not say how many people")
        if commercial:
            expect(dialog.locator(".commercial-label").first).to_contain_text("Commercial source")
        for slug in slugs:
            expect(page.locator(f'.claim[data-claim="{slug}"]').first).to_have_class(re.compile("is-covered"))
        page.keyboard.press("Escape")
        expect(label).to_be_focused()
        for k in kinds:
            checked[k] = True
    # The heaviest article has labels of every kind of source; the evidence page at least one.
    assert all(checked.values()) if page_type == "article" else any(checked.values()), checked


def test_a_shared_label_covers_every_statement_of_its_run(pages):
    page = pages.open(article_path())
    shared = page.locator(".evidence a.evidence-label[data-covers*=' ']").first
    slugs = shared.get_attribute("data-covers").split()
    shared.focus()
    for slug in slugs:
        expect(page.locator(f'.claim[data-claim="{slug}"]').first).to_have_class(re.compile("is-covered"))


def test_without_javascript_terms_and_citations_are_plain_links(pages):
    page = pages.open(article_path(), java_script_enabled=False)
    link = page.locator("a.term").first
    assert link.get_attribute("aria-haspopup") is None
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    expect(page.locator("h1")).to_have_text(Term.objects.get(slug=href.strip("/").split("/")[-1]).term)

    page.goto(pages.base_url + article_path())
    cite = page.locator(".evidence a.evidence-label").first
    href = cite.get_attribute("href")
    cite.click()
    # The link names its claim (?claim=); the source page sends the reader to the page of its list
    # holding it, and the browser keeps the passage's fragment.
    path, fragment = href.split("?")[0], href.split("#")[1]
    page.wait_for_url(lambda url: path in url and url.endswith(f"#{fragment}"))
    passage = page.locator(f"#{fragment}")
    expect(passage.locator("blockquote")).to_be_visible()
