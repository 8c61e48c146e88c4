"""The search index (one row per article section, glossary term and published claim) and the synonyms editors keep."""

import reversion
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from carnk_site.search.intents import problems


class SearchDocument(models.Model):
    """A piece of the site a reader can land on, with its text split by weight.

    Derived data: written only by `carnk_site.search.index.refresh`.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        TERM = "term", _("Glossary word")
        CLAIM = "claim", _("Statement")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    language = models.CharField(
        max_length=10,
        default="en",
        help_text="The language of the text: English rows hold words; a translation's rows hold the tokens of "
        "search/scripts.py (Chinese character pairs, loosely romanised Hindi) and their readable sentences.",
    )
    key = models.CharField(max_length=100, help_text="The slug of the article, term or claim.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Section number within an article.")
    article = models.ForeignKey("articles.Article", null=True, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey("glossary.Term", null=True, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey("evidence.Claim", null=True, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=400, blank=True)
    title = models.CharField(max_length=400)
    heading = models.CharField(max_length=400, blank=True)
    text_a = models.TextField(blank=True, help_text="Weight A: title, heading, names.")
    text_b = models.TextField(blank=True, help_text="Weight B: summary and key points, definition, statement.")
    text_c = models.TextField(blank=True, help_text="Weight C: body text.")
    sentences = models.TextField(
        blank=True,
        help_text="Articles only: the section's sentences as JSON, [sentence, the claim it states or ''], so a result "
        "can show the sentence that answers with its evidence label.",
    )
    boost = models.FloatField(default=1.0, help_text="Kind weight: articles above glossary words above statements.")
    search_vector = SearchVectorField(null=True, help_text="Articles and glossary words only.")
    claim_vector = SearchVectorField(
        null=True, help_text="Statements only: a column of their own gives each list its own index and statistics."
    )

    class Meta:
        ordering = ["kind", "key", "position"]
        verbose_name = "search document"
        verbose_name_plural = "search documents"
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "position", "language"], name="unique_search_document")
        ]

    def __str__(self):
        return f"{self.kind}:{self.key}#{self.position}"


class SearchWord(models.Model):
    """A word that occurs in the index: the vocabulary typo correction and "Did you mean" choose from."""

    word = models.CharField(max_length=60, unique=True)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["word"]
        verbose_name = "search word"
        verbose_name_plural = "search words"

    def __str__(self):
        return self.word


@reversion.register()
class SynonymGroup(models.Model):
    """Words and phrases a reader may type for the same thing."""

    words = models.CharField(
        max_length=500,
        help_text="Equivalent words or phrases separated by commas, e.g. 'colon cancer, bowel cancer, colorectal cancer'. "
        "A search for any of them finds pages that use any other. Names in capitals (e.g. 'ALL') only match in capitals.",
    )
    term = models.OneToOneField(
        "glossary.Term",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Set when the group is the glossary term's own names; edit the term's aliases instead.",
    )

    class Meta:
        ordering = ["words"]
        verbose_name = "synonym group"
        verbose_name_plural = "synonym groups"

    def __str__(self):
        return self.words

    @property
    def phrases(self):
        """Return the group's words and phrases, without blanks."""
        return [part.strip() for part in self.words.split(",") if part.strip()]


@reversion.register()
class Intent(models.Model):
    """What a question is about when its words alone do not say: lay phrases and the sections that answer them.

    Read on every search, with the synonym groups: a match lifts its sections in the results (a
    boost, not a fixed answer), and a question made only of such phrases ("how much") gets them.
    """

    name = models.CharField(
        max_length=100, unique=True, help_text="What readers ask about, e.g. 'Cost'. Shown on the results page."
    )
    phrases = models.TextField(
        help_text="One phrase per line, as readers type it, e.g. 'how much' or 'bad kidneys'. A number range in "
        "square brackets matches any number in it: 'aged [60-110]' matches 'aged 78'. A phrase's words count "
        "towards the intent instead of being words a page must contain, so prefer phrases ('bad kidneys') to words "
        "the pages use for other things ('liver')."
    )
    sections = models.TextField(
        help_text="One section per line: the article's id, then # and the heading's anchor (the end of the heading's "
        "link), e.g. 'taking-part-in-a-trial#what-it-may-cost'. The article's id alone means its opening. A section "
        "that no longer exists is skipped."
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "question intent"
        verbose_name_plural = "question intents"

    def __str__(self):
        return self.name

    def clean(self):
        found = problems(self.phrases, self.sections)
        if found:
            raise ValidationError(found)
