"""Time uncached searches on a synthetic library: the issue's target is p99 under 50 ms at 1,000 articles.

Run by `manage.py timesearch` in a throwaway database with production settings (run.py): the
library is inserted, committed and vacuumed, then each query goes through the whole request
path (middleware, view, template) with the page cache off, so every search reaches the database.
The queries are the readers' queries and the questions (issue 24) the search tests hold the
shipped content to, plus a few common words, a typo and a miss; the shipped question intents are
pointed at sections of the library, so the questions that meet them pay for their sections. The library's words come from the shipped content's
vocabulary (see library.py), so those queries meet common, rare and unknown words as on the site.
"""

import statistics
import time

from django.db import connection
from django.test import Client, override_settings

from carnk_site.search.models import Intent, SearchDocument
from carnk_site.tooling.database import insert_library
from carnk_site.tooling.library import make_library, vocabulary

TARGET_MS = 50
# The reader queries of tests/test_search_readers.py (a test keeps them in step), then extras.
READER_QUERIES = (
    "leukemia",
    "solid tumors",
    "does it work for colon cancer",
    "survival rate",
    "car nk theraphy cost",
    "graft vs host",
    "neurotoxicity",
    "car nk for elderly",
    "relapsed after car-t",
    "is it better than car-t",
    "leukaemia",
    "hematologic cancers",
    "haematological malignancy",
    "esophageal cancer",
    "randomized trial",
    "randomised",
    "tumor",
    "hematologist",
    "how much does it cost",
    "cytokine storm",
    "umbilical cord",
    "stomach cancer",
    "bowel cancer trial",
    "gvhd",
    "off the shelf",
    "mouse study",
    "chemoterapy",
    "leukimia",
    "side efects",
    "cytokine relese syndrome",
    "what is CRS",
    "how long do the cells last",
    "where do the cells come from",
    "is it approved",
    "how long would i be away from home",
    "is car-nk safe",
    "is it safe",
    "can it cure me",
    "whats the evidence",
    "how is it different from car t",
    "is it covered by insurance",
    "how long does it take to get treatment",
    "waiting time",
    "how to enroll in a trial",
    "how do i sign up for a trial",
    "lymphomas",
    "donors",
    "tumours",
    "travelling abroad for treatment",
    "travel abroad",
    "stem cells",
    "evidence labels",
    "phase 1 trial",
    "clinical trials in china",
)
# The questions of tests/test_search_questions.py (issue 24: intents, places, typos; a test keeps them in step).
QUESTION_QUERIES = (
    "my father is 78, can he have car-nk",
    "is my mum too old for this",
    "he is in his late seventies",
    "car nk for someone aged 82",
    "elderly patient with lymphoma",
    "is there an age limit",
    "my grandad is 80 and quite frail",
    "Is 70 too old for a trial?",
    "my husband has bad kidneys",
    "she has heart problems, can she still join",
    "other health problems",
    "weak heart",
    "cancer has spread to his brain",
    "what if my liver isnt working well",
    "the CAR-T stopped working",
    "car t didnt work for my son",
    "relapse after car t what next",
    "cancer came back after cart",
    "CAR-T failed",
    "she already had car-t, can she have car-nk",
    "does it work",
    "success rate",
    "what are my chances",
    "how many people get better",
    "does car-nk actually work",
    "response rate in lymphoma",
    "how long do people live after car nk",
    "is it effective",
    "results so far",
    "will my dad be cured",
    "the drip",
    "the day they put the cells in",
    "what happens in hospital",
    "what happens on the day of the infusion",
    "how are the cells given",
    "chemo before the cells",
    "what are the steps",
    "how long is the hospital stay",
    "what does the treatment involve",
    "how much",
    "price of car nk",
    "can we afford it",
    "who pays for the treatment",
    "is it free",
    "how expensive is it",
    "American trials",
    "Indian hospitals",
    "trials in the States",
    "is there a trial in india",
    "european trials",
    "can i get it in the USA",
    "US trials",
    "where can i get car-nk",
    "Chinese hospitals",
    "is it dangerous",
    "what are the risks",
    "fever after the infusion",
    "my wife is confused after treatment",
    "infection risk",
    "lymfoma",
    "hepatocelular carcinoma",
    "lukemia",
    "myleoma",
    "cytokine relase",
    "is it a scam",
    "neurotoxicty",
    "lymphoma",
    "AML",
    "myeloma",
    "liver cancer",
    "breast cancer",
    "my wife has leukaemia, could she get this",
    "can my daughter join a trial",
    "my mum has bowel cancer, does it work",
)
QUERIES = (*READER_QUERIES, *QUESTION_QUERIES, "cells", "cancer treatment", "imune respnse", "zzqx")


def insert_for_search(*, articles, claims, terms, sources, out=print):
    """Insert and commit a library, then vacuum and analyse it as autovacuum would in service.

    Indexing rewrites rows; until vacuum removes the old versions, each search visits them too.
    """
    started = time.perf_counter()
    insert_library(make_library(articles=articles, claims=claims, terms=terms, sources=sources))
    aim_intents_at_the_library()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    out(
        f"Library of {articles} articles, {claims} claims, {terms} glossary terms, {sources} sources "
        f"inserted, indexed and vacuumed in {time.perf_counter() - started:.1f} s on {connection.vendor}. Synthetic: "
        f"words drawn at random (Zipf by rank) from the shipped content's {len(vocabulary()[0])}-word "
        "vocabulary, made-up glossary names; not real prose."
    )


def aim_intents_at_the_library(per_intent=4):
    """Point each shipped intent at sections of the synthetic library, as the shipped ones point at the site's:
    otherwise their sections would not exist and a question would cost less than on the site."""
    anchored = list(
        SearchDocument.objects.filter(kind=SearchDocument.Kind.ARTICLE, position__gt=0)
        .order_by("key", "position")
        .values_list("key", "url")[: per_intent * Intent.objects.count() * 7 : 7]
    )
    for i, intent in enumerate(Intent.objects.order_by("name")):
        chosen = anchored[i * per_intent : (i + 1) * per_intent]
        intent.sections = "\n".join(f"{key}#{url.partition('#')[2]}" for key, url in chosen)
        intent.save()


def time_searches(*, rounds=5, host="127.0.0.1", out=print):
    """Time every query `rounds` times with the page cache off; return True when p99 meets the target."""
    client = Client(HTTP_HOST=host)
    timings = []
    with override_settings(PAGE_CACHE_SECONDS=0):
        for query in QUERIES:  # warm up: connections, templates
            client.get("/search/", {"q": query})
        for _round in range(rounds):
            for query in QUERIES:
                started = time.perf_counter()
                response = client.get("/search/", {"q": query})
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (query, response.status_code)
    timings.sort()
    p95, p99 = (timings[min(len(timings) - 1, int(len(timings) * share))] for share in (0.95, 0.99))
    out(
        f"Uncached search, {len(QUERIES)} queries x {rounds} rounds = {len(timings)} requests through the whole "
        f"request path, page cache off: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
        f"p99 {p99:.1f} ms, max {timings[-1]:.1f} ms (target p99 < {TARGET_MS} ms): "
        + ("met" if p99 < TARGET_MS else "MISSED")
    )
    return p99 < TARGET_MS
