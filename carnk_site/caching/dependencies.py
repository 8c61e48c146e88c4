"""The names of what a cached page depends on: views declare them, the publishing pipeline marks them changed.

A page is stored with the version of each name it depends on; a save that changes one article
bumps that article's name and the few lists it appears in, so every other page stays cached.
The names live here, below both the views and the publisher, so the two cannot spell them apart.
"""

ANY = "any"  # every save: pages nobody declared dependencies for (search results, feed, sitemap)
TITLES = "titles"  # id, title, order and status of the published articles (neighbours, links to articles)
LISTING = "listing"  # what article lists show: titles, summaries, reading times, evidence profiles
INTRO = "intro"  # the home page's introduction: the first article's key points and sources
ARTICLE_LINKS = "article-links"  # which claims, terms and sources published articles rest on
EVIDENCE = "evidence"  # any claim, citation or source
TERMS = "terms"  # any glossary term's name, aliases or definition
REVIEWERS = "reviewers"  # reviewers' names and roles on signed-off pages


def article(slug):
    return f"article:{slug}"


def claim(slug):
    return f"claim:{slug}"


def source(slug):
    return f"source:{slug}"


def term(slug):
    return f"term:{slug}"


def page(slug):
    return f"page:{slug}"
