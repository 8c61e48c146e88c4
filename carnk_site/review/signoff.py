"""Which version of an article a clinician signed off, and whether readers' text still matches it.

An approval records a fingerprint of the text readers see (title, summary, key points, body, as the
writer wrote them). The sign-off shown to readers is the newest approval whose fingerprint matches
the article's current text: any change to that text needs a new approval. SignOff keeps that
answer next to the article (refreshed by the publishing table whenever an article or approval is saved) so a page
fetches it with the article; the page still compares fingerprints, so a stale row never shows.

An approval also records a fingerprint of the evidence the text cites as readers see it (each
claim's statement, kind, level and number of people; each quote and its source's name, kind and
teller). When a change to a claim, citation or source alters that fingerprint, the publishing
table calls `evidence_changed`: SignOff notes the moment, and the page says the article was
"Reviewed by …, before its evidence changed on DATE" until a reviewer approves it again.
"""

import hashlib
import json

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Citation, Claim
from carnk_site.review.models import Approval, ReviewerProfile, SignOff
from carnk_site.text.claim_links import claim_slugs_in

READER_FIELDS = ("title", "summary", "key_points", "body")


class ApprovalRefused(Exception):
    """Raised when someone may not approve this version; the message says why, for the reviewer."""


def content_hash(values):
    """Return the fingerprint of an article's reader-visible text (an article or a dict of its fields)."""
    if not isinstance(values, dict):
        values = {name: getattr(values, name) for name in READER_FIELDS}
    text = json.dumps([str(values.get(name) or "").replace("\r\n", "\n").strip() for name in READER_FIELDS])
    return hashlib.sha256(text.encode()).hexdigest()


def evidence_hash(values, claim_model=Claim):
    """Return the fingerprint of the evidence a text cites (an article, or a dict of its reader fields), as readers see it.

    `claim_model` lets a data migration fingerprint with its historical Claim model, the same way.
    """
    if not isinstance(values, dict):
        values = {name: getattr(values, name) for name in READER_FIELDS}
    citation_model = Citation if claim_model is Claim else claim_model._meta.get_field("citations").related_model
    citations = Prefetch(
        "citations", queryset=citation_model.objects.select_related("source").order_by("position", "pk")
    )
    claims = claim_model.objects.filter(slug__in=claim_slugs_in(values.get("body"), values.get("key_points")))
    rows = [
        [
            claim.slug,
            claim.statement.replace("\r\n", "\n").strip(),
            claim.statement_kind,
            claim.about,
            claim.evidence,
            claim.participants,
            [
                [c.quote, c.source.slug, c.source.short_name, c.source.kind, c.source.commercial, c.source.teller]
                for c in claim.citations.all()
            ],
        ]
        for claim in claims.order_by("slug").prefetch_related(citations)
    ]
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


def evidence_out_of_date(approval, article):
    """Tell whether the evidence the article cites has changed since the approval (never for one that kept none)."""
    return bool(approval.evidence_hash) and approval.evidence_hash != evidence_hash(article)


def latest_version(article):
    return Version.objects.get_for_object(article).select_related("revision__user").first()


def matching_approval(article):
    return Approval.objects.filter(article=article, content_hash=content_hash(article)).first()


def current_approval(article):
    """Return the approval of the article's text and of its evidence as it is now, or None: one to re-approve."""
    approval = matching_approval(article)
    return None if approval is None or evidence_out_of_date(approval, article) else approval


def refresh(article, new=False):
    """Point the article's SignOff (an article, or its id) at the newest approval matching its current text."""
    if new:  # nobody can have approved an article that did not exist: one INSERT, no look-ups
        SignOff.objects.create(article=article)
        return
    if not isinstance(article, Article):
        article = Article.objects.filter(pk=article).first()
        if article is None:
            return
    approval = matching_approval(article)
    before = SignOff.objects.filter(article=article).values_list("approval_id", "evidence_changed_at").first()
    changed_at = None
    if approval is not None and evidence_out_of_date(approval, article):
        kept = before is not None and before[0] == approval.pk and before[1] is not None
        changed_at = before[1] if kept else timezone.now()
    SignOff.objects.update_or_create(
        article=article, defaults={"approval": approval, "evidence_changed_at": changed_at}
    )


def evidence_changed(article_ids):
    """After claims, citations or sources changed: note which approved articles' evidence now differs, or again matches.

    Return how many sign-offs changed. Only approved articles are looked at, so a source most
    articles cite costs a look-up per approved article, not per article.
    """
    signoffs = (
        SignOff.objects.filter(article_id__in=article_ids, approval__isnull=False)
        .exclude(approval__evidence_hash="")
        .select_related("approval", "article")
    )
    now, changed = timezone.now(), 0
    for signoff in signoffs:
        out_of_date = evidence_out_of_date(signoff.approval, signoff.article)
        since = (signoff.evidence_changed_at or now) if out_of_date else None
        if since != signoff.evidence_changed_at:
            SignOff.objects.filter(pk=signoff.pk).update(evidence_changed_at=since)
            changed += 1
    return changed


def shown_approval(article):
    """Return the approval readers see for an article fetched with signoff__approval__reviewer, or None."""
    try:
        approval = article.signoff.approval
    except SignOff.DoesNotExist:
        return None
    if approval is None or approval.content_hash != content_hash(article):
        return None
    approval.evidence_changed_at = article.signoff.evidence_changed_at  # "…, before its evidence changed on"
    return approval


def check_evidence_seen(values, seen_evidence):
    """Raise ApprovalRefused if the evidence the text cites changed since the reviewer's page showed it."""
    if seen_evidence is not None and seen_evidence != evidence_hash(values):
        raise ApprovalRefused(
            _(
                "The evidence this text cites (a claim's statement, level or number of people, a quote or a "
                "source) changed after you opened it, so nothing was recorded. Read the page again and decide again."
            )
        )


def approve(article, user, comment="", *, seen_token=None, seen_evidence=None):
    """Record the user's approval of the article's saved text and cited evidence; raise ApprovalRefused with the reason.

    `seen_token` is the edit token of the text the reviewer's page showed, `seen_evidence` the
    fingerprint of the evidence it showed: a save of either since then is refused.
    """
    profile = ReviewerProfile.objects.filter(user=user).first()
    if profile is None or not user.has_perm("review.add_approval"):
        raise ApprovalRefused(_("Only a clinical reviewer with a reviewer profile can approve an article."))
    if (
        seen_token is not None
        and seen_token != Article.objects.filter(pk=article.pk).values_list("edit_token", flat=True).first()
    ):
        raise ApprovalRefused(
            _(
                "This article was saved after you opened it, so nothing was recorded. Read the new text and decide again."
            )
        )
    check_evidence_seen(article, seen_evidence)
    version = latest_version(article)
    if user.pk in writers_since_approval(article):
        raise ApprovalRefused(
            _("You saved part of this text: a clinical reviewer who did not write it must approve it.")
        )
    if current_approval(article) is not None:
        raise ApprovalRefused(_("This version is already approved."))
    with transaction.atomic():
        return Approval.objects.create(
            article=article,
            reviewer=profile,
            comment=comment,
            content_hash=content_hash(article),
            evidence_hash=evidence_hash(article),
            version=version,
        )


def writers_since_approval(article):
    """Return the ids of everyone who saved the article since it was last approved (ever, if never)."""
    versions = Version.objects.get_for_object(article)
    last = Approval.objects.filter(article=article).order_by("-created").values_list("created", flat=True).first()
    if last is not None:
        versions = versions.filter(revision__date_created__gt=last)
    return set(versions.exclude(revision__user=None).values_list("revision__user_id", flat=True))


def approved_for_publishing(article, cleaned):
    """Return True if the form's text may be published: approved, or already published and unchanged.

    "Already published" is judged against the newest saved version in the history, not the row the
    form was built from: restoring an old version reverts the row first, and must not count as unchanged.
    """
    if article.pk is None:
        return False
    new_hash = content_hash(cleaned)
    if Approval.objects.filter(article=article, content_hash=new_hash).exists():
        return True
    version = latest_version(article)
    saved = version.field_dict if version else Article.objects.filter(pk=article.pk).values().first() or {}
    # Unchanged published text (e.g. loaded from content/, not yet reviewed) may be saved again.
    return saved.get("status") == Article.Status.PUBLISHED and content_hash(saved) == new_hash


def awaiting_review(user):
    """Return articles in review that the user did not save last and whose text nobody approved yet."""
    waiting = []
    for article in Article.objects.filter(status=Article.Status.REVIEW).order_by("order", "title"):
        version = latest_version(article)
        if current_approval(article) is None and (version is None or version.revision.user_id != user.pk):
            waiting.append((article, version))
    return waiting
