"""What each kind of content file must contain, and the checks on single fields."""

import datetime
from dataclasses import dataclass

from django.db.backends.base.operations import BaseDatabaseOperations

from carnk_site.articles.models import Article
from carnk_site.content_files.frontmatter import ContentError
from carnk_site.core.validation import ID_PATTERN, id_problem, name_length_problem, review_dates_problem
from carnk_site.evidence.models import Claim, Source
from carnk_site.glossary.models import Term
from carnk_site.text.levels import EvidenceLevel, ParticipantsStated, StatementKind, Subject, Teller
from carnk_site.text.rendering import MAX_MARKDOWN_LENGTH

__all__ = ["ID_PATTERN"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: type
    required: bool = True
    choices: tuple = ()


@dataclass(frozen=True)
class Schema:
    """One kind of content file: its folder, file extension and fields."""

    folder: str
    extension: str
    fields: tuple
    body: str | None  # the model field the Markdown body goes to, if any
    max_bytes: int = 20_000  # checked before the file is opened; stated in docs/content-format.md


SOURCE = Schema(
    "sources",
    ".md",
    (
        Field("id", str),
        Field("title", str, False),
        Field("short_name", str),
        Field("publisher", str, False),
        Field("author", str, False),
        Field("date", str, False),
        Field("kind", str),
        Field("commercial", bool),
        Field("teller", str, choices=tuple(Teller.values)),
        Field("interests", str),
    ),
    body="text",
    max_bytes=2_000_000,
)

CLAIM = Schema(
    "claims",
    ".yaml",
    (
        Field("id", str),
        Field("statement", str),
        Field("statement_kind", str, choices=tuple(StatementKind.values)),
        Field("about", str, choices=tuple(Subject.values)),
        Field("evidence", str, choices=tuple(EvidenceLevel.values)),
        Field("participants", int, False),
        Field("participants_stated", str, False, choices=tuple(ParticipantsStated.values)),
        Field("citations", list),
    ),
    body=None,
)

TERM = Schema(
    "glossary",
    ".md",
    (
        Field("id", str),
        Field("term", str),
        Field("aliases", list, False),
        Field("definition", str),
    ),
    body="explanation",
)

ARTICLE = Schema(
    "articles",
    ".md",
    (
        Field("id", str),
        Field("title", str),
        Field("summary", str),
        Field("order", int),
        Field("status", str, choices=tuple(Article.Status.values)),
        Field("last_reviewed", datetime.date),
        Field("next_review_due", datetime.date),
        Field("key_points", list, False),
    ),
    body="body",
    max_bytes=300_000,
)

SCHEMAS = (SOURCE, TERM, CLAIM, ARTICLE)
MODELS = {SOURCE: Source, TERM: Term, CLAIM: Claim, ARTICLE: Article}


def max_length(schema, name):
    """Return the longest text the database column for a field takes, or None when unlimited."""
    field_name = "slug" if name == "id" else name
    try:
        return MODELS[schema]._meta.get_field(field_name).max_length
    except Exception:
        return None


def integer_range(schema, name):
    """Return the smallest and largest whole number the database column for a field takes."""
    field = MODELS[schema]._meta.get_field(name)
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]


TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    datetime.date: "a date (YYYY-MM-DD)",
}


def check_fields(parsed, schema):
    """Return the errors in a parsed file's fields (unknown, missing, wrong type, bad choice)."""
    errors = []
    known = {f.name for f in schema.fields}
    for name in parsed.data:
        if name not in known:
            errors.append(parsed.error(f"unknown field '{name}' (expected one of: {', '.join(sorted(known))})", name))
    for f in schema.fields:
        value = parsed.data.get(f.name)
        if value is None or value == "":
            if f.required:
                errors.append(parsed.error(f"'{f.name}' is required", f.name))
            continue
        if not _has_type(value, f.kind):
            errors.append(parsed.error(f"'{f.name}' must be {TYPE_NAMES[f.kind]}, not {value!r}", f.name))
        elif f.kind is str and (limit := max_length(schema, f.name)) and len(value) > limit:
            errors.append(parsed.error(f"'{f.name}' is {len(value)} characters long; at most {limit} fit", f.name))
        elif f.kind is int and not (integer_range(schema, f.name)[0] <= value <= integer_range(schema, f.name)[1]):
            low, high = integer_range(schema, f.name)
            errors.append(parsed.error(f"'{f.name}' is {value}; it must be between {low} and {high}", f.name))
        elif f.choices and value not in f.choices:
            errors.append(
                parsed.error(
                    f"unknown value '{value}' for '{f.name}' (expected one of: {', '.join(f.choices)})", f.name
                )
            )
    slug = parsed.data.get("id")
    if isinstance(slug, str) and (problem := id_problem(slug)):
        errors.append(parsed.error(problem, "id"))
    if schema.body in ("body", "explanation") and len(parsed.body) > MAX_MARKDOWN_LENGTH:
        line = parsed.text.count("\n", 0, len(parsed.text) - len(parsed.body)) + 1
        message = (
            f"the text below the front matter is {len(parsed.body)} characters long; at most {MAX_MARKDOWN_LENGTH}"
        )
        errors.append(ContentError(parsed.path, message, line=line, field=schema.body))
    if schema is CLAIM:
        errors += _check_citations(parsed)
    if schema is TERM:
        errors += _check_string_list(parsed, "aliases", problem=name_length_problem)
        if isinstance(parsed.data.get("term"), str) and (problem := name_length_problem(parsed.data["term"])):
            errors.append(parsed.error(problem, "term"))
    if schema is ARTICLE:
        errors += _check_string_list(parsed, "key_points")
        dates = [parsed.data.get(name) for name in ("last_reviewed", "next_review_due")]
        if all(_has_type(d, datetime.date) for d in dates) and (problem := review_dates_problem(*dates)):
            errors.append(parsed.error(problem, "next_review_due"))
    return errors


def _has_type(value, kind):
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind is datetime.date:
        return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    return isinstance(value, kind)


def _check_string_list(parsed, name, limit=None, problem=None):
    """Check each item is text (of at most `limit` characters, and without `problem(item)`)."""
    items = parsed.data.get(name) or []
    if not isinstance(items, list):
        return []
    errors = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            errors.append(parsed.error(f"each item of '{name}' must be text", f"{name}[{i}]"))
        elif limit and len(item) > limit:
            errors.append(parsed.error(f"is {len(item)} characters long; at most {limit}", f"{name}[{i}]"))
        elif problem and (found := problem(item)):
            errors.append(parsed.error(found, f"{name}[{i}]"))
    return errors


def _check_citations(parsed):
    citations = parsed.data.get("citations")
    if not isinstance(citations, list):
        return []
    if not citations:
        return [parsed.error("a claim needs at least one citation", "citations")]
    errors = []
    for i, citation in enumerate(citations):
        where = f"citations[{i}]"
        if not isinstance(citation, dict):
            errors.append(parsed.error("each citation needs 'source' and 'quote'", where))
            continue
        for key in citation.keys() - {"source", "quote"}:
            errors.append(parsed.error(f"unknown field '{key}' in a citation", f"{where}.{key}"))
        for key in ("source", "quote"):
            if not isinstance(citation.get(key), str) or not citation[key].strip():
                errors.append(parsed.error(f"the citation's '{key}' is required text", f"{where}.{key}"))
    return errors
