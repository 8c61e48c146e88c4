"""Atom feeds of changes readers were told about: in English the notes under "Changes to this page"; in
another language (`/changes.atom?lang=zh-hans`) each translation as it was published or re-approved.

Translations carry no notes of their own: what changes for their readers is that a translation
reaches them, or reaches them again in a new text, each time a reviewer of the language approves it.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from carnk_site.articles.models import Article
from carnk_site.articles.reader_notes import FEED_ENTRIES, recent_public_changes
from carnk_site.text.xml_safe import xml_safe
from carnk_site.translations.models import ArticleTranslation, PageTranslation


class XmlSafeAtomFeed(Atom1Feed):
    """Atom that any pasted text can go into: every string passes through xml_safe on its way in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*[xml_safe(a) for a in args], **{k: xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*[xml_safe(a) for a in args], **{k: xml_safe(v) for k, v in kwargs.items()})


class ChangesFeed(Feed):
    feed_type = XmlSafeAtomFeed
    title = _("CAR-NK explained: changes to pages")
    subtitle = _("Dated notes on what changed in each article, as shown under “Changes to this page”.")
    author_name = "CAR-NK explained"  # Atom requires an author; the site itself, never a made-up person

    def link(self):
        return reverse("pages:home")

    def items(self):
        return recent_public_changes()

    def item_title(self, item):
        return item[4]

    def item_description(self, item):
        return item[2]

    def item_link(self, item):
        return reverse("articles:detail", args=[item[3]]) + "#changes-heading"

    def item_guid(self, item):
        return f"{self.item_link(item)}-{item[0]}"

    def item_pubdate(self, item):
        return item[1]

    def item_updateddate(self, item):
        return item[1]


class TranslationChangesFeed(ChangesFeed):
    """Published translations into one language, newest approval first: articles and pages about the site."""

    title = _("CAR-NK explained: translations published")
    subtitle = _("Each page in this language as a clinician fluent in it approved it, newest first.")

    def __init__(self, language):
        super().__init__()
        self.language = language  # Django's Feed writes it as the feed's xml:lang

    def link(self):
        with override(self.language):
            return reverse("pages:home")

    def items(self):
        articles = ArticleTranslation.objects.published().filter(
            language=self.language, article__status=Article.Status.PUBLISHED
        )
        pages = PageTranslation.objects.published().filter(language=self.language)
        found = list(articles.select_related("article").order_by("-approved_at")[:FEED_ENTRIES])
        found += list(pages.select_related("page").order_by("-approved_at")[:FEED_ENTRIES])
        return sorted(found, key=lambda t: (t.approved_at, t.pk), reverse=True)[:FEED_ENTRIES]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"{self.item_link(item)}#approved-{item.approved_at.isoformat()}"

    def item_pubdate(self, item):
        return item.approved_at

    def item_updateddate(self, item):
        return item.approved_at
