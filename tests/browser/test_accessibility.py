"""WCAG 2.2 AA in a real browser: axe finds nothing, headings are in order, the keyboard reaches everything."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import PHONE, page_types

AXE = Axe()
# Every rule axe ships for WCAG 2.0–2.2 A and AA, plus its best practices (heading order, landmarks).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
FOCUSABLE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'


def axe_violations(page):
    results = AXE.run(page, options=AXE_OPTIONS).response
    ran = {rule["id"] for kind in ("passes", "violations", "incomplete", "inapplicable") for rule in results[kind]}
    assert {"color-contrast", "target-size", "heading-order", "region", "label"} <= ran, "axe skipped WCAG 2.2 rules"
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]} {v['nodes'][0]['failureSummary']}"
        for v in results["violations"]
    ]


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_any_page_type(pages, color_scheme):
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        for name, path in page_types():
            page = pages.open(path, color_scheme=color_scheme, viewport=viewport)
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (color_scheme == "dark")
            assert axe_violations(page) == [], f"{name} {path} ({color_scheme}, {viewport['width']} px)"
            page.context.close()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_pop_ups_open(pages, color_scheme):
    article = dict(page_types())["article"]
    page = pages.open(article, color_scheme=color_scheme)
    for trigger in ("a.term", ".evidence a.evidence-label"):
        page.locator(trigger).first.click()
        page.get_by_role("dialog").wait_for()
        assert axe_violations(page) == [], f"{trigger} pop-up ({color_scheme})"
        page.keyboard.press("Escape")


def test_every_page_has_one_h1_and_headings_in_order(pages):
    page = pages.open(None)
    for name, path in page_types():
        page.goto(pages.base_url + path)
        levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "hs => hs.map(h => Number(h.tagName[1]))")
        assert levels.count(1) == 1 and levels[0] == 1, f"{name}: {levels}"
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert skips == [], f"{name} skips heading levels: {skips}"


def focus_state(page):
    """Describe the focused element and whether its focus indicator can be seen."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        return {
            key: el.outerHTML.slice(0, 120) + '@' + Math.round(rect.top + scrollY) + ',' + Math.round(rect.left),
            tag: el.tagName, id: el.id, visible: rect.width > 0 && rect.height > 0,
            inViewport: rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth,
            indicator: outline || style.boxShadow !== 'none',
        };
    }""")


def test_keyboard_alone_reaches_everything_with_visible_focus_and_a_skip_link(pages):
    page = pages.open(None)
    for name, path in page_types():
        page.goto(pages.base_url + path)
        page.keyboard.press("Tab")
        first = focus_state(page)
        assert "skip-link" in first["key"] and first["inViewport"] and first["indicator"], f"{name}: {first}"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", f"{name}: skip link did not focus main"

        page.goto(pages.base_url + path)
        # Tab enters a group of radio buttons once (arrow keys move within it), so a group counts once.
        reachable = page.evaluate(f"""() => [...document.querySelectorAll('{FOCUSABLE}')]
            .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
            .filter(el => el.checkVisibility())  // not inside a closed <details>: Tab skips it, as it should
            .filter(el => el.type !== 'radio' || el === document.querySelector(`input[type=radio][name="${{el.name}}"]`))
            .length""")
        seen = []
        for _ in range(reachable + 5):
            page.keyboard.press("Tab")
            state = focus_state(page)
            if state["tag"] == "BODY" or (seen and state["key"] == seen[0]["key"]):
                break
            assert state["indicator"] and state["inViewport"], f"{name}: focus is not visible on {state['key']}"
            seen.append(state)
        assert len({s["key"] for s in seen}) == reachable, f"{name}: Tab reached {len(seen)} of {reachable}"
