"""Load content/ into the database: read and check every file first, then write in one transaction."""

import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from reversion.models import Version

from carnk_site.about.models import TrustPage
from carnk_site.articles.models import Article
from carnk_site.articles.reader_notes import IMPORT_NOTE, KEPT_NOTE
from carnk_site.content_files.frontmatter import ContentError, parse_front_matter_file, parse_yaml_file
from carnk_site.content_files.models import ImportedRecord
from carnk_site.content_files.records import (
    MODELS,
    canonical,
    differing_fields,
    fingerprint,
    fingerprint_of,
    from_record,
    model_values,
    records,
)
from carnk_site.content_files.schema import ARTICLE, CLAIM, SCHEMAS, SOURCE, TERM, check_fields
from carnk_site.content_files.translation_files import read_translations, readability_findings, write_translations
from carnk_site.core.validation import name_clash_message, name_clashes, name_key, names_of
from carnk_site.evidence.models import Citation, Claim, Source, citation_url
from carnk_site.glossary.models import Term
from carnk_site.publishing.contexts import claim_ref, claim_slugs_in, term_ref
from carnk_site.publishing.pipeline import links_in_one_batch, publish_pending
from carnk_site.publishing.references import InUse
from carnk_site.text.checks import (
    CLAIM_SLUG,
    Finding,
    article_findings,
    claim_findings,
    label_findings,
    term_findings,
)
from carnk_site.text.levels import ParticipantsStated, kind_problem
from carnk_site.text.quotes import fold
from carnk_site.text.references import CitationRef, ClaimRef
from carnk_site.text.rendering import RenderContext, RenderRefused, UnknownReferences, render


class InvalidContent(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ContentSet:
    """Every parsed content file, keyed by schema and then by id, and the editorial findings on them."""

    root: Path
    files: dict = field(default_factory=lambda: {s: {} for s in SCHEMAS})
    findings: list = field(default_factory=list)
    context: RenderContext | None = None
    database_only: dict = field(default_factory=dict)

    def of(self, schema):
        return self.files[schema]


@dataclass
class ImportReport:
    """How many records of each kind were created, updated or left unchanged."""

    counts: dict = field(default_factory=lambda: {s.folder: Counter() for s in SCHEMAS})
    warnings: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)

    def add(self, schema, outcome):
        self.counts[schema.folder][outcome] += 1

    def lines(self):
        for folder, c in self.counts.items():
            line = f"{folder}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            yield line + (f", {c['conflict']} conflicts" if c["conflict"] else "")
        rerendered = sum(c["re-rendered"] for c in self.counts.values())
        if rerendered:
            yield f"articles re-rendered because a claim, source or term changed: {rerendered}"


def read_content(root):
    """Parse and check every file under root; raise InvalidContent listing all problems."""
    root = Path(root)
    content, errors = ContentSet(root), []
    for schema in SCHEMAS:
        for path in sorted((root / schema.folder).glob(f"*{schema.extension}")):
            shown = path.relative_to(root.parent) if root.parent in path.parents else path
            try:
                text = read_file(root, path, shown, schema.max_bytes)
                if "\x00" in text:
                    line = text.count("\n", 0, text.index("\x00")) + 1
                    raise ContentError(shown, "contains a NUL character, which cannot be stored; remove it", line=line)
                parse = parse_front_matter_file if schema.extension == ".md" else parse_yaml_file
                parsed = parse(shown, text)
            except ContentError as exc:
                errors.append(exc)
                continue
            except UnicodeDecodeError as exc:
                errors.append(ContentError(shown, f"not UTF-8 text: {exc}"))
                continue
            except OSError as exc:
                errors.append(ContentError(shown, f"cannot be read: {exc.strerror or exc}"))
                continue
            field_errors = check_fields(parsed, schema)
            errors += field_errors
            slug = parsed.data.get("id")
            if field_errors or not isinstance(slug, str):
                continue
            if slug in content.of(schema):
                errors.append(parsed.error(f"duplicate id '{slug}' (also in {content.of(schema)[slug].path})", "id"))
                continue
            content.of(schema)[slug] = parsed
    errors += _check_aliases(content)
    errors += _wording_errors(content)
    errors += _check_citations(content)
    if errors:
        raise InvalidContent(errors)
    content.context = context = render_context(content)
    content.database_only = _add_database_only(content, context)
    rendered = {}
    errors += _check_references(content, context, rendered)
    if errors:
        raise InvalidContent(errors)
    blocking, content.findings = _editorial_findings(content, rendered)
    if blocking:
        raise InvalidContent(
            [
                ContentError(
                    path, f"{finding} (a published article must pass every check: fix it, or set status: draft)"
                )
                for path, finding in blocking
            ]
        )
    return content


def read_file(root, path, shown, max_bytes):
    """Return a content file's text: only a regular file inside root, no larger than max_bytes.

    Everything is checked with lstat/stat before the file is opened (a named pipe would block the
    open, a huge file the read), and again on the open descriptor, which cannot be swapped.
    """
    if not path.resolve().is_relative_to(root.resolve()):
        raise ContentError(shown, "is a link to a file outside the content folder; copy the file in instead")
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        info = os.stat(path)
    _check_file(shown, info, max_bytes)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as file:
        _check_file(shown, os.fstat(file.fileno()), max_bytes)
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ContentError(shown, f"is larger than {max_bytes:,} bytes, the most a file of this kind may be")
    return data.decode("utf-8")


def _check_file(shown, info, max_bytes):
    if stat.S_ISDIR(info.st_mode):
        raise ContentError(shown, "is a folder, not a file; rename it or move it out of the content folder")
    if not stat.S_ISREG(info.st_mode):
        raise ContentError(shown, "is not a regular file (a pipe, socket or device?); remove it")
    if info.st_size > max_bytes:
        raise ContentError(
            shown, f"is {info.st_size:,} bytes; at most {max_bytes:,} bytes are allowed for a file of this kind"
        )


def render_context(content):
    """Build the claims and terms an article may refer to from the files, not the database."""
    sources = {slug: p.data for slug, p in content.of(SOURCE).items()}
    claims = {}
    for slug, parsed in content.of(CLAIM).items():
        cites = tuple(
            CitationRef(
                sources[c["source"]]["short_name"],
                sources[c["source"]]["commercial"],
                citation_url(c["source"], slug, position),
                sources[c["source"]].get("teller", ""),
                c["quote"],
            )
            for position, c in enumerate(parsed.data["citations"], start=1)
        )
        claims[slug] = ClaimRef(
            slug,
            parsed.data["evidence"],
            parsed.data.get("participants"),
            cites,
            parsed.data["statement_kind"],
            parsed.data["about"],
            parsed.data.get("participants_stated") or ParticipantsStated.EXACTLY.value,
        )
    terms = {slug: term_ref(slug, p.data["term"], p.data.get("aliases") or []) for slug, p in content.of(TERM).items()}
    return RenderContext(claims=claims, terms=terms)


def _add_database_only(content, context):
    """Add the claims and terms made in the admin (no file yet) to the context; return their ids.

    The loader never deletes, so they stay in the database: articles may cite them, and the glossary
    links them, exactly as the publishing pipeline renders from the database.
    """
    cited = claim_slugs_in(*(t for p in content.of(ARTICLE).values() for t in _article_texts(p)))
    cited |= claim_slugs_in(*(p.body for p in content.of(TERM).values()))
    claims = Claim.objects.filter(slug__in=cited - set(context.claims)).prefetch_related("citations__source")
    context.claims.update({c.slug: claim_ref(c) for c in claims})
    terms = Term.objects.exclude(slug__in=list(context.terms)).only("slug", "term", "aliases")
    context.terms.update({t.slug: term_ref(t.slug, t.term, t.alias_list) for t in terms})
    return {CLAIM: {c.slug for c in claims}, TERM: {t.slug for t in terms}}


def _check_aliases(content):
    errors, taken = [], {}
    for slug, parsed in content.of(TERM).items():
        names = names_of(parsed.data["term"], parsed.data.get("aliases"))
        for index, name, other in name_clashes(slug, names, taken):
            errors.append(
                parsed.error(name_clash_message(name, other), "term" if index == 0 else f"aliases[{index - 1}]")
            )
        for name in names:
            taken.setdefault(name_key(name), slug)
    return errors


def _wording_errors(content):
    """The wording rules on claims and definitions stop a file as they stop the admin form."""
    errors = []
    for parsed in content.of(CLAIM).values():
        errors += [
            parsed.error(str(f), "statement") for f in claim_findings(parsed.data["statement"], parsed.data["evidence"])
        ]
        if problem := kind_problem(parsed.data["statement_kind"], parsed.data["evidence"]):
            errors.append(parsed.error(f"this claim {problem}", "evidence"))
    for parsed in content.of(TERM).values():
        errors += [parsed.error(str(f), "definition") for f in term_findings(parsed.data["definition"])]
    return errors


def _check_citations(content):
    errors = []
    texts = {slug: fold(p.body) for slug, p in content.of(SOURCE).items()}
    for parsed in content.of(CLAIM).values():
        for i, citation in enumerate(parsed.data["citations"]):
            source = citation["source"]
            if source not in texts:
                errors.append(parsed.error(f"cites unknown source '{source}'", f"citations[{i}].source"))
            elif fold(citation["quote"]) not in texts[source]:
                errors.append(
                    parsed.error(
                        f"quote not found word for word in source '{source}': {citation['quote'][:70]!r}",
                        f"citations[{i}].quote",
                    )
                )
    return errors


def _check_references(content, context, rendered):
    """Render every article and glossary explanation once, reporting unknown claims and terms."""
    errors = []
    for schema, texts in ((ARTICLE, _article_texts), (TERM, lambda p: [p.body])):
        for slug, parsed in content.of(schema).items():
            for index, text in enumerate(texts(parsed)):
                try:
                    rendered[schema.folder, slug, index] = render(
                        text, context, link_terms=index > 0 or schema is TERM
                    ).html
                except UnknownReferences as exc:
                    for kind, slug in exc.missing:
                        line = parsed.line_containing(f"{kind}:{slug}")
                        errors.append(ContentError(parsed.path, f"refers to unknown {kind} '{slug}'", line=line))
                except RenderRefused as exc:
                    field = "key_points" if schema is ARTICLE and index == 0 else schema.body
                    line = parsed.line_of(field) or parsed.text.count("\n", 0, len(parsed.text) - len(parsed.body)) + 1
                    errors.append(ContentError(parsed.path, str(exc), line=line, field=field))
    return errors


def _editorial_findings(content, rendered):
    """Run the editorial checks; return (findings that stop the import, findings reported as warnings).

    The admin's rule: a published article must pass every check, its claims' label checks included;
    a draft's findings, and those of a claim no published article cites, are warnings.
    """
    glossary = {name for p in content.of(TERM).values() for name in (p.data["term"], *(p.data.get("aliases") or []))}
    sources = {
        tuple(n for n in (p.data["short_name"], p.data.get("title"), p.data.get("publisher")) if n): p.body
        for p in content.of(SOURCE).values()
    }
    labels = {
        slug: label_findings(
            p.data["statement"],
            p.data["evidence"],
            p.data.get("participants"),
            [c["quote"] for c in p.data["citations"]],
            p.data["statement_kind"],
            p.data.get("participants_stated"),
        )
        for slug, p in content.of(CLAIM).items()
    }
    blocking, warnings, published_claims = [], [], set()
    for slug, parsed in content.of(ARTICLE).items():
        points, body = rendered[ARTICLE.folder, slug, 0], rendered[ARTICLE.folder, slug, 1]
        count = len(parsed.data.get("key_points") or [])
        found = article_findings(body, points, count, glossary, sources)
        cited = sorted(set(CLAIM_SLUG.findall(points + body)))
        found += [Finding(f.check, f"claim {claim} {f.message}") for claim in cited for f in labels.get(claim, [])]
        published = parsed.data.get("status") == Article.Status.PUBLISHED
        (blocking if published else warnings).extend((parsed.path, f) for f in found)
        published_claims |= set(cited) if published else set()
    for slug, found in labels.items():
        if slug not in published_claims:
            warnings += [(content.of(CLAIM)[slug].path, f) for f in found]
    return blocking, warnings


def _article_texts(parsed):
    return ["\n".join(f"- {p}" for p in parsed.data.get("key_points") or []), parsed.body]


#: Questions asked before --force replaces a record, each a callable (record) -> why not, or None. The
#: editors' admin adds "an editor has it open" (editorial/presence.py), from a layer this one cannot import.
FORCE_REFUSALS = []


def _force_refusal(obj, began):
    """Return why --force must not replace this record now, or None: --force overrides the files' past, not an editor's present."""
    since = Version.objects.get_for_object(obj).filter(revision__date_created__gte=began)
    if since.exclude(revision__comment__in=(IMPORT_NOTE, KEPT_NOTE)).exists():
        return "it was saved in the admin after this load began"
    return next((reason for ask in FORCE_REFUSALS if (reason := ask(obj))), None)


def import_content(root, *, check_only=False, strict=False, force=False):
    """Check everything under root, then write it all in one transaction; return the report.

    Editorial findings are warnings in the report; with `strict` they stop the import like errors.
    A record changed in the admin since it was last imported is a conflict and is left alone,
    unless `force`, which overwrites it after keeping the admin version in history; even `force`
    leaves alone a record an editor has open, or saved after the load began.
    """
    began = timezone.now()
    content = read_content(root)
    translations, errors = read_translations(root, _english_ids(content), read_file, content.context)
    if errors:
        raise InvalidContent(errors)
    content.findings += readability_findings(translations, content.of(ARTICLE))
    if strict and content.findings:
        raise InvalidContent([ContentError(path, str(finding)) for path, finding in content.findings])
    report = ImportReport(warnings=[f"{path}: {finding}" for path, finding in content.findings])
    if check_only:
        report.warnings += _unfiled_references(content)
        return report
    context = content.context  # the one that rendered everything while checking: renders are reused
    with transaction.atomic():
        known = {
            schema: dict(ImportedRecord.objects.filter(kind=schema.folder).values_list("slug", "fingerprint"))
            for schema in SCHEMAS
        }
        plan = _plan(content, report, force, known)
        forced = [obj for action, _, obj, _ in plan if action == "force"]
        if forced:
            with reversion.create_revision():
                reversion.set_comment(KEPT_NOTE)
                for obj in forced:
                    reversion.add_to_revision(obj)
        with links_in_one_batch(), reversion.create_revision(manage_manually=True):
            reversion.set_comment(IMPORT_NOTE)
            loaded, written, citations = [], [], None
            for action, schema, obj, parsed in plan:
                if schema is CLAIM and citations is None:  # claims come after every source is written
                    citations = CitationWriter({source.slug: source for source in Source.objects.all()})
                if action == "conflict":
                    continue
                if action in ("update", "force"):
                    obj = _lock_unchanged(schema, obj, parsed, report)
                    if obj is None:
                        continue
                if action == "force" and (reason := _force_refusal(obj, began)):
                    report.conflicts.append(
                        f"{parsed.path} ({parsed.data['id']}): not replaced although --force was given: {reason}. "
                        "Kept the admin version; run loadcontent --force again once the editor is done."
                    )
                    report.add(schema, "conflict")
                    continue
                if action in ("create", "update", "force"):
                    written.append(_write_or_report(schema, obj, parsed, context, citations))
                    report.add(schema, "created" if action == "create" else "updated")
                else:
                    report.add(schema, "unchanged")
                loaded.append((schema, parsed))
            if citations is not None:
                citations.write()
            for obj in written:  # once citations have ids: a claim's history entry holds its citations
                reversion.add_to_revision(obj)
        # The pipeline re-renders the articles whose claims, sources or terms changed, without history.
        report.counts[ARTICLE.folder]["re-rendered"] += publish_pending().changed
        try:
            write_translations(translations, report)  # after the English they translate
        except ContentError as exc:
            raise InvalidContent([exc]) from None
        report.warnings += _unfiled_references(content)
        _remember(loaded, known)
    return report


def _english_ids(content):
    """Return, per folder, the ids a translation file may translate: files being loaded and records kept."""
    return {
        "articles": set(content.of(ARTICLE)) | set(Article.objects.values_list("slug", flat=True)),
        "claims": set(content.of(CLAIM)) | set(Claim.objects.values_list("slug", flat=True)),
        "glossary": set(content.of(TERM)) | set(Term.objects.values_list("slug", flat=True)),
        "pages": set(TrustPage.objects.values_list("slug", flat=True)),
    }


def _plan(content, report, force, known):
    """Decide, before writing anything, what happens to each file's record."""
    plan = []
    for schema in SCHEMAS:
        existing = {obj.slug: obj for obj in records(schema)}
        remembered = known[schema]
        for slug, parsed in content.of(schema).items():
            obj = existing.get(slug)
            if obj is None:
                plan.append(("create", schema, None, parsed))
                continue
            wanted, current = canonical(schema, parsed.data, parsed.body), from_record(schema, obj)
            if wanted == current:
                plan.append(("unchanged", schema, obj, parsed))
            elif remembered.get(slug) == fingerprint(schema, obj):
                plan.append(("update", schema, obj, parsed))
            elif force:
                plan.append(("force", schema, obj, parsed))
            else:
                fields = ", ".join(differing_fields(schema, current, wanted))
                report.conflicts.append(
                    f"{parsed.path} ({slug}): changed in the admin since it was last loaded; differs in: {fields}. "
                    "Kept the admin version. Run exportcontent to write it to the file, or loadcontent --force "
                    "to replace it with the file (the admin version stays in the history)."
                )
                report.add(schema, "conflict")
                plan.append(("conflict", schema, obj, parsed))
    return plan


def _lock_unchanged(schema, planned, parsed, report):
    """Lock the record and return it if it is still as planned; else report a conflict and return None.

    An editor may save between planning and writing: their version is kept, never overwritten.
    """
    locked = records(schema).select_for_update().filter(pk=planned.pk).first()
    if locked is not None and fingerprint(schema, locked) == fingerprint(schema, planned):
        return locked
    report.conflicts.append(
        f"{parsed.path} ({parsed.data['id']}): saved in the admin while loadcontent was running. "
        "Kept the admin version; run loadcontent again to compare."
    )
    report.add(schema, "conflict")
    return None


def _write_or_report(schema, obj, parsed, context, citations):
    """Write one record; a refusal (e.g. an id articles use) stops the import naming the file."""
    try:
        # No savepoint of its own: any refusal ends the import, and the whole transaction is rolled back.
        with transaction.atomic(savepoint=False):
            return _write(schema, obj, parsed, context, citations)
    except (InUse, UnknownReferences, ValidationError, IntegrityError, DataError) as exc:
        message = exc.args[0] if isinstance(exc, InUse) else str(exc)
        raise InvalidContent([ContentError(parsed.path, f"cannot be written: {message}")]) from None


def _unfiled_references(content):
    """Report records that articles use but that have no file (made in the admin, or their file removed)."""
    lines = []
    for schema in (CLAIM, TERM, SOURCE):
        model = MODELS[schema]
        unfiled = model.objects.exclude(slug__in=list(content.of(schema))).filter(articles__isnull=False).distinct()
        for obj in unfiled.only("slug"):
            lines.append(
                f"{schema.folder}/{obj.slug}: used by articles but has no file (made in the admin, or its file was "
                "removed); loadcontent keeps it. Run exportcontent to write it to a file."
            )
    return lines


def _write(schema, obj, parsed, context, citations):
    """Create or update one record from its file, rendering it with the import's context."""
    data, body = canonical(schema, parsed.data, parsed.body)
    values = model_values(schema, data, body)
    model = MODELS[schema]
    created = obj is None
    obj = obj or model(slug=data["id"])
    for name, value in values.items():
        setattr(obj, name, value)
    if schema in (ARTICLE, TERM):
        obj.save(render_context=context)
    else:
        obj.save()
    if schema is CLAIM:
        citations.set(obj, parsed, data["citations"], created)
    return obj


class CitationWriter:
    """Set the citations of the claims being written, inserting the new ones together (one statement, not one a claim)."""

    BATCH = 1000

    def __init__(self, sources):
        self.sources = sources
        self.waiting = []  # (parsed file, its claim's new citations)

    def set(self, claim, parsed, wanted, created=False):
        """Replace a claim's citations when they differ; leave them cached on the claim for the history."""
        current = [] if created else list(claim.citations.select_related("source"))
        wanted = [(c["source"], c["quote"]) for c in wanted]
        if [(c.source.slug, c.quote) for c in current] != wanted:
            if current:  # a new claim has none: skip the delete's select
                claim.citations.all().delete()
            current = [
                Citation(claim=claim, source=self.sources[source], quote=quote, position=position)
                for position, (source, quote) in enumerate(wanted, start=1)
            ]
            self.waiting.append((parsed, current))
        claim._prefetched_objects_cache = {"citations": claim.citations.none()}
        claim._prefetched_objects_cache["citations"]._result_cache = current

    def write(self):
        """Insert the waiting citations; if that fails, find the claim that cannot be written and name its file."""
        try:
            with transaction.atomic():
                Citation.objects.bulk_create([c for _, new in self.waiting for c in new], batch_size=self.BATCH)
        except (IntegrityError, DataError):
            for parsed, new in self.waiting:
                try:
                    with transaction.atomic():
                        Citation.objects.bulk_create(new)
                except (IntegrityError, DataError) as exc:
                    raise InvalidContent([ContentError(parsed.path, f"cannot be written: {exc}")]) from None
            raise
        self.waiting = []


def _remember(loaded, known):
    """Record the fingerprint of every file just loaded (or found unchanged), in one statement."""
    changed = []
    for schema, parsed in loaded:
        current = fingerprint_of(schema, *canonical(schema, parsed.data, parsed.body))
        if known[schema].get(parsed.data["id"]) != current:
            changed.append(ImportedRecord(kind=schema.folder, slug=parsed.data["id"], fingerprint=current))
    ImportedRecord.objects.bulk_create(
        changed, update_conflicts=True, unique_fields=["kind", "slug"], update_fields=["fingerprint", "synced_at"]
    )
