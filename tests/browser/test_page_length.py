"""A page a worried reader can finish, measured on a 375 × 667 phone (issue 23, item 3).

The rule and its measurements live in carnk_site/tooling/pagelength.py, which `manage.py
pagelength` prints for editors: every article's main text (top of the page to the end of the
body) is at most 8 screens, and the safety page's warning signs start within the first 2.
"""

import pytest

from carnk_site.tooling.pagelength import (
    MAIN_TEXT_BOTTOM,
    MAX_SCREENS,
    PHONE_SCREEN,
    WARNING_SIGNS_ANCHOR,
    WARNING_SIGNS_HEADING,
    WARNING_SIGNS_MAX_SCREENS,
    WARNING_SIGNS_SLUG,
    WARNING_SIGNS_TOP,
    screens,
)

PHONE = {"viewport": PHONE_SCREEN, "is_mobile": True, "has_touch": True}
SAFETY = f"/articles/{WARNING_SIGNS_SLUG}/"


def published_paths():
    from carnk_site.articles.models import Article

    return [article.get_absolute_url() for article in Article.objects.published()]


def test_every_article_fits_in_eight_phone_screens(pages):
    paths = published_paths()
    page = pages.open(None, **PHONE)
    lengths = {}
    for path in paths:
        page.goto(pages.base_url + path)
        lengths[path] = round(screens(page.evaluate(MAIN_TEXT_BOTTOM)), 1)
    assert len(lengths) >= 10
    too_long = {path: length for path, length in lengths.items() if length > MAX_SCREENS}
    assert too_long == {}, f"main text longer than {MAX_SCREENS} phone screens: {too_long}"


def approve_every_translation():
    """Publish the shipped translations, as a reviewer of each language would (a test fixture, not a person)."""
    from carnk_site.review.models import ReviewerProfile
    from carnk_site.translations.models import TRANSLATION_MODELS, LanguageReviewer
    from tests.conftest import clinical_reviewer

    profile = ReviewerProfile.objects.get(user=clinical_reviewer())
    for language in ("zh-hans", "hi"):
        LanguageReviewer.objects.get_or_create(reviewer=profile, language=language)
    for model in TRANSLATION_MODELS:
        for translation in model.objects.all():
            translation.approve(profile)


# In English; in Chinese and Hindi with no translation approved (the English under a notice, as
# shipped); and once the translations are approved (the page in the language, under its provenance box).
LANGUAGES = [("", False), ("/zh-hans", False), ("/hi", False), ("/zh-hans", True), ("/hi", True)]
LANGUAGE_IDS = ["en", "zh-hans", "hi", "zh-hans approved", "hi approved"]


@pytest.mark.parametrize(("prefix", "approved"), LANGUAGES, ids=LANGUAGE_IDS)
def test_safety_page_warning_signs_start_within_two_screens(pages, prefix, approved):
    if approved:
        approve_every_translation()
    page = pages.open(prefix + SAFETY, **PHONE)
    if approved:
        assert page.locator(".translation-box").is_visible()
    top = page.evaluate(WARNING_SIGNS_TOP, [WARNING_SIGNS_ANCHOR, WARNING_SIGNS_HEADING])
    assert top is not None, f"no #{WARNING_SIGNS_ANCHOR} and no heading saying “{WARNING_SIGNS_HEADING}”"
    assert screens(top) < WARNING_SIGNS_MAX_SCREENS, f"the warning signs start at screen {screens(top):.1f}"


@pytest.mark.parametrize(("prefix", "approved"), LANGUAGES, ids=LANGUAGE_IDS)
def test_home_page_reaches_the_warning_signs_in_one_tap(pages, prefix, approved):
    if approved:
        approve_every_translation()
    page = pages.open(prefix + "/", **PHONE)
    link = page.locator(f'main a[href="{prefix}{SAFETY}#{WARNING_SIGNS_ANCHOR}"]').first
    assert link.bounding_box()["y"] + link.bounding_box()["height"] <= PHONE_SCREEN["height"], "not on the first screen"
    if not prefix:
        assert link.text_content().strip() == "Side effects: when to call your care team at once"
    link.tap()
    page.wait_for_url(f"**{prefix}{SAFETY}#{WARNING_SIGNS_ANCHOR}")
    assert page.locator(f"#{WARNING_SIGNS_ANCHOR}").is_visible()
    assert page.evaluate(f"document.getElementById('{WARNING_SIGNS_ANCHOR}').getBoundingClientRect().top") < 100


def test_quotations_start_closed_and_a_link_to_one_opens_them_without_script(pages):
    page = pages.open(SAFETY, java_script_enabled=False, **PHONE)
    details = page.locator("details.claims-cited-details")
    assert not details.evaluate("d => d.open")
    assert not page.locator(".claims-cited blockquote").first.is_visible()
    anchor = page.locator(".claims-cited > li").nth(2).get_attribute("id")
    page.goto(f"{pages.base_url}{SAFETY}#{anchor}")
    assert details.evaluate("d => d.open")
    assert page.locator(f"#{anchor} blockquote").first.is_visible()
    page.locator("details.claims-cited-details > summary").click()
    assert not details.evaluate("d => d.open"), "a reader can close it again"


def test_pop_up_link_to_the_sources_opens_the_quotations(pages):
    page = pages.open(SAFETY, **PHONE)
    page.locator(".evidence a.evidence-label").nth(3).tap()
    link = page.get_by_role("dialog").get_by_role("link", name="Sources cited on this page")
    anchor = link.get_attribute("href")
    link.tap()
    assert page.locator("details.claims-cited-details").evaluate("d => d.open")
    assert page.locator(f"{anchor} blockquote").first.is_visible()


def test_quotations_print_open(pages):
    page = pages.open(SAFETY)
    page.emulate_media(media="print")
    assert page.locator(".claims-cited blockquote").first.is_visible()
    assert page.locator(".profile-details .profile-table").is_visible()
