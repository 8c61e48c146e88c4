"""An Atom feed of changes readers were told about: the notes under "Changes to this page"."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from carnk_site.articles.reader_notes import recent_public_changes
from carnk_site.text.xml_safe import xml_safe


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
