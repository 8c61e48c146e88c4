"""How long each article is on a phone, in screens: the length rule and how it is measured.

The rule (issue 23): on a 375 × 667 px phone, an article's main text, from the top of the page
to the end of the article body, is at most 8 screens, and the safety page's urgent warning signs
start within the first 2. Everything after the body (the collapsed quotations, the changes list,
the feedback form, the footer) is not counted. `manage.py pagelength` prints the figures against
a running site; tests/browser/test_page_length.py holds the rule with the same measurements.
"""

from dataclasses import dataclass

PHONE_SCREEN = {"width": 375, "height": 667}
MAX_SCREENS = 8
WARNING_SIGNS_SLUG = "safety-and-side-effects"
WARNING_SIGNS_ANCHOR = "warning-signs"
WARNING_SIGNS_HEADING = "Tell your care team at once"
WARNING_SIGNS_MAX_SCREENS = 2

#: Pixels from the top of the document to the bottom of the article body.
MAIN_TEXT_BOTTOM = """() => {
    const body = document.querySelector('article .article-body');
    return body ? body.getBoundingClientRect().bottom + window.scrollY : null;
}"""

#: Pixels from the top of the document to the warning signs: the #warning-signs element, else the
#: first heading that says "Tell your care team at once".
WARNING_SIGNS_TOP = """([anchor, words]) => {
    const target = document.getElementById(anchor)
        || [...document.querySelectorAll('article h2, article h3')].find(h => h.textContent.includes(words));
    return target ? target.getBoundingClientRect().top + window.scrollY : null;
}"""


def screens(pixels):
    """Return a length in phone screens."""
    return pixels / PHONE_SCREEN["height"]


@dataclass
class Length:
    """One article on a phone, in screens: `warning_signs` is None where the page has none."""

    main_text: float | None
    whole_page: float
    warning_signs: float | None


def measure(page, url):
    """Open `url` in a Playwright page at phone size and measure it."""
    page.goto(url)
    bottom = page.evaluate(MAIN_TEXT_BOTTOM)
    warning = page.evaluate(WARNING_SIGNS_TOP, [WARNING_SIGNS_ANCHOR, WARNING_SIGNS_HEADING])
    return Length(
        main_text=None if bottom is None else screens(bottom),
        whole_page=screens(page.evaluate("document.documentElement.scrollHeight")),
        warning_signs=None if warning is None else screens(warning),
    )


def measure_articles(base_url, articles, *, chromium="/usr/bin/chromium"):
    """Yield (article, Length) for each article, served at `base_url`."""
    from playwright.sync_api import sync_playwright

    # Read the database first: Django refuses queries beside Playwright's event loop.
    pages = [(article, base_url.rstrip("/") + article.get_absolute_url()) for article in articles]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_context(viewport=PHONE_SCREEN, is_mobile=True, has_touch=True).new_page()
            for article, url in pages:
                yield article, measure(page, url)
        finally:
            browser.close()
