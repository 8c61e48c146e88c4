"""Editor tools in Chromium: pickers and live preview while writing, and drafts that survive a failed save."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from carnk_site.articles.models import Article
from carnk_site.core import limits
from carnk_site.evidence.models import Claim, Source
from carnk_site.glossary.models import Term
from carnk_site.review.models import Revision

from .test_accessibility import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PARAGRAPH = (
    "No CAR-NK therapy has been approved yet. NK cells are part of the first line of defence. "
    "Side effects such as CRS were rare."
)


def sign_in(pages):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-test-passphrase")
    page = pages.open(reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-passphrase")
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))
    return page


def select_words(page, field, words):
    """Select words in a textarea, as an editor dragging over them would."""
    page.eval_on_selector(
        field,
        "(area, words) => { area.focus(); const at = area.value.indexOf(words);"
        " area.setSelectionRange(at, at + words.length); }",
        words,
    )


def editor_violations(page):
    """Return axe's findings, less the Django admin's own breadcrumbs (links told apart by colour only)."""
    return [v for v in axe_violations(page) if ".breadcrumbs" not in v]


def wait_for_save(page, url_name, *args):
    """Wait for the redirect that follows a successful save; if none comes, fail with the form's errors."""
    try:
        page.wait_for_url("**" + reverse(url_name, args=args), timeout=10_000)
    except Exception:
        errors = page.locator(".errornote, .errorlist").all_inner_texts()
        pytest.fail(f"the save did not go through; the form says: {errors}")


def drafts(page):
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('carnk-draft:'))")


def test_write_a_paragraph_with_two_claims_and_a_term_using_the_pickers(pages):
    page = sign_in(pages)
    page.goto(pages.base_url + reverse("admin:articles_article_add"))
    page.fill("#id_title", "Where things stand")
    page.fill("#id_summary", "What is known so far.")
    page.fill("#id_last_reviewed", "2026-11-01")
    page.fill("#id_next_review_due", "2027-05-01")
    page.fill("#id_body", PARAGRAPH)
    preview = page.locator(".reader-preview")
    expect(preview.locator(".article-body p")).to_have_text(PARAGRAPH)
    expect(preview.locator("h1")).to_have_text("Where things stand")

    select_words(page, "#id_body", "No CAR-NK therapy has been approved yet")
    page.keyboard.press("Control+k")
    dialog = page.locator("dialog.editor-picker[open]")
    expect(dialog.locator("h2")).to_contain_text("Link words to a claim")
    dialog.locator("input[type=search]").fill("none approved FDA")
    option = dialog.locator('li[data-id="carnk-none-fda-approved"]')
    expect(option).to_contain_text("Food and Drug Administration")
    assert editor_violations(page) == [], "picker open"
    option.click()

    select_words(page, "#id_body", "first line of defence")
    page.locator(".field-body").get_by_role("button", name="Link to a claim").click()
    dialog.locator("input[type=search]").fill("innate immune first line")
    expect(dialog.locator('li[data-id="nk-cells-innate-immune-system"]')).to_be_visible()
    expect(dialog.locator('li[aria-selected="true"]')).to_have_attribute("data-id", "nk-cells-innate-immune-system")
    dialog.locator("input[type=search]").press("Enter")
    expect(dialog).to_have_count(0)  # Enter may wait for the answer to the words typed last

    select_words(page, "#id_body", "CRS")
    page.keyboard.press("Control+g")
    expect(dialog.locator("input[type=search]")).to_have_value("CRS")  # the selected words are the search
    expect(dialog.locator('li[aria-selected="true"]')).to_have_attribute("data-id", "cytokine-release-syndrome")
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)

    body = page.input_value("#id_body")
    assert "[No CAR-NK therapy has been approved yet](claim:carnk-none-fda-approved)." in body
    assert "[first line of defence](claim:nk-cells-innate-immune-system)." in body
    assert "[CRS](term:cytokine-release-syndrome)" in body

    label = preview.locator('span[data-claim="carnk-none-fda-approved"] .evidence a.evidence-label')
    expect(label).to_be_visible()
    expect(label.locator(".evidence-scale")).to_have_count(1)
    expect(preview.locator('span[data-claim="nk-cells-innate-immune-system"]')).to_contain_text("first line of defence")
    expect(preview.locator('a.term[href$="/cytokine-release-syndrome/"]')).to_have_text("CRS")
    assert preview.locator(".article-body").evaluate(
        "e => getComputedStyle(e.querySelector('.evidence')).fontSize"
    ) != (preview.locator(".article-body").evaluate("e => getComputedStyle(e).fontSize")), (
        "the preview wears the reader's stylesheet (evidence labels are smaller)"
    )

    page.fill("#id_body", body + "\n\nSee [this](claim:no-such-claim).")
    expect(page.locator(".preview-state")).to_contain_text("claim 'no-such-claim'")
    page.fill("#id_body", body)
    expect(page.locator(".preview-state")).to_have_text("Up to date.")

    page.click("input[name=_save]")
    wait_for_save(page, "admin:articles_article_changelist")
    article = Article.objects.get(slug="where-things-stand")
    assert set(article.claims.values_list("slug", flat=True)) == {
        "carnk-none-fda-approved",
        "nk-cells-innate-immune-system",
    }
    assert "cytokine-release-syndrome" in article.terms.values_list("slug", flat=True)
    assert drafts(page) == [], "a successful save clears the draft"


def test_enter_right_after_typing_an_exact_name_links_that_term(pages):
    page = sign_in(pages)
    page.goto(pages.base_url + reverse("admin:articles_article_add"))
    page.fill("#id_body", "These cells are part of the first line of defence.")
    select_words(page, "#id_body", "These cells")
    page.keyboard.press("Control+g")
    dialog = page.locator("dialog.editor-picker[open]")
    expect(dialog.locator('li[aria-selected="true"]')).to_have_count(1)  # the list for "These cells" is shown

    dialog.locator("input[type=search]").fill("")
    page.keyboard.type("NK cell")  # an other name of "Natural killer cell", typed faster than the search waits
    page.keyboard.press("Enter")

    expect(dialog).to_have_count(0)
    assert page.input_value("#id_body") == (
        "[These cells](term:natural-killer-cell) are part of the first line of defence."
    )
    expect(page.locator('.reader-preview a.term[href$="/natural-killer-cell/"]')).to_have_text("These cells")


def test_text_refused_as_a_conflict_is_offered_back_when_the_form_is_reopened(pages):
    page = sign_in(pages)
    article = Article.objects.get(slug="how-car-nk-works")
    change = pages.base_url + reverse("admin:articles_article_change", args=[article.pk])
    page.goto(change)
    typed = article.body + "\n\nWords only this editor typed.\n"
    page.fill("#id_body", typed)
    page.fill("#id_change_note", "added a sentence")

    Article.objects.get(pk=article.pk).save()  # another editor saves meanwhile
    page.click("input[name=_save]")
    expect(page.locator(".errornote")).to_be_visible()
    assert "your changes were not saved" in page.inner_text("#content")

    page.goto(change)  # reopened later: the form shows the saved version
    assert "Words only this editor typed." not in page.input_value("#id_body")
    banner = page.locator(".draft-banner")
    expect(banner).to_have_attribute("role", "alert")
    expect(banner).to_contain_text("Someone has saved this record since")
    assert editor_violations(page) == [], "restore banner shown"
    restore = banner.get_by_role("button", name=re.compile(r"^Restore what you typed at \d\d:\d\d$"))
    restore.click()
    assert "Words only this editor typed." in page.input_value("#id_body")
    assert page.input_value("#id_change_note") == "added a sentence"
    expect(banner).to_contain_text("Check it, then save.")

    page.click("input[name=_save]")
    wait_for_save(page, "admin:articles_article_change", article.pk)  # published: kept as a waiting change
    assert "Words only this editor typed." in Revision.objects.open().get(article=article).body
    assert drafts(page) == []
    page.goto(change)
    expect(page.locator(".draft-banner")).to_have_count(0)


def test_a_body_over_the_limit_is_not_sent_and_stays_in_the_form(pages):
    page = sign_in(pages)
    article = Article.objects.get(slug="how-car-nk-works")
    change = pages.base_url + reverse("admin:articles_article_change", args=[article.pk])
    page.goto(change)
    too_long = limits.ARTICLE_BODY + 50
    page.fill("#id_body", "x" * too_long)
    expect(page.locator("#id_body_count")).to_contain_text("50 over the limit")
    page.click("input[name=_save]")
    alert = page.locator(".size-alert")
    expect(alert).to_contain_text("Not sent")
    expect(alert).to_contain_text(f"{too_long:,} characters long; the limit is {limits.ARTICLE_BODY:,}")
    assert page.url == change and len(page.input_value("#id_body")) == too_long
    page.goto(change)
    page.locator(".draft-banner").get_by_role("button", name=re.compile("^Restore")).click()
    assert len(page.input_value("#id_body")) == too_long


def test_quote_picker_fills_the_quote_and_says_whether_it_is_verbatim(pages):
    page = sign_in(pages)
    claim = Claim.objects.get(slug="carnk-none-fda-approved")
    text_requests = []
    page.on("request", lambda request: "/source/text/" in request.url and text_requests.append(request.url))
    page.goto(pages.base_url + reverse("admin:evidence_claim_change", args=[claim.pk]))
    source_text = page.locator(".source-text").first
    expect(source_text).to_contain_text(claim.citations.first().quote[:40])
    page.wait_for_load_state("networkidle")
    # Loaded once: a second answer would replace the text under the passage being selected.
    assert len(text_requests) == 1, text_requests
    passage = claim.citations.first().source.text.split(".")[0]
    source_text.evaluate(
        """(box, passage) => { const node = box.firstChild; const at = node.data.indexOf(passage);
        const range = document.createRange(); range.setStart(node, at); range.setEnd(node, at + passage.length);
        getSelection().removeAllRanges(); getSelection().addRange(range);
        box.dispatchEvent(new MouseEvent('mouseup', {bubbles: true})); }""",
        passage,
    )
    quote = page.locator("textarea[name='citations-0-quote']")
    expect(quote).to_have_value(passage.strip())
    verdict = page.locator(".quote-verdict").first
    expect(verdict).to_contain_text("Found word for word")
    assert editor_violations(page) == [], "quote picker"
    quote.fill(passage.strip() + " and more words nobody wrote")
    expect(verdict).to_contain_text("Not found word for word")
    other = Source.objects.exclude(pk=claim.citations.first().source_id).order_by("pk").first()
    page.locator("#id_citations-0-source + .select2 .select2-selection").click()  # the admin's autocomplete
    page.keyboard.type(other.short_name)
    page.locator(".select2-results__option", has_text=other.short_name).first.click()
    expect(source_text).to_contain_text(other.text.split(".")[0][:40])


def test_text_sent_when_the_server_fails_is_offered_back(pages):
    page = sign_in(pages)
    term = Term.objects.get(slug="cytokine-release-syndrome")
    change = pages.base_url + reverse("admin:glossary_term_change", args=[term.pk])
    page.goto(change)
    page.fill("#id_explanation", "An explanation typed just before the database went down.")
    page.route(
        "**/change/",
        lambda route: (
            route.fulfill(status=503, body="Temporarily unavailable")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.click("input[name=_save]")
    expect(page.locator("body")).to_contain_text("Temporarily unavailable")
    page.unroute("**/change/")
    page.goto(change)
    banner = page.locator(".draft-banner")
    expect(banner).to_contain_text("Fields that differ from what the form shows now: Explanation.")
    expect(banner).not_to_contain_text("Someone has saved")
    banner.get_by_role("button", name=re.compile("^Restore")).click()
    assert page.input_value("#id_explanation") == "An explanation typed just before the database went down."


def test_without_javascript_the_form_still_saves(pages):
    User.objects.create_superuser("editor", "editor@example.org", "a-long-test-passphrase")
    page = pages.open(reverse("admin:login"), java_script_enabled=False)
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-test-passphrase")
    page.click("input[type=submit]")
    article = Article.objects.get(slug="how-car-nk-works")
    page.goto(pages.base_url + reverse("admin:articles_article_change", args=[article.pk]))
    assert page.locator(".reader-preview, .editor-toolbar, .draft-banner").count() == 0
    width = page.eval_on_selector("#id_body", "area => area.getBoundingClientRect().width")
    assert width > 800, "the body is wide at 1280 px without JavaScript too"
    typed = article.body + "\n\nSaved without JavaScript.\n"
    page.fill("#id_body", typed)
    page.click("input[name=_save]")
    wait_for_save(page, "admin:articles_article_change", article.pk)  # published: kept as a waiting change
    assert "Saved without JavaScript." in Revision.objects.open().get(article=article).body
