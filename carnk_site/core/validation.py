"""The validation rules every way in shares: the admin's forms and the content files call these.

Each rule returns the problem in words (or None, or a list), so a form can attach it to a field
and the loader to a file and line; what one accepts the other accepts.
"""

import re

from carnk_site.core import limits

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def id_problem(value):
    """Return why a record id is not allowed, or None."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        return f"id '{value}' must be lower-case letters and digits joined by single hyphens, e.g. nk-cell-line"
    return None


def name_key(name):
    """Return how glossary names are compared: acronyms (all capitals) exactly, other names ignoring case."""
    return name if name.isupper() else name.casefold()


def names_of(term, aliases):
    """Return a glossary term's names: its term, then its aliases (a list, or text with one per line)."""
    if isinstance(aliases, str):
        aliases = aliases.splitlines()
    return [n.strip() for n in [term, *(aliases or [])] if n and n.strip()]


def name_length_problem(name):
    """Return why a glossary name (a term or one alias) is too long, or None."""
    name = name.strip()
    if len(name) > limits.GLOSSARY_NAME:
        return f"a glossary name is at most {limits.GLOSSARY_NAME} characters long; this one is {len(name)}: “{name[:40]}…”"
    return None


def name_clashes(slug, names, taken):
    """Return (index, name, other slug) for each name that is already a name of another term.

    `taken` maps name_key(name) to the slug of the term that has it.
    """
    return [
        (index, name, taken[name_key(name)])
        for index, name in enumerate(names)
        if name_key(name) in taken and taken[name_key(name)] != slug
    ]


def name_clash_message(name, other):
    return f"'{name}' is already a name of glossary term '{other}'"


def review_dates_problem(last_reviewed, next_review_due):
    """Return why the review dates are out of order, or None."""
    if last_reviewed and next_review_due and next_review_due <= last_reviewed:
        return "The next review must come after the last review."
    return None
