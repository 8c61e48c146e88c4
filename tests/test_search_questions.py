"""Questions as patients and families type them (issue 24): each must find a page that answers it in the first three.

Written by reading the shipped content (content/articles) and asking which section answers each
question; not tuned to one wording. An answer is an article ("slug"), an article's section
("slug#anchor", the heading's anchor), or a glossary word ("term:slug"). Articles are judged on
the first three articles of the results page, glossary words on the first three of the page's
glossary group. Runs on SQLite (FTS5) and PostgreSQL (tsvector): `DATABASE_URL=postgres://…`.
"""

import pytest
from django.conf import settings
from django.db import transaction

from carnk_site.content_files.importer import import_content
from carnk_site.search import index
from carnk_site.search.search import search

OLDER = "which-cancers-and-targets#older-or-frailer-people-and-brain-metastases"
AFTER_CAR_T = "which-cancers-and-targets#if-your-cancer-came-back-after-car-t"
SCREENING = "taking-part-in-a-trial#what-a-trial-involves"
OUTCOMES = (
    "what-the-evidence-shows",
    "frequently-asked-questions#what-happened-to-the-people-in-the-trials",
)
PROCEDURE = (
    "taking-part-in-a-trial#what-a-trial-involves",
    "frequently-asked-questions#what-would-it-involve",
    "taking-part-in-a-trial#how-long-you-may-be-away",
)
COST = (
    "taking-part-in-a-trial#what-it-may-cost",
    "frequently-asked-questions#what-does-it-cost",
    "car-nk-compared-with-car-t#what-car-t-costs",
)
WHERE = (
    "frequently-asked-questions#where-are-the-trials",
    "what-the-evidence-shows#how-many-trials-are-there",
)
INDIA = "which-cancers-and-targets#india"
SAFETY = (
    "safety-and-side-effects",
    "frequently-asked-questions#is-it-safer-than-car-t",
    "frequently-asked-questions#what-are-the-side-effects",
)
TRUST = (
    "reading-the-evidence-labels#when-a-source-sells-something",
    "frequently-asked-questions#how-do-i-know-which-sources-to-trust",
    "taking-part-in-a-trial#travelling-abroad-for-treatment",
)

# (class, question, answers): any one answer among the first three is a pass.
QUESTIONS = [
    # Questions about a person: age and frailty.
    ("age", "my father is 78, can he have car-nk", (OLDER,)),
    ("age", "is my mum too old for this", (OLDER,)),
    ("age", "he is in his late seventies", (OLDER,)),
    ("age", "car nk for someone aged 82", (OLDER,)),
    ("age", "elderly patient with lymphoma", (OLDER,)),
    ("age", "is there an age limit", (OLDER,)),
    ("age", "my grandad is 80 and quite frail", (OLDER,)),
    ("age", "Is 70 too old for a trial?", (OLDER,)),
    # Other illnesses.
    ("illness", "my husband has bad kidneys", (OLDER, SCREENING)),
    ("illness", "she has heart problems, can she still join", (OLDER,)),
    ("illness", "other health problems", (OLDER,)),
    ("illness", "weak heart", (OLDER,)),
    ("illness", "cancer has spread to his brain", (OLDER,)),
    ("illness", "what if my liver isnt working well", (SCREENING, OLDER)),
    # What happened before: after CAR-T.
    ("after", "the CAR-T stopped working", (AFTER_CAR_T,)),
    ("after", "car t didnt work for my son", (AFTER_CAR_T,)),
    ("after", "relapse after car t what next", (AFTER_CAR_T,)),
    ("after", "cancer came back after cart", (AFTER_CAR_T,)),
    ("after", "CAR-T failed", (AFTER_CAR_T,)),
    ("after", "she already had car-t, can she have car-nk", (AFTER_CAR_T,)),
    # Outcomes.
    ("outcome", "does it work", OUTCOMES),
    ("outcome", "success rate", OUTCOMES),
    ("outcome", "what are my chances", OUTCOMES),
    ("outcome", "how many people get better", OUTCOMES),
    ("outcome", "does car-nk actually work", OUTCOMES),
    ("outcome", "response rate in lymphoma", ("what-the-evidence-shows",)),
    ("outcome", "how long do people live after car nk", (*OUTCOMES, "which-cancers-and-targets")),
    ("outcome", "is it effective", OUTCOMES),
    ("outcome", "results so far", OUTCOMES),
    ("outcome", "will my dad be cured", OUTCOMES),
    # The procedure.
    ("procedure", "the drip", PROCEDURE),
    ("procedure", "the day they put the cells in", PROCEDURE),
    ("procedure", "what happens in hospital", PROCEDURE),
    ("procedure", "what happens on the day of the infusion", PROCEDURE),
    ("procedure", "how are the cells given", PROCEDURE),
    ("procedure", "chemo before the cells", PROCEDURE),
    ("procedure", "what are the steps", PROCEDURE),
    ("procedure", "how long is the hospital stay", PROCEDURE),
    ("procedure", "what does the treatment involve", PROCEDURE),
    # Cost.
    ("cost", "how much", COST),
    ("cost", "price of car nk", COST),
    ("cost", "can we afford it", COST),
    ("cost", "who pays for the treatment", COST),
    ("cost", "is it free", COST),
    ("cost", "how expensive is it", COST),
    # Places, as names, adjectives and demonyms.
    ("place", "American trials", WHERE),
    ("place", "Indian hospitals", (INDIA,)),
    ("place", "trials in the States", WHERE),
    ("place", "is there a trial in india", (INDIA,)),
    ("place", "european trials", WHERE),
    ("place", "can i get it in the USA", WHERE),
    ("place", "US trials", WHERE),
    ("place", "where can i get car-nk", (*WHERE, "frequently-asked-questions#could-i-get-it")),
    ("place", "Chinese hospitals", (*WHERE, "taking-part-in-a-trial", "which-cancers-and-targets")),
    # Safety.
    ("safety", "is it dangerous", SAFETY),
    ("safety", "what are the risks", SAFETY),
    ("safety", "fever after the infusion", SAFETY),
    ("safety", "my wife is confused after treatment", SAFETY),
    ("safety", "infection risk", SAFETY),
    # Typos, and real words that are not typos.
    ("typo", "lymfoma", ("term:lymphoma",)),
    ("typo", "hepatocelular carcinoma", ("term:hepatocellular-carcinoma",)),
    ("typo", "lukemia", ("term:leukaemia",)),
    ("typo", "myleoma", ("term:multiple-myeloma",)),
    ("typo", "cytokine relase", ("term:cytokine-release-syndrome",)),
    ("typo", "is it a scam", TRUST),
    ("typo", "neurotoxicty", ("term:icans",)),
    # Glossary one-liners must not push the answer out: a disease name finds the article section.
    ("disease", "lymphoma", ("what-the-evidence-shows", "which-cancers-and-targets")),
    ("disease", "AML", ("what-the-evidence-shows#car-nk-cells-for-a-blood-cancer-called-aml-soochow-university",)),
    ("disease", "myeloma", ("which-cancers-and-targets#targets-and-cancers",)),
    ("disease", "liver cancer", ("which-cancers-and-targets#targets-and-cancers",)),
    ("disease", "breast cancer", ("what-the-evidence-shows", "which-cancers-and-targets#targets-and-cancers")),
    # Family members asking for someone else.
    ("family", "my wife has leukaemia, could she get this", ("frequently-asked-questions#could-i-get-it", SCREENING)),
    ("family", "can my daughter join a trial", ("frequently-asked-questions#could-i-get-it", SCREENING)),
    ("family", "my mum has bowel cancer, does it work", ("what-the-evidence-shows",)),
]


@pytest.fixture(scope="module")
def indexed_site(django_db_setup, django_db_blocker):
    """Load the shipped content once for the module and index it; roll it all back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        import_content(settings.CONTENT_DIR)
        index.refresh()
        yield
        transaction.set_rollback(True)


def answered_in_first_three(query, answers):
    """Return True when one of the answers is among the first three articles or glossary words."""
    results = search(query)
    found = set()
    for page in results.articles[:3]:
        found.add(page.key)
        found.add(f"{page.key}#{page.url.partition('#')[2]}")
    found |= {f"term:{page.key}" for page in results.terms[:3]}
    return any(answer in found for answer in answers)


def test_there_are_at_least_sixty_questions_in_every_class():
    assert len({q for _c, q, _a in QUESTIONS}) >= 60
    assert {c for c, _q, _a in QUESTIONS} >= {"age", "illness", "after", "outcome", "procedure", "cost", "place"}


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "query", "answers"), QUESTIONS, ids=[f"{c}: {q}" for c, q, _a in QUESTIONS])
def test_question_finds_its_answer_in_the_first_three(indexed_site, kind, query, answers):
    assert answered_in_first_three(query, answers), [p.url for p in search(query).pages[:6]]
