"""The readers' URLs, one namespace per kind of page (`articles:detail`, `glossary:term`, ...)."""

from django.urls import path

from carnk_site.reader import about, articles, evidence, glossary, home

home_urls = ([path("", home.home, name="home")], "pages")
article_urls = (
    [path("", articles.article_index, name="index"), path("<slug:slug>/", articles.article_detail, name="detail")],
    "articles",
)
glossary_urls = (
    [
        path("", glossary.glossary_index, name="index"),
        path("<slug:slug>/", glossary.term_detail, name="term"),
        path("<slug:slug>.json", glossary.term_json, name="term_json"),
    ],
    "glossary",
)
evidence_urls = (
    [
        path("evidence/", evidence.evidence_levels, name="levels"),
        path("sources/", evidence.source_list, name="sources"),
        path("sources/<slug:slug>/", evidence.source_detail, name="source"),
        path("claims.json", evidence.claims_json, name="claims_json"),
        path("claims/<slug:slug>.json", evidence.claim_json, name="claim_json"),
    ],
    "evidence",
)
about_urls = ([path("<slug:slug>/", about.page, name="page")], "about")
