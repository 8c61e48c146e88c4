"""An editor at work for the page-cache benchmark: save a claim every few seconds through the models' saves.

The saves go through the publishing pipeline as an admin save does (refresh, search rows, page
cache on commit); the admin form's own checks are timed by `timesaves`. Before the first save it
prints, as one JSON line, which claims it will edit, the pages of the articles citing them, and pages
for readers to browse, so the readers' side of the benchmark can tell pages the saves touch from the rest.
"""

import json
import time

from carnk_site.articles.models import Article
from carnk_site.evidence.models import Claim
from carnk_site.glossary.models import Term

BROWSED_ARTICLES, BROWSED_TERMS = 200, 100


def edit_claims(*, every, seconds, count, out):
    """Save one of `count` claims every `every` seconds for `seconds`; return how many saves were made."""
    claims = list(Claim.objects.public().order_by("slug")[:count])
    cited_by = Article.claims.through.objects.filter(claim__in=claims).values_list("article__slug", flat=True)
    browsed = [a.get_absolute_url() for a in Article.objects.published()[:BROWSED_ARTICLES]]
    browsed += [t.get_absolute_url() for t in Term.objects.public().order_by("slug")[:BROWSED_TERMS]]
    touched = [a.get_absolute_url() for a in Article.objects.filter(slug__in=cited_by)]
    out(json.dumps({"claims": [c.slug for c in claims], "touched": touched, "browsed": browsed}))
    saves, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        claim = claims[saves % len(claims)]
        claim.statement = f"{claim.statement.split(' (edit ')[0]} (edit {saves})"
        claim.save()
        saves += 1
        time.sleep(every)
    return saves
