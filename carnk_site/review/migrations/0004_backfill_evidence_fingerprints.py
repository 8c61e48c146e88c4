"""Give approvals made before evidence fingerprints were kept an answer: current, or out of date since when.

Such an approval has an empty `evidence_hash`, which `evidence_out_of_date` reads as "never out of
date", so a later change to a claim it cites went unnoticed. The history (django-reversion) of the
claims it cites (with their citations) and of their sources tells what happened since the approval:

- a reader-visible change after it: out of date since the earliest such change;
- no history, or the record differs from its last saved version (changed outside the history):
  nothing can tell, so out of date since the approval itself, for a reviewer to check again;
- no change: the real fingerprint, computed by the app's own `evidence_hash` with these historical models.

An out-of-date approval keeps a marker instead of a fingerprint; no fingerprint equals it, so it
stays out of date until a reviewer approves the article again. The reverse does nothing.
"""

import json

from django.core.exceptions import FieldError
from django.db import migrations, transaction

from carnk_site.review.signoff import evidence_hash
from carnk_site.text.claim_links import claim_slugs_in

CHANGED = "changed-before-fingerprints-were-kept"
UNKNOWN = "unknown-before-fingerprints-were-kept"

# What readers see of each record (as in evidence_hash); other fields (notes, tokens) are not a change.
CLAIM_FIELDS = ("slug", "statement", "statement_kind", "about", "evidence", "participants")
CITATION_FIELDS = ("quote", "source", "position")
SOURCE_FIELDS = ("slug", "short_name", "kind", "commercial", "teller")


def backfill(apps, schema_editor):
    """Settle every current sign-off whose approval has no evidence fingerprint."""
    SignOff = apps.get_model("review", "SignOff")
    Approval = apps.get_model("review", "Approval")
    Claim = apps.get_model("evidence", "Claim")
    history = History(apps)
    signoffs = SignOff.objects.filter(approval__isnull=False, approval__evidence_hash="").select_related(
        "approval", "article"
    )
    for signoff in signoffs:
        approval, article = signoff.approval, signoff.article
        claims = list(Claim.objects.filter(slug__in=claim_slugs_in(article.body, article.key_points)))
        changed_at = history.changed_since(claims, approval.created)
        marker = CHANGED if changed_at is not None else UNKNOWN
        if changed_at is None and not history.unknown:
            fingerprint = fingerprint_of(article, Claim)
            if fingerprint is not None:
                Approval.objects.filter(pk=approval.pk).update(evidence_hash=fingerprint)
                SignOff.objects.filter(pk=signoff.pk).update(evidence_changed_at=None)
                continue
        Approval.objects.filter(pk=approval.pk).update(evidence_hash=marker)
        SignOff.objects.filter(pk=signoff.pk).update(evidence_changed_at=changed_at or approval.created)


def fingerprint_of(article, claim_model):
    """Return the app's fingerprint of the article's evidence, or None if today's code no longer fits this schema."""
    values = {name: getattr(article, name) for name in ("title", "summary", "key_points", "body")}
    try:
        with transaction.atomic():
            return evidence_hash(values, claim_model)
    except (FieldError, AttributeError, LookupError):
        return None


class History:
    """Reader-visible snapshots of claims (with their citations) and sources, from django-reversion's versions."""

    def __init__(self, apps):
        self.apps = apps
        self.Version = apps.get_model("reversion", "Version")
        ContentType = apps.get_model("contenttypes", "ContentType")
        kinds = dict(
            ContentType.objects.filter(app_label="evidence", model__in=["claim", "citation", "source"]).values_list(
                "model", "pk"
            )
        )
        self.claim_type, self.citation_type, self.source_type = (kinds.get(k) for k in ("claim", "citation", "source"))
        self.unknown = False

    def changed_since(self, claims, moment):
        """Return when the claims' or their sources' reader-visible data first changed after `moment`, or None.

        Sets `self.unknown` when the history cannot tell (a record without versions, or changed outside them).
        """
        self.unknown = False
        Citation = self.apps.get_model("evidence", "Citation")
        Source = self.apps.get_model("evidence", "Source")
        earliest = []
        for claim in claims:
            current = (
                pick(claim, CLAIM_FIELDS),
                sorted(json.dumps(pick(c, CITATION_FIELDS), default=str) for c in claim.citations.all()),
            )
            earliest.append(self._first_change(self._claim_snapshots(claim.pk), current, moment))
        source_ids = Citation.objects.filter(claim__in=claims).values_list("source_id", flat=True)
        for source in Source.objects.filter(pk__in=source_ids):
            snapshots = self._snapshots(self.source_type, source.pk, SOURCE_FIELDS)
            earliest.append(self._first_change(snapshots, pick(source, SOURCE_FIELDS), moment))
        found = [when for when in earliest if when is not None]
        return min(found) if found else None

    def _first_change(self, snapshots, current, moment):
        """Return the first snapshot after `moment` differing from the one before it (any, if none came before)."""
        if not snapshots:
            self.unknown = True
            return None
        before = None
        for when, data in snapshots:
            if when > moment and (before is None or differs(before, data)):
                return when
            before = data
        if differs(before, current):  # saved outside the history since its last version: when is not known
            self.unknown = True
        return None

    def _versions(self, content_type, object_ids):
        if content_type is None or not object_ids:
            return []
        return (
            self.Version.objects.filter(content_type_id=content_type, object_id__in=[str(i) for i in object_ids])
            .order_by("revision__date_created", "pk")
            .values_list("object_id", "revision_id", "revision__date_created", "format", "serialized_data")
        )

    def _snapshots(self, content_type, object_id, names):
        rows = self._versions(content_type, [object_id])
        return [(when, fields_of(fmt, data, names)) for _, _, when, fmt, data in rows]

    def _claim_snapshots(self, claim_id):
        """Return (date, (claim fields, citations)) per saved version of a claim; its citations share its revision."""
        versions = list(self._versions(self.claim_type, [claim_id]))
        revisions = [revision for _, revision, _, _, _ in versions]
        cited = {}
        if self.citation_type is not None and revisions:
            rows = self.Version.objects.filter(
                content_type_id=self.citation_type, revision_id__in=revisions
            ).values_list("revision_id", "format", "serialized_data")
            for revision, fmt, data in rows:
                fields = fields_of(fmt, data, (*CITATION_FIELDS, "claim"))
                if fields.get("claim") == claim_id:
                    fields.pop("claim")
                    cited.setdefault(revision, []).append(json.dumps(fields, default=str))
        return [
            (when, (fields_of(fmt, data, CLAIM_FIELDS), sorted(cited.get(revision, []))))
            for _, revision, when, fmt, data in versions
        ]


def pick(record, names):
    return {name: getattr(record, f"{name}_id" if name in ("source", "claim") else name) for name in names}


def fields_of(fmt, data, names):
    """Return the named fields of one serialized version (only those it holds: older versions lack newer fields)."""
    if fmt != "json":
        return {}
    try:
        fields = json.loads(data)[0]["fields"]
    except (ValueError, LookupError, TypeError):
        return {}
    return {name: fields[name] for name in names if name in fields}


def differs(old, new):
    """Tell whether two snapshots differ in what both of them record."""
    if isinstance(old, tuple):
        return differs(old[0], new[0]) or old[1] != new[1]
    return any(str(old[name]) != str(new[name]) for name in old.keys() & new.keys())


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0003_approval_evidence"),
        ("evidence", "0007_claim_participants_stated"),
        ("articles", "0004_readernote"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
