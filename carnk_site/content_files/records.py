"""How a database record looks as a content file, in both directions, in one canonical form.

Loading reads files into this form; exporting writes it; comparing the two forms is how the
loader tells unchanged records from changed ones, and admin edits from file edits.
"""

import hashlib

import yaml

from carnk_site.content_files.frontmatter import FENCE
from carnk_site.content_files.schema import CLAIM, MODELS, SOURCE, TERM
from carnk_site.text.levels import ParticipantsStated

#: libyaml's emitter when PyYAML has it: the same text as the pure-Python one, much faster.
SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LIST_FIELDS = {"aliases", "key_points", "citations"}
#: Optional fields' values when a file leaves them out; a file is written without them.
DEFAULTS = {"participants_stated": ParticipantsStated.EXACTLY.value}
#: What a written file leaves out: an unknown number of people, and optional fields at their defaults.
LEFT_OUT_WHEN = {"participants": None, **DEFAULTS}


def canonical(schema, data, body):
    """Return a file's fields in schema order with empty optional fields filled in, and its body."""
    ordered = {}
    for f in schema.fields:
        value = data.get(f.name)
        if f.name in LIST_FIELDS:
            value = list(value or [])
        elif value in (None, "") and f.name in DEFAULTS:
            value = DEFAULTS[f.name]
        elif value is None and f.kind is str:
            value = ""
        ordered[f.name] = value
    if schema is CLAIM:
        ordered["citations"] = [{"source": c["source"], "quote": c["quote"]} for c in ordered["citations"]]
    if not schema.body:
        return ordered, ""
    # A file ends with a line break; the admin's forms strip the last one, which must not show in `git diff`.
    return ordered, body + "\n" if body and not body.endswith("\n") else body


def from_record(schema, obj):
    """Return a saved record's fields and body in canonical file form."""
    if schema is SOURCE:
        data = {
            "id": obj.slug,
            "title": obj.title,
            "short_name": obj.short_name,
            "publisher": obj.publisher,
            "author": obj.author,
            "date": obj.date,
            "kind": obj.kind,
            "commercial": obj.commercial,
            "teller": obj.teller,
            "interests": obj.interests,
        }
        return canonical(schema, data, obj.text)
    if schema is TERM:
        data = {"id": obj.slug, "term": obj.term, "aliases": obj.alias_list, "definition": obj.definition}
        return canonical(schema, data, obj.explanation)
    if schema is CLAIM:
        citations = [{"source": c.source.slug, "quote": c.quote} for c in obj.citations.all()]
        data = {
            "id": obj.slug,
            "statement": obj.statement,
            "statement_kind": obj.statement_kind,
            "about": obj.about,
            "evidence": obj.evidence,
            "participants": obj.participants,
            "participants_stated": obj.participants_stated,
            "citations": citations,
        }
        return canonical(schema, data, "")
    data = {
        "id": obj.slug,
        "title": obj.title,
        "summary": obj.summary,
        "order": obj.order,
        "status": obj.status,
        "last_reviewed": obj.last_reviewed,
        "next_review_due": obj.next_review_due,
        "key_points": obj.key_point_list,
    }
    return canonical(schema, data, obj.body)


def model_values(schema, data, body):
    """Return the model field values (other than the id) for canonical file data."""
    values = {k: v for k, v in data.items() if k not in {"id", "citations"}}
    for name in ("aliases", "key_points"):
        if name in values:
            values[name] = "\n".join(values[name])
    if schema.body:
        values[schema.body] = body
    return values


def file_text(schema, data, body):
    """Write canonical data and body as the file's exact text (an unknown number of people and defaults left out)."""
    data = {k: v for k, v in data.items() if not (k in LEFT_OUT_WHEN and v == LEFT_OUT_WHEN[k])}
    front = yaml.dump(
        data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False
    )
    if schema.extension == ".yaml":
        return front
    return f"{FENCE}\n{front}{FENCE}\n{body}"


def fingerprint(schema, obj):
    """Return the SHA-256 of a record as its file would be written."""
    return fingerprint_of(schema, *from_record(schema, obj))


def fingerprint_of(schema, data, body):
    """Return the SHA-256 of canonical file data, the same value `fingerprint` gives once it is saved."""
    return hashlib.sha256(file_text(schema, data, body).encode()).hexdigest()


def records(schema):
    """Return every record of a schema's model, with what its file form needs loaded."""
    queryset = MODELS[schema].objects.all()
    if schema is CLAIM:
        queryset = queryset.prefetch_related("citations__source")
    return queryset.order_by("slug")


def differing_fields(schema, a, b):
    """Name the fields in which two canonical (data, body) pairs differ."""
    (data_a, body_a), (data_b, body_b) = a, b
    names = [k for k in data_a if data_a.get(k) != data_b.get(k)]
    if body_a != body_b:
        names.append(schema.body)
    return names
