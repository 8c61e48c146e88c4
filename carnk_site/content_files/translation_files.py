"""Translations as content files: content/<language>/<folder>/<id>.<ext>, read, checked and written like the English.

Each file names the English record it translates by id and, in `english_version`, the fingerprint
of the English it was made from (exportcontent writes it; a new file without it is taken as made
from the English being loaded with it). The same rules as the English apply: the safe YAML reader,
size limits, unknown and missing fields, database column lengths, Markdown limits, and claim and
term links that must exist. Approval is never in a file: a person gives it in the admin, and any
change of a translation's text from a file withdraws it until approved again. A translation edited
in the admin since it was last loaded is a conflict, kept, never overwritten.

A claim's file may carry `quotes:`, our translation of each quote the English claim cites, as a
list of {quote, translation}; the quote must be the English claim's quote exactly (it is the key),
and a file whose quote does not match is refused, naming the file and the field.
"""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from carnk_site.content_files.frontmatter import ContentError, parse_front_matter_file, parse_yaml_file
from carnk_site.content_files.models import ImportedRecord
from carnk_site.content_files.records import SafeDumper
from carnk_site.core.validation import id_problem
from carnk_site.evidence.models import Citation
from carnk_site.text.rendering import MAX_MARKDOWN_LENGTH, RenderContext, RenderRefused, render
from carnk_site.text.translated_readability import translation_findings
from carnk_site.translations.models import (
    ArticleTranslation,
    ClaimTranslation,
    PageTranslation,
    TermTranslation,
    claim_english_fingerprint,
    fingerprint,
    quote_translation_problems,
    translated_languages,
)


@dataclass(frozen=True)
class TranslationSchema:
    """One kind of translation file: its folder, extension, model, and which fields go where."""

    folder: str
    extension: str
    model: type
    fields: tuple  # front matter / YAML fields besides id, method and english_version, in file order
    list_fields: tuple = ()  # fields written as a YAML list, stored one item per line
    body: str | None = None  # the model field the Markdown below the front matter goes to
    quotes: bool = False  # claims: an optional `quotes:` list of {quote, translation}, after the fields

    @property
    def english_model(self):
        return self.model._meta.get_field(self.model.ENGLISH).related_model

    @property
    def english_key(self):
        return "slug"


SCHEMAS = (
    TranslationSchema(
        "articles", ".md", ArticleTranslation, ("title", "summary", "key_points"), ("key_points",), "body"
    ),
    TranslationSchema("claims", ".yaml", ClaimTranslation, ("statement",), quotes=True),
    TranslationSchema("glossary", ".md", TermTranslation, ("name", "definition"), (), "explanation"),
    TranslationSchema("pages", ".md", PageTranslation, ("title", "summary"), (), "body"),
)
COMMON = ("id", "method", "english_version")


def kind(language, schema):
    """Return the name under which loadcontent remembers a translation file (ImportedRecord.kind)."""
    return f"{language}/{schema.folder}"


@dataclass
class TranslationFile:
    language: str
    schema: TranslationSchema
    parsed: object
    values: dict  # model field -> value, as the file says


def read_translations(root, english_ids, read_file, context):
    """Parse and check every translation file under root; return (files, errors).

    `english_ids` maps a folder to the ids of English records present (files being loaded, or the
    database): a translation of something that does not exist is an error. `context` is the
    import's render context: every claim and term link must resolve, as in the English.
    """
    files, errors = [], []
    root = Path(root)
    for language, _name in translated_languages():
        for schema in SCHEMAS:
            seen = {}
            for path in sorted((root / language / schema.folder).glob(f"*{schema.extension}")):
                shown = path.relative_to(root.parent) if root.parent in path.parents else path
                try:
                    text = read_file(root, path, shown, 300_000)
                    parse = parse_front_matter_file if schema.extension == ".md" else parse_yaml_file
                    parsed = parse(shown, text)
                except ContentError as exc:
                    errors.append(exc)
                    continue
                except (UnicodeDecodeError, OSError) as exc:
                    errors.append(ContentError(shown, f"cannot be read as UTF-8 text: {exc}"))
                    continue
                problems = _check(parsed, schema, english_ids.get(schema.folder, set()), context)
                errors += problems
                slug = parsed.data.get("id")
                if problems:
                    continue
                if slug in seen:
                    errors.append(parsed.error(f"duplicate id '{slug}' (also in {seen[slug]})", "id"))
                    continue
                seen[slug] = parsed.path
                files.append(TranslationFile(language, schema, parsed, _values(parsed, schema)))
    return files, errors


def _check(parsed, schema, english_ids, context):
    errors = []
    known = set(COMMON) | set(schema.fields) | ({"quotes"} if schema.quotes else set())
    for name in parsed.data:
        if name not in known:
            errors.append(parsed.error(f"unknown field '{name}' (expected one of: {', '.join(sorted(known))})", name))
    for name in ("id", *schema.fields):
        value = parsed.data.get(name)
        if value is None or value == "":
            if name not in schema.list_fields:
                errors.append(parsed.error(f"'{name}' is required", name))
            continue
        if name in schema.list_fields:
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                errors.append(parsed.error(f"'{name}' must be a list of text lines", name))
            continue
        if not isinstance(value, str):
            errors.append(parsed.error(f"'{name}' must be text, not {value!r}", name))
            continue
        limit = schema.model._meta.get_field(name).max_length if name != "id" else 100
        if limit and len(value) > limit:
            errors.append(parsed.error(f"'{name}' is {len(value)} characters long; at most {limit} fit", name))
    for name in ("method", "english_version"):
        if name in parsed.data and not isinstance(parsed.data[name], str):
            errors.append(parsed.error(f"'{name}' must be text", name))
    slug = parsed.data.get("id")
    if schema.quotes and parsed.data.get("quotes") is not None and isinstance(slug, str):
        english = context.claims.get(slug)
        if english is not None:
            quotes = [c.quote for c in english.citations]
        else:  # a claim kept in the database only, cited by no file being loaded
            quotes = list(Citation.objects.filter(claim__slug=slug).values_list("quote", flat=True))
        errors += [
            parsed.error(problem, "quotes") for problem in quote_translation_problems(parsed.data["quotes"], quotes)
        ]
    if isinstance(slug, str):
        if problem := id_problem(slug):
            errors.append(parsed.error(problem, "id"))
        elif slug not in english_ids:
            errors.append(parsed.error(f"translates '{slug}', but there is no such record in {schema.folder}", "id"))
        elif Path(str(parsed.path)).stem != slug:
            errors.append(parsed.error(f"the file must be named {slug}{schema.extension}, after its id", "id"))
    if schema.body and len(parsed.body) > MAX_MARKDOWN_LENGTH:
        errors.append(parsed.error(f"the text is {len(parsed.body)} characters long; at most {MAX_MARKDOWN_LENGTH}"))
    elif schema.body and not errors:
        pages = schema.model is PageTranslation  # pages about the site have no claim or term links
        texts = [parsed.body, *(parsed.data.get("key_points") or [])] if schema.list_fields else [parsed.body]
        for text in texts:
            try:
                render(text, RenderContext(claims={}, terms={}) if pages else context, link_terms=not pages)
            except RenderRefused as exc:
                errors.append(parsed.error(str(exc), schema.body))
    return errors


def readability_findings(files, english_articles):
    """Return (path, finding) for each translated article or page that drops sentences or runs them long.

    `english_articles` maps an id to the parsed English article file being loaded with it; an English
    record not among the files (pages about the site, or articles kept in the database) is read from
    the database. Glossary terms and claims are a sentence or two: the measure says nothing about them.
    """
    found = []
    for f in files:
        if f.schema.folder not in ("articles", "pages"):
            continue
        slug = f.parsed.data["id"]
        english = _english_markdown(f.schema, slug, english_articles.get(slug))
        if english is None:
            continue
        translated = "\n".join(f"- {line}" for line in f.values.get("key_points", "").splitlines())
        translated += "\n" + f.values[f.schema.body]
        found += [(f.parsed.path, finding) for finding in translation_findings(f.language, translated, english)]
    return found


def _english_markdown(schema, slug, parsed):
    if parsed is not None:
        points = parsed.data.get("key_points") or []
        return "\n".join(f"- {p}" for p in points if isinstance(p, str)) + "\n" + parsed.body
    record = schema.english_model.objects.filter(slug=slug).first()
    if record is None:
        return None
    points = getattr(record, "key_points", "") or ""
    return "\n".join(f"- {p}" for p in points.splitlines() if p.strip()) + "\n" + record.body


def _values(parsed, schema):
    values = {}
    for name in schema.fields:
        value = parsed.data.get(name)
        values[name] = "\n".join(value or []) if name in schema.list_fields else (value or "")
    if schema.body:
        values[schema.body] = parsed.body  # as written, like the English: export gives back the same bytes
    values["method"] = parsed.data.get("method") or schema.model._meta.get_field("method").default
    if schema.quotes and parsed.data.get("quotes"):  # only when there are any: older fingerprints stay valid
        values["quotes"] = [{"quote": q["quote"], "translation": q["translation"]} for q in parsed.data["quotes"]]
    return values


def _file_fingerprint(values, english_version):
    return fingerprint([english_version, *(values[k] for k in sorted(values))])


def _record_values(schema, obj):
    values = {name: getattr(obj, name) for name in (*schema.fields, *([schema.body] if schema.body else ()), "method")}
    if schema.quotes and obj.quotes:
        values["quotes"] = [{"quote": q["quote"], "translation": q["translation"]} for q in obj.quotes]
    return values


def write_translations(files, report):
    """Create or update the translations (inside loadcontent's transaction); report counts and conflicts.

    Call after the English is written, so `english_version` defaults to the English just loaded.
    """
    remembered = {
        (r.kind, r.slug): r.fingerprint
        for r in ImportedRecord.objects.filter(kind__in={kind(f.language, f.schema) for f in files})
    }
    counts = report.counts.setdefault("translations", Counter())
    for f in files:
        slug = f.parsed.data["id"]
        english = f.schema.english_model.objects.filter(slug=slug).first()
        link = {f.schema.model.ENGLISH: english, "language": f.language}
        obj = f.schema.model.objects.select_for_update().filter(**link).first()
        version = f.parsed.data.get("english_version") or (
            obj.english_hash if obj is not None else _english_fingerprint(f.schema, english)
        )
        wanted = _file_fingerprint(f.values, version)
        if obj is not None:
            current = _file_fingerprint(_record_values(f.schema, obj), obj.english_hash)
            if current == wanted:
                counts["unchanged"] += 1
                _remember(f, slug, wanted, remembered)
                continue
            if remembered.get((kind(f.language, f.schema), slug)) not in (None, current):
                report.conflicts.append(
                    f"{f.parsed.path} ({slug}): changed in the admin since it was last loaded. Kept the admin "
                    "version; run exportcontent to write it to the file."
                )
                counts["conflict"] += 1
                continue
        created = obj is None
        obj = obj or f.schema.model(**link)
        for name, value in f.values.items():
            setattr(obj, name, value)
        if f.schema.quotes:
            obj.quotes = f.values.get("quotes", [])
        obj.english_hash = version
        try:
            with transaction.atomic():
                obj.full_clean(exclude=[f.schema.model.ENGLISH])
                obj.save()
        except (ValidationError, RenderRefused) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise ContentError(f.parsed.path, f"cannot be written: {' '.join(messages)}") from None
        counts["created" if created else "updated"] += 1
        _remember(f, slug, wanted, remembered)


def _english_fingerprint(schema, english):
    if schema.model is ClaimTranslation:
        return claim_english_fingerprint(english.statement, [c.quote for c in english.citations.all()])
    return fingerprint(getattr(english, name) for name in schema.model.ENGLISH_FIELDS)


def _remember(f, slug, value, remembered):
    key = (kind(f.language, f.schema), slug)
    if remembered.get(key) != value:
        ImportedRecord.objects.update_or_create(kind=key[0], slug=slug, defaults={"fingerprint": value})


def export_translations(root, counts):
    """Write every translation to root/<language>/<folder>/<id>.<ext>, with the English version it was made from."""
    root = Path(root)
    for schema in SCHEMAS:
        for obj in schema.model.objects.select_related(schema.model.ENGLISH).order_by("pk"):
            data = {"id": getattr(obj, schema.model.ENGLISH).slug, "method": obj.method}
            data["english_version"] = obj.english_hash
            for name in schema.fields:
                value = getattr(obj, name)
                if name in schema.list_fields:
                    value = [line.strip() for line in value.splitlines() if line.strip()]
                    if not value:
                        continue
                data[name] = value
            if schema.quotes and obj.quotes:
                data["quotes"] = [{"quote": q["quote"], "translation": q["translation"]} for q in obj.quotes]
            front = yaml.dump(
                data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False
            )
            body = getattr(obj, schema.body) if schema.body else None
            text = front if body is None else f"---\n{front}---\n{body}"
            path = root / obj.language / schema.folder / f"{data['id']}{schema.extension}"
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.read_text(encoding="utf-8") == text:
                counts["unchanged"] += 1
            else:
                path.write_text(text, encoding="utf-8")
                counts["written"] += 1
            wanted = _file_fingerprint(_record_values(schema, obj), obj.english_hash)
            ImportedRecord.objects.update_or_create(
                kind=kind(obj.language, schema), slug=data["id"], defaults={"fingerprint": wanted}
            )
