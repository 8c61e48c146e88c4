"""Translations of content as their own records, each tied to the exact English version it translates.

A translation stores a fingerprint of the English fields it was made from (`english_hash`). When the
English changes, the fingerprints differ and the page says so ("The English page changed on DATE;
this translation has not caught up"); it is never shown as current. A translation reaches readers
only once a clinical reviewer who has that language on their profile (`LanguageReviewer`) approves
its current text; any later edit to it needs a new approval. Quotes stay verbatim in the source's
language; a claim's translation carries our translation of each quote it cites (`quotes`), shown
beside the quote and marked as ours, never in its place.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from reversion.models import Version

from carnk_site.caching import version
from carnk_site.publishing.contexts import context_from_database
from carnk_site.publishing.records import render_article, render_explanation
from carnk_site.text.rendering import RenderContext, RenderRefused, render
from carnk_site.text.sanitise import trusted

#: The usual answer to "how was it translated", shown translated into the page's language.
logger = logging.getLogger(__name__)

MACHINE_HELP = gettext_noop("Drafted with machine help by the editorial team")


def translated_languages():
    """Return (code, name) for every language of the site but English."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def fingerprint(values):
    """Return a fingerprint of some texts: equal exactly when every text is equal."""
    return hashlib.sha256(json.dumps([v or "" for v in values], ensure_ascii=False).encode()).hexdigest()


class LanguageReviewer(models.Model):
    """A clinical reviewer who reads and writes a language fluently, and so may approve translations into it."""

    reviewer = models.ForeignKey("review.ReviewerProfile", on_delete=models.PROTECT, related_name="languages")
    language = models.CharField(max_length=10, choices=translated_languages)

    class Meta:
        ordering = ["language", "reviewer__display_name"]
        verbose_name = _("reviewer for a language")
        verbose_name_plural = _("reviewers for a language")
        constraints = [models.UniqueConstraint(fields=["reviewer", "language"], name="one_row_per_reviewer_language")]

    def __str__(self):
        return f"{self.reviewer.display_name} ({self.get_language_display()})"


class TranslationQuerySet(models.QuerySet):
    def published(self):
        """Return the translations readers may see: approved, by a reviewer of their language, as they are now."""
        return self.filter(approved_by__isnull=False, approved_hash=models.F("text_hash"))


class Translation(models.Model):
    """What every translation has: its language, how it was made, what it was made from, and its approval."""

    #: The English record's fields this translation renders, in order (their fingerprint is `english_hash`).
    ENGLISH_FIELDS = ()
    #: The translation's own fields readers see (their fingerprint is `text_hash`, which an approval names).
    TEXT_FIELDS = ()
    #: The attribute holding the English record.
    ENGLISH = ""
    #: The English record's rendered fields: they change when a claim or term it shows changes.
    ENGLISH_HTML = ()
    #: Raised when the way translations render changes (2: articles take the English heading ids and
    #: reading time), so stored translations re-render once, the next time they are read.
    RENDERING = 2

    language = models.CharField(max_length=10, choices=translated_languages)
    method = models.CharField(
        _("how it was translated"),
        max_length=300,
        default=MACHINE_HELP,
        help_text=_(
            "Shown to readers as it is. Say truthfully who translated it and how; never name anyone who did not."
        ),
    )
    english_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Fingerprint of the English text this translation was made from."),
    )
    text_hash = models.CharField(max_length=64, blank=True, editable=False)
    rendered_with = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Fingerprint of the English record's HTML when this was rendered: its labels and links."),
    )
    approved_by = models.ForeignKey(
        LanguageReviewer, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated = models.DateTimeField(auto_now=True)

    objects = TranslationQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Render the Markdown once, in the translation's language (evidence labels too), and mark pages stale."""
        if not self.english_hash:
            self.matches_english_now()
        self.text_hash = self.text_fingerprint()
        if self.__dict__.pop("_rendered_for", None) != (self.text_hash, self.english_rendering()):
            self.render_in_language()  # not already rendered by clean() from this very text
        super().save(*args, **kwargs)
        transaction.on_commit(version.bump, using=kwargs.get("using"))

    def get_absolute_url(self):
        with translation.override(self.language):
            return self.english.get_absolute_url()

    @property
    def english(self):
        return getattr(self, self.ENGLISH)

    def english_fingerprint(self):
        """Return the fingerprint of the English record as it is now."""
        return fingerprint(getattr(self.english, name) for name in self.ENGLISH_FIELDS)

    def text_fingerprint(self):
        return fingerprint(getattr(self, name) for name in self.TEXT_FIELDS)

    @property
    def is_current(self):
        """Return True while the English is the version this translation was made from."""
        return self.english_hash == self.english_fingerprint()

    @property
    def is_approved(self):
        return self.approved_by_id is not None and self.approved_hash == self.text_hash

    def english_changed_on(self):
        """Return when the English was last saved (its newest history entry), or None if no history says."""
        english = self.english
        updated = getattr(english, "updated", None)
        if updated is not None:
            return updated
        entry = Version.objects.get_for_object(english).select_related("revision").first()
        return entry.revision.date_created if entry else None

    def matches_english_now(self):
        """Record that this translation now renders the English as it is (an editor checked it)."""
        self.english_hash = self.english_fingerprint()

    def clean(self):
        """Refuse an approval by another language's reviewer, and Markdown that cannot be rendered (as a form error)."""
        if self.approved_by_id and self.approved_by.language != self.language:
            raise ValidationError(
                _("Only a reviewer with this translation's language on their profile can approve it.")
            )
        if getattr(self, f"{self.ENGLISH}_id", None) is None:
            return  # the form reports the missing English record
        try:
            self.render_in_language()
        except RenderRefused as exc:
            raise ValidationError(str(exc)) from None
        self._rendered_for = (self.text_fingerprint(), self.english_rendering())

    def render(self):
        """Fill the derived HTML fields (none by default)."""

    def render_in_language(self):
        """Render in the translation's language and remember which rendering of the English it matches."""
        with translation.override(self.language):
            self.render()
        self.rendered_with = self.english_rendering()

    def english_rendering(self):
        """Return a fingerprint of the English record's HTML (claim labels, links) as it is now."""
        return fingerprint([str(self.RENDERING), *(getattr(self.english, name) for name in self.ENGLISH_HTML)])

    def follow_english_rendering(self):
        """Re-render if the English was re-rendered since (a claim's label, a source, a term changed).

        The publishing table cannot reach translations (they sit above it), so a translation
        catches up when it is next read: once, stored with a bulk update of its derived fields.
        """
        if not self.ENGLISH_HTML or self.rendered_with == self.english_rendering():
            return False
        try:
            self.render_in_language()
        except RenderRefused as exc:  # e.g. a claim only the translation cites was deleted: keep the last rendering
            logger.warning("Translation %s could not follow its English: %s", self, exc)
            return False
        derived = [f.name for f in self._meta.concrete_fields if f.name.endswith("_html")]
        derived += [name for name in ("reading_minutes", "evidence_profile") if hasattr(self, name)]
        values = {name: getattr(self, name) for name in (*derived, "rendered_with")}
        type(self).objects.filter(pk=self.pk).update(**values)
        transaction.on_commit(version.bump)
        return True

    def approve(self, reviewer_profile):
        """Approve the current text as the given clinical reviewer; refuse one without this language."""
        language_reviewer = LanguageReviewer.objects.filter(reviewer=reviewer_profile, language=self.language).first()
        if language_reviewer is None:
            raise ValidationError(
                _("Only a reviewer with %(language)s on their profile can approve this translation.")
                % {"language": self.get_language_display()}
            )
        self.approved_by = language_reviewer
        self.approved_at = timezone.now()
        self.approved_hash = self.text_fingerprint()
        self.save()

    @property
    def admin_url(self):
        return reverse(f"admin:translations_{self._meta.model_name}_change", args=[self.pk])


class ArticleTranslation(Translation):
    ENGLISH = "article"
    ENGLISH_HTML = ("key_points_html", "body_html")
    ENGLISH_FIELDS = ("title", "summary", "key_points", "body")
    TEXT_FIELDS = ("method", "title", "summary", "key_points", "body")

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    key_points = models.TextField(blank=True, help_text=_("One per line, as in the English."))
    body = models.TextField(
        help_text=_("Markdown. Keep every claim and term link of the English: [words](claim:id), [words](term:id).")
    )
    key_points_html = models.TextField(blank=True, editable=False)
    body_html = models.TextField(blank=True, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    evidence_profile = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["article__order", "language"]
        verbose_name = _("translation of an article")
        verbose_name_plural = _("translations of articles")
        constraints = [models.UniqueConstraint(fields=["article", "language"], name="one_translation_per_article")]

    def __str__(self):
        return f"{self.article} [{self.language}]"

    def render(self):
        render_article(self, context_from_database(self.body, self.key_points), follow=self.article)

    @property
    def body_safe(self):
        return trusted(self.body_html)

    @property
    def key_points_safe(self):
        return trusted(self.key_points_html)


def claim_english_fingerprint(statement, quotes):
    """Return the fingerprint of an English claim: its statement and every quote it cites, in order.

    A changed quote changes it, so the translation of that quote (and the claim) reads as out of date.
    """
    return fingerprint([statement, *quotes])


def quote_translation_problems(items, english_quotes):
    """Return what is wrong with a claim translation's `quotes` list, in words an editor can act on.

    Each item is {"quote": the English quote exactly as the claim cites it, "translation": ours}.
    The quote is the item's identity: one the English claim does not cite (or no longer cites) is refused.
    """
    if items in (None, ""):
        return []
    if not isinstance(items, list):
        return ["'quotes' must be a list of {quote, translation}"]
    problems, seen = [], set()
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or set(item) != {"quote", "translation"}:
            problems.append(f"quotes item {number} must have exactly 'quote' and 'translation'")
            continue
        quote, translated = item["quote"], item["translation"]
        if not isinstance(quote, str) or not isinstance(translated, str) or not translated.strip():
            problems.append(f"quotes item {number}: 'quote' and 'translation' must both be text")
        elif quote not in english_quotes:
            problems.append(
                f"quotes item {number}: the quote does not match any quote of the English claim exactly: {quote[:80]!r}"
            )
        elif quote in seen:
            problems.append(f"quotes item {number}: this quote is translated twice")
        elif len(translated) > MAX_QUOTE_TRANSLATION:
            problems.append(f"quotes item {number}: the translation is longer than {MAX_QUOTE_TRANSLATION} characters")
        else:
            seen.add(quote)
    return problems


#: A quote translation is a passage, not a page.
MAX_QUOTE_TRANSLATION = 5000


class ClaimTranslation(Translation):
    """Our translation of a claim's statement, and of the quotes it cites (shown beside them, never instead)."""

    ENGLISH = "claim"
    ENGLISH_FIELDS = ("statement",)
    TEXT_FIELDS = ("method", "statement", "quotes")  # quotes count only once there are any: text_fingerprint

    claim = models.ForeignKey("evidence.Claim", on_delete=models.CASCADE, related_name="translations")
    statement = models.TextField(help_text=_("The statement in plain words, hedged exactly as the English is."))
    quotes = models.JSONField(
        _("our translations of its quotes"),
        default=list,
        blank=True,
        help_text=_(
            'A list of {"quote": the English quote copied exactly, "translation": our translation}. '
            "Readers see the quote as the source wrote it, with this beside it, marked as our translation."
        ),
    )

    class Meta:
        ordering = ["claim__slug", "language"]
        verbose_name = _("translation of a claim")
        verbose_name_plural = _("translations of claims")
        constraints = [models.UniqueConstraint(fields=["claim", "language"], name="one_translation_per_claim")]

    def __str__(self):
        return f"{self.claim.slug} [{self.language}]"

    def english_quotes(self):
        return [c.quote for c in self.claim.citations.all()]

    def english_fingerprint(self):
        """The statement and its quotes: a changed English quote marks this translation out of date."""
        return claim_english_fingerprint(self.claim.statement, self.english_quotes())

    def text_fingerprint(self):
        """Method, statement and, once there are any, the quote translations (so an approval covers them)."""
        values = [self.method, self.statement]
        if self.quotes:
            values.append(json.dumps(self.quotes, ensure_ascii=False, sort_keys=True))
        return fingerprint(values)

    def clean(self):
        """Refuse a quote translation whose quote the English claim does not cite, word for word."""
        super().clean()
        if getattr(self, "claim_id", None) is not None:
            problems = quote_translation_problems(self.quotes, self.english_quotes())
            if problems:
                raise ValidationError({"quotes": problems})

    def quote_translations(self):
        """Return {English quote: our translation} for the quotes this translation covers."""
        return translated_quotes(self.quotes)


def translated_quotes(items):
    """Return {English quote: our translation} from a stored `quotes` list (bad items are skipped, never raised)."""
    if not isinstance(items, list):
        return {}
    return {
        item["quote"]: item["translation"]
        for item in items
        if isinstance(item, dict) and isinstance(item.get("quote"), str) and isinstance(item.get("translation"), str)
    }


class TermTranslation(Translation):
    ENGLISH = "term"
    ENGLISH_HTML = ("explanation_html",)
    ENGLISH_FIELDS = ("term", "definition", "explanation")
    TEXT_FIELDS = ("method", "name", "definition", "explanation")

    term = models.ForeignKey("glossary.Term", on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(
        _("term"), max_length=150, help_text=_("The word as readers of this language will meet it.")
    )
    definition = models.CharField(max_length=400)
    explanation = models.TextField(blank=True, help_text=_("Optional longer explanation in Markdown."))
    explanation_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["term__term", "language"]
        verbose_name = _("translation of a glossary term")
        verbose_name_plural = _("translations of glossary terms")
        constraints = [models.UniqueConstraint(fields=["term", "language"], name="one_translation_per_term")]

    def __str__(self):
        return f"{self.term} [{self.language}]"

    def render(self):
        render_explanation(self)

    @property
    def explanation_safe(self):
        return trusted(self.explanation_html)


class PageTranslation(Translation):
    ENGLISH = "page"
    ENGLISH_FIELDS = ("title", "summary", "body")
    TEXT_FIELDS = ("method", "title", "summary", "body")

    page = models.ForeignKey("trust.TrustPage", on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text=_("Markdown."))
    body_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["page__slug", "language"]
        verbose_name = _("translation of a page about the site")
        verbose_name_plural = _("translations of pages about the site")
        constraints = [models.UniqueConstraint(fields=["page", "language"], name="one_translation_per_page")]

    def __str__(self):
        return f"{self.page} [{self.language}]"

    def render(self):
        self.body_html = render(self.body, RenderContext(claims={}, terms={}), link_terms=False).html

    @property
    def body_safe(self):
        return trusted(self.body_html)


TRANSLATION_MODELS = (ArticleTranslation, ClaimTranslation, TermTranslation, PageTranslation)


def _deleted(sender, instance, using=None, **kwargs):
    """A deleted translation leaves every page that showed it, and its English page's alternates: bump them."""
    transaction.on_commit(version.bump, using=using)


def connect():
    """Mark pages stale when a translation is deleted, as its save does (the admin deletes through the queryset)."""
    for model in TRANSLATION_MODELS:
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"pages-delete-{model.__name__}")


def out_of_date():
    """Return every translation whose English changed after it was made, for the editors' overview."""
    found = []
    for model in TRANSLATION_MODELS:
        rows = model.objects.select_related(model.ENGLISH)
        if model is ClaimTranslation:
            rows = rows.prefetch_related("claim__citations")  # its fingerprint covers the quotes
        found += [t for t in rows if not t.is_current]
    return found
