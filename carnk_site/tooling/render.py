"""Time the renderer on adversarial Markdown: the goal is under 2 s for any text an editor can save.

Each pattern used to be slow or to crash Python-Markdown. It fills the limits (MAX_MARKDOWN_LENGTH
in paragraphs of MAX_BLOCK_LENGTH) and is rendered, beside half as much (linear growth doubles
the time); then a megabyte of it is offered, which the
renderer refuses, naming the limit, before any parsing. CPU time is printed beside the wall clock:
a busy machine inflates it less.
"""

import time

from carnk_site.text.rendering import MAX_BLOCK_LENGTH, MAX_MARKDOWN_LENGTH, RenderContext, TooLong, render

TARGET_SECONDS = 2
MEGABYTE = 1_000_000
ADVERSARIAL = {
    "prose": "CAR-NK cells are white blood cells. ",
    "unmatched [": "[",
    "[a](": "[a](",
    "![": "![",
    "[](": "[](",
    "[a]": "[a]",
    "emphasis": "*a* ",
    "strong": "**a** ",
    "code": "`a` ",
    "backslashes": "\\",
    "escapes": "\\*",
    "&": "&",
    "<": "<",
    "entities": "&#1;",
    "ordered markers": "1. ",
    "quote and list": "> - ",
    "list items": "- a\n",
    "table rows": "|a|\n",
    "autolinks": "<http://",
}


def at_limit(unit, length=MAX_MARKDOWN_LENGTH):
    """Return `length` characters at most of the unit, in paragraphs as long as a paragraph may be."""
    block = (unit * (MAX_BLOCK_LENGTH // len(unit) + 1))[: MAX_BLOCK_LENGTH - 10]
    return "\n\n".join([block] * (length // (len(block) + 2)))


def _cpu_seconds(text):
    started = time.process_time()
    render(text, RenderContext(claims={}, terms={}))
    return time.process_time() - started


def benchmark_render(out=print):
    """Render each pattern at the limit and offer a megabyte of it; return True when all stay under target."""
    worst = 0.0
    out(f"Rendering adversarial Markdown at the limit ({MAX_MARKDOWN_LENGTH:,} characters), then 1 MB of it:")
    for name, unit in ADVERSARIAL.items():
        half, text = at_limit(unit, MAX_MARKDOWN_LENGTH // 2), at_limit(unit)
        half_cpu = _cpu_seconds(half)
        started, cpu = time.perf_counter(), time.process_time()
        render(text, RenderContext(claims={}, terms={}))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        big = at_limit(unit, MEGABYTE)
        refused_at = time.perf_counter()
        try:
            render(big, RenderContext(claims={}, terms={}))
            refusal = "rendered, not refused"
        except TooLong:
            refusal = f"refused in {(time.perf_counter() - refused_at) * 1000:.1f} ms"
        worst = max(worst, seconds, time.perf_counter() - refused_at)
        growth = f"x{cpu / half_cpu:.1f}" if half_cpu > 0.01 else "too quick to tell"
        out(
            f"  {name:>16}: {len(text):,} characters in {seconds:.2f} s ({cpu:.2f} s CPU; twice the text of "
            f"{len(half):,}: {growth}); {len(big):,}: {refusal}"
        )
    ok = worst < TARGET_SECONDS
    out(f"  {'ok  ' if ok else 'MISS'} slowest {worst:.2f} s (target < {TARGET_SECONDS} s)")
    return ok
