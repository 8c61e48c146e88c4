"""Any Markdown within the limits renders quickly and never recurses too deep.

Each adversarial text fills the limits (MAX_MARKDOWN_LENGTH in paragraphs of MAX_BLOCK_LENGTH)
with one pattern that used to be slow or crash Python-Markdown. The goal (under 2 s each) is
measured by `manage.py benchmark --only render`; the assertions here only catch a return of
the quadratic runs (4.6 s for 4 kB of brackets), with a margin wide enough for a busy CI machine.
"""

import time

import pytest

from carnk_site.text.rendering import (
    MAX_BLOCK_LENGTH,
    MAX_HEADINGS,
    MAX_MARKDOWN_LENGTH,
    MAX_NESTING,
    RenderContext,
    TooLong,
    render,
)
from carnk_site.tooling.render import ADVERSARIAL, at_limit

UNITS = ADVERSARIAL


@pytest.mark.parametrize("name", UNITS)
def test_adversarial_text_at_the_limits_renders_in_time(name):
    text = at_limit(UNITS[name])
    assert len(text) <= MAX_MARKDOWN_LENGTH
    started, cpu = time.perf_counter(), time.process_time()
    render(text, RenderContext(claims={}, terms={}))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"\n{name:>16}: {len(text):,} characters in {seconds:.2f} s ({cpu:.2f} s of CPU)", end="")
    assert cpu < 10


def test_a_run_of_12_kilobytes_of_brackets_is_refused_at_once_and_a_paragraph_of_them_renders_as_text():
    started = time.perf_counter()
    with pytest.raises(TooLong, match="12,000 characters long"):
        render("[" * 12_000, RenderContext(claims={}, terms={}))
    html = render("[" * MAX_BLOCK_LENGTH, RenderContext(claims={}, terms={})).html
    assert time.perf_counter() - started < 5
    assert html.count("[") == MAX_BLOCK_LENGTH


def test_600_nested_list_markers_render():
    html = render("1. " * 600, RenderContext(claims={}, terms={})).html
    assert html.count("<ol>") == MAX_NESTING and "1. 1." in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a" * (MAX_MARKDOWN_LENGTH + 1), "at most 40,000"),
        ("a" * (MAX_BLOCK_LENGTH + 1), "Break it up with blank lines"),
        ("# a\n\n" * (MAX_HEADINGS + 1), f"at most {MAX_HEADINGS}"),
    ],
)
def test_text_beyond_the_limits_is_refused_with_a_reason(text, message):
    with pytest.raises(TooLong, match=message):
        render(text, RenderContext(claims={}, terms={}))


def test_links_claims_and_escaped_brackets_survive_the_defusing():
    html = render("See [the source](https://example.org/a_(b)) and \\[this\\] [or [that]", RenderContext({}, {})).html
    assert '<a href="https://example.org/a_(b)">the source</a>' in html
    assert "[this] [or [that]" in html


def test_a_bracket_in_code_is_shown_as_written():
    html = render("Type `a[0]` or `[`, then [a link](https://example.org).", RenderContext({}, {})).html
    assert "<code>a[0]</code>" in html and "<code>[</code>" in html and 'href="https://example.org"' in html


def test_code_spans_full_of_brackets_cannot_smuggle_a_slow_run():
    text = "\n\n".join(["`" + "[" * 4_900 + "`"] * 8)
    started = time.process_time()
    render(text, RenderContext(claims={}, terms={}))
    assert time.process_time() - started < 10
