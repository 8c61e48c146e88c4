"""Phone, desktop, dark and print layouts, measured in the browser."""

from .conftest import DESKTOP, PHONE, page_types

CONTROLS = 'a[href], button, input:not([type="hidden"]), select, textarea, summary'

# Targets smaller than 24 × 24 CSS px, except links inside a sentence (WCAG 2.5.8's inline exception).
SMALL_TARGETS = """(selector) => {
    const inSentence = (el) => {
        let node = el;
        while (node.parentElement && getComputedStyle(node).display === 'inline') {
            for (const sibling of [node.previousSibling, node.nextSibling]) {
                if (sibling && sibling.nodeType === Node.TEXT_NODE && sibling.textContent.trim()) return true;
            }
            node = node.parentElement;
        }
        return false;
    };
    return [...document.querySelectorAll(selector)]
        .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
        .filter(el => !inSentence(el))
        .map(el => ({html: el.outerHTML.slice(0, 100), rect: el.getBoundingClientRect()}))
        .filter(t => t.rect.width < 24 || t.rect.height < 24)
        .map(t => `${t.html} is ${Math.round(t.rect.width)}×${Math.round(t.rect.height)}`);
}"""

SIDEWAYS = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > width + 1 && getComputedStyle(el).position !== 'fixed')
        .map(el => el.outerHTML.slice(0, 80));
    return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def test_phone_nothing_scrolls_sideways_and_tap_targets_are_big_enough(pages):
    page = pages.open(None, viewport=PHONE, has_touch=True, is_mobile=True)
    for name, path in page_types():
        page.goto(pages.base_url + path)
        assert page.evaluate("innerWidth") == 375
        sideways = page.evaluate(SIDEWAYS)
        assert sideways["scroll"] <= 375 and sideways["wide"] == [], f"{name}: {sideways}"
        assert page.evaluate(SMALL_TARGETS, CONTROLS) == [], name


def test_phone_pop_ups_fit_the_screen(pages):
    page = pages.open(dict(page_types())["article"], viewport=PHONE, has_touch=True, is_mobile=True)
    for trigger in ("a.term", ".evidence a.evidence-label"):
        for index in (0, 5):
            page.locator(trigger).nth(index).tap()
            box = page.get_by_role("dialog")
            box.wait_for()
            rect = box.bounding_box()
            assert rect["x"] >= 0 and rect["x"] + rect["width"] <= 375, f"{trigger} #{index}: {rect}"
            assert page.evaluate(SIDEWAYS)["scroll"] <= 375
            assert page.evaluate(SMALL_TARGETS, ".popup a, .popup button") == []
            page.keyboard.press("Escape")


def test_desktop_keeps_a_readable_column_and_one_line_header(pages):
    page = pages.open(None, viewport=DESKTOP)
    for name, path in page_types():
        page.goto(pages.base_url + path)
        main = page.locator("main").bounding_box()
        assert 600 <= main["width"] <= 720, f"{name}: main is {main['width']} px wide"
        assert abs((main["x"] + main["width"] / 2) - DESKTOP["width"] / 2) < 2, f"{name}: column is not centred"
        header = page.locator(".site-header").bounding_box()["height"]
        header -= page.locator(".language-switcher").bounding_box()["height"]  # its own row above, on a desktop
        assert header < 80, f"{name}: the header wraps to {header} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def luminance(page, selector, prop):
    return page.evaluate(
        """([selector, prop]) => {
        const [r, g, b] = getComputedStyle(document.querySelector(selector))[prop].match(/\\d+/g).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    }""",
        [selector, prop],
    )


def test_dark_mode_follows_the_system_setting(pages):
    for name, path in page_types():
        light = pages.open(path, color_scheme="light")
        dark = pages.open(path, color_scheme="dark")
        assert luminance(light, "body", "backgroundColor") > 0.9 and luminance(light, "body", "color") < 0.2, name
        assert luminance(dark, "body", "backgroundColor") < 0.15 and luminance(dark, "body", "color") > 0.8, name
        assert luminance(dark, ".site-header", "backgroundColor") < 0.2, name
        light.context.close()
        dark.context.close()


CHROME = """() => ['.site-header', 'nav', '.site-search', '.skip-link', '.prev-next', '.screen-only']
    .flatMap(s => [...document.querySelectorAll(s)])
    .filter(el => el.getClientRects().length).map(el => el.outerHTML.slice(0, 60))"""


def test_print_leaves_out_navigation_on_every_page_type(pages):
    page = pages.open(None)
    page.emulate_media(media="print")
    for name, path in page_types():
        page.goto(pages.base_url + path)
        assert page.evaluate(CHROME) == [], name
        assert page.locator("h1").is_visible(), name


def test_print_shows_citations_as_source_names(pages):
    page = pages.open(dict(page_types())["article"])
    page.emulate_media(media="print")
    cites = page.evaluate("""() => [...document.querySelectorAll('.claims-cited a.cite')].map(a => {
        const style = getComputedStyle(a);
        return {text: a.innerText, shown: a.getClientRects().length > 0, color: style.color,
                line: style.textDecorationLine, after: getComputedStyle(a, '::after').content};
    })""")
    assert cites
    from carnk_site.evidence.models import Source

    names = set(Source.objects.values_list("short_name", flat=True))
    for cite in cites:
        assert cite["shown"] and cite["text"].removesuffix(" (commercial)") in names, cite
        assert cite["color"] == "rgb(0, 0, 0)" and cite["line"] == "none" and cite["after"] in ("none", "normal"), cite
    assert page.locator(".site-footer").is_visible(), "the investigational-treatment notice must print"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


def test_questions_list_prints_cleanly(pages):
    page = pages.open("/articles/what-you-can-do-next/")
    page.emulate_media(media="print")
    heading = page.get_by_role("heading", name="Questions to ask your care team")
    assert heading.is_visible()
    questions = heading.locator("xpath=following-sibling::ul[1]/li")
    assert questions.count() >= 10
    styles = questions.evaluate_all("lis => lis.map(li => [getComputedStyle(li).breakInside, li.innerText])")
    assert all(style == "avoid" for style, _ in styles), styles
    assert heading.evaluate("h => getComputedStyle(h).breakAfter") == "avoid"
    assert page.pdf(format="A4")[:5] == b"%PDF-"
