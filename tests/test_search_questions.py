"""Questions as patients and families type them (issue 24): each must find a page that answers it in the first three.

Written by reading the shipped content (content/articles) and asking which section answers each
question; not tuned to one wording. An answer is an article ("slug"), an article's section
("slug#anchor", the heading's anchor), or a glossary word ("term:slug"). Articles are judged on
the first three articles of the results page, glossary words on the first three of the page's
glossary group. Runs on SQLite (FTS5) and PostgreSQL (tsvector): `DATABASE_URL=postgres://…`.

Answered in the first three (2026-12-05): before issue 24's changes 44 of 74 on SQLite and 41 on
PostgreSQL; after, 74 and 72 (KNOWN_MISSES). The intents were written with these questions in
view, so 18 more questions written afterwards, never tuned for, were measured once: 11 → 14 of 18
on SQLite, 10 → 15 on PostgreSQL.

After the articles were rewritten (new headings; the FAQ shorter; "What you can do next" added),
the intents and these answers were pointed at the sections that answer now: 73 of 74 on SQLite,
71 on PostgreSQL; then the FAQ's "Does it work?" said in words what it answers ("whether CAR-NK
works, or how long people live after it"): 74 and 72 (KNOWN_MISSES; a known miss that starts
passing fails, so the count stays true).
"""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection, transaction
from reversion.models import Version

from carnk_site.content_files.importer import import_content
from carnk_site.evidence.models import Claim
from carnk_site.search import index
from carnk_site.search.extract import sections
from carnk_site.search.query import plan
from carnk_site.search.search import search

from .conftest import make_article

ADVICE = "which-cancers-and-targets#what-the-company-advises"  # over 65, other illnesses, the brain, after CAR-T
STEPS = "taking-part-in-a-trial#the-steps"  # its screening checks: diagnosis, organ tests, ECOG score
COULD_I_GET_IT = "frequently-asked-questions#is-it-approved-could-i-get-it"
ASK_YOUR_TEAM = "what-you-can-do-next#questions-to-ask-your-care-team"  # "Could a clinical trial suit me?"
OUTCOMES = (
    "frequently-asked-questions#does-it-work",
    "what-the-evidence-shows#the-studies-in-people",
    "what-the-evidence-shows#md-anderson-blood-cancers",
    "what-the-evidence-shows#bowel-cancer-with-an-immune-drug",
    "what-the-evidence-shows#three-trials-in-china",
)
PROCEDURE = (STEPS, "taking-part-in-a-trial#how-long-you-may-be-away")
COST = (
    "taking-part-in-a-trial#what-it-may-cost",
    "frequently-asked-questions#how-long-would-i-be-away-and-what-does-it-cost",
)
WHERE = (
    "frequently-asked-questions#where-are-the-trials-and-how-many-are-there",
    "what-you-can-do-next#where-trials-are-listed",
    "what-you-can-do-next#how-to-check-a-trial",  # "Where it takes place": China, the USA and Europe
)
INDIA = "which-cancers-and-targets#india"
SAFETY = (
    "safety-and-side-effects",
    "frequently-asked-questions#is-it-safer-than-car-t",
)
TRUST = (
    "reading-the-evidence-labels#who-tells-it",
    "what-you-can-do-next#companies-that-sell-help",
    "taking-part-in-a-trial#what-a-trial-access-company-sells",
)

# (class, question, answers): any one answer among the first three is a pass.
QUESTIONS = [
    # Questions about a person: age and frailty.
    ("age", "my father is 78, can he have car-nk", (ADVICE,)),
    ("age", "is my mum too old for this", (ADVICE,)),
    ("age", "he is in his late seventies", (ADVICE,)),
    ("age", "car nk for someone aged 82", (ADVICE,)),
    ("age", "elderly patient with lymphoma", (ADVICE,)),
    ("age", "is there an age limit", (ADVICE,)),
    ("age", "my grandad is 80 and quite frail", (ADVICE,)),
    ("age", "Is 70 too old for a trial?", (ADVICE,)),
    # Other illnesses.
    ("illness", "my husband has bad kidneys", (ADVICE, STEPS)),
    ("illness", "she has heart problems, can she still join", (ADVICE,)),
    ("illness", "other health problems", (ADVICE,)),
    ("illness", "weak heart", (ADVICE,)),
    ("illness", "cancer has spread to his brain", (ADVICE,)),
    ("illness", "what if my liver isnt working well", (STEPS, ADVICE, "what-you-can-do-next#talk-to-your-care-team")),
    # What happened before: after CAR-T.
    ("after", "the CAR-T stopped working", (ADVICE,)),
    ("after", "car t didnt work for my son", (ADVICE,)),
    ("after", "relapse after car t what next", (ADVICE,)),
    ("after", "cancer came back after cart", (ADVICE,)),
    ("after", "CAR-T failed", (ADVICE,)),
    ("after", "she already had car-t, can she have car-nk", (ADVICE,)),
    # Outcomes.
    ("outcome", "does it work", OUTCOMES),
    ("outcome", "success rate", OUTCOMES),
    ("outcome", "what are my chances", OUTCOMES),
    ("outcome", "how many people get better", OUTCOMES),
    ("outcome", "does car-nk actually work", OUTCOMES),
    ("outcome", "response rate in lymphoma", OUTCOMES),
    (
        "outcome",
        "how long do people live after car nk",
        (*OUTCOMES, "reading-the-evidence-labels#why-a-small-study-cannot-settle-it"),
    ),
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
    ("place", "can i get it in the USA", (*WHERE, COULD_I_GET_IT)),
    ("place", "US trials", WHERE),
    ("place", "where can i get car-nk", (*WHERE, COULD_I_GET_IT)),
    ("place", "Chinese hospitals", (*WHERE, "taking-part-in-a-trial", "what-the-evidence-shows#three-trials-in-china")),
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
    (
        "disease",
        "AML",
        ("what-the-evidence-shows#three-trials-in-china", "which-cancers-and-targets#targets-and-cancers"),
    ),
    ("disease", "myeloma", ("which-cancers-and-targets",)),  # its opening's key points name the targets too
    ("disease", "liver cancer", ("which-cancers-and-targets",)),
    ("disease", "breast cancer", ("which-cancers-and-targets#targets-and-cancers",)),
    # Family members asking for someone else.
    ("family", "my wife has leukaemia, could she get this", (COULD_I_GET_IT, STEPS, ASK_YOUR_TEAM)),
    ("family", "can my daughter join a trial", (COULD_I_GET_IT, STEPS, ASK_YOUR_TEAM)),
    ("family", "my mum has bowel cancer, does it work", ("what-the-evidence-shows#bowel-cancer-with-an-immune-drug",)),
]


# Questions one engine misses, kept to be counted honestly: (engine, question) and why.
KNOWN_MISSES = {
    (
        "postgresql",
        "elderly patient with lymphoma",
    ): "the company's advice for older people does not name lymphoma; three sections that do rank above it",
    (
        "postgresql",
        "my wife is confused after treatment",
    ): "only the labels page's opening holds both words here; the warning signs hold 'confused' only",
}


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


def test_the_search_benchmark_times_every_question():
    from carnk_site.tooling.search import QUESTION_QUERIES

    assert [q for _c, q, _a in QUESTIONS] == list(QUESTION_QUERIES)


def test_there_are_at_least_sixty_questions_in_every_class():
    assert len({q for _c, q, _a in QUESTIONS}) >= 60
    assert {c for c, _q, _a in QUESTIONS} >= {"age", "illness", "after", "outcome", "procedure", "cost", "place"}


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "query", "answers"), QUESTIONS, ids=[f"{c}: {q}" for c, q, _a in QUESTIONS])
def test_question_finds_its_answer_in_the_first_three(indexed_site, kind, query, answers):
    answered = answered_in_first_three(query, answers)
    if (connection.vendor, query) in KNOWN_MISSES:
        assert not answered, "a known miss is now answered: take it out of KNOWN_MISSES"
        pytest.xfail(KNOWN_MISSES[connection.vendor, query])
    assert answered, [p.url for p in search(query).pages[:6]]


@pytest.mark.django_db
def test_every_section_a_shipped_intent_points_to_is_a_heading_of_the_shipped_content(indexed_site):
    """The seeded intents name headings by anchor: a rewritten article must not leave one pointing at nothing."""
    from carnk_site.search.intents import lines, parse_section
    from carnk_site.search.models import Intent, SearchDocument

    urls = set(SearchDocument.objects.filter(kind="article").values_list("url", flat=True))
    sections = [line for intent in Intent.objects.all() for line in lines(intent.sections)]
    assert len(sections) >= 20
    missing = [line for line in sections if "/articles/{}/#{}".format(*parse_section(line)) not in urls]
    assert not missing


# Each class of the issue, as a test that fails on the search before it (commit 9d42801).


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("how much", "/articles/frequently-asked-questions/#how-long-would-i-be-away-and-what-does-it-cost"),
        ("does it work", "/articles/frequently-asked-questions/#does-it-work"),
    ],
)
def test_a_question_of_stop_words_only_falls_back_to_its_intent(indexed_site, query, answer):
    assert answer in [page.url for page in search(query).articles[:3]]


@pytest.mark.django_db
def test_an_intent_lifts_its_sections_but_text_that_answers_better_still_wins(indexed_site):
    """'risks' meets the safety intent: the warning signs rise into the first three; what answers 'cord blood' stays first."""
    warning_signs = "/articles/safety-and-side-effects/#warning-signs"
    without_intent = search("cord blood").articles
    assert warning_signs not in [page.url for page in without_intent[:3]]
    results = search("risks of cord blood")
    assert "Safety" in results.intents
    assert results.articles[0].url == without_intent[0].url
    assert warning_signs in [page.url for page in results.articles[:3]]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["lymphoma", "myeloma", "AML", "leukaemia"])
def test_a_disease_name_puts_an_article_first_and_the_glossary_in_its_own_group(indexed_site, client, query):
    page = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
    first = page.main.select_one("li.result")
    assert "result-article" in first["class"], first
    terms = page.select("#found-terms ~ ul li.result-term")
    assert terms and len(terms) <= 5
    assert not page.select("#found-pages ~ ol li.result-term")


def test_a_real_english_word_is_never_corrected_into_another():
    steps = plan("is it a scam", [], {"scam": [("scan", 12), ("scans", 3)]})
    assert not steps.corrections and steps.unknown == ["scam"]
    steps = plan("lymfoma", [], {"lymfoma": [("lymphoma", 9)]})  # two edits, seven letters: a typo
    assert steps.corrections == {"lymfoma": "lymphoma"}


@pytest.mark.django_db
def test_a_typo_in_the_first_letters_of_a_disease_name_is_corrected(indexed_site):
    results = search("lukemia")
    assert results.did_you_mean == "leukemia"
    assert "leukaemia" in [page.key for page in results.terms[:3]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("trials in the States", "/articles/frequently-asked-questions/#where-are-the-trials-and-how-many-are-there"),
        ("American trials", "/articles/frequently-asked-questions/#where-are-the-trials-and-how-many-are-there"),
        ("US trials", "/articles/frequently-asked-questions/#where-are-the-trials-and-how-many-are-there"),
        ("European trials", "/articles/frequently-asked-questions/#where-are-the-trials-and-how-many-are-there"),
        ("Indian hospitals", "/articles/which-cancers-and-targets/#india"),
    ],
)
def test_places_as_adjectives_and_demonyms_find_the_place_the_content_names(indexed_site, query, answer):
    assert answer in [page.url for page in search(query).articles[:3]]


def test_us_the_pronoun_is_not_the_usa():
    groups = ["USA, US, United States, the States, America, American, Americans"]
    assert [c.phrases for c in plan("trials for us", groups).concepts] == [["trials"]]
    assert "usa" in plan("US trials", groups).concepts[0].phrases


@pytest.mark.django_db
def test_each_result_shows_the_sentence_that_answers_with_its_evidence_label(indexed_site, client):
    page = BeautifulSoup(client.get("/search/", {"q": "how much"}).content, "html.parser")
    assert page.select_one(".intents").get_text() == "Pages about: Cost."  # the page says what it searched for
    first = page.select_one("#found-pages ~ ol li.result-article")
    assert first.a["href"] == "/articles/taking-part-in-a-trial/#what-it-may-cost"
    answer = first.select_one("p.answer")
    claim = Claim.objects.get(slug="trial-product-free-sponsor")
    assert answer.get_text().startswith("CancerFax says that in a trial the CAR-NK cells are free")
    assert answer.select_one(".evidence").get_text() == f"({claim.label})"


def test_sentences_keep_the_claim_they_state():
    html = (
        '<p>Intro. <span data-claim="a">Cells were given by drip.</span><span class="evidence">(Trial)</span> '
        "Then checks followed.</p><ul><li>A list item</li></ul>"
    )
    assert sections(html)[0].sentences == [
        ["Intro.", ""],
        ["Cells were given by drip.", "a"],
        ["Then checks followed.", ""],
        ["A list item", ""],
    ]


@pytest.mark.django_db
def test_an_intent_added_in_the_admin_works_at_once_and_keeps_its_history(indexed_site, admin_client):
    from carnk_site.search.models import Intent  # here, not above: the other tests also run on the old search

    assert "Lay words for the cells" not in search("wonder cells").intents
    form = {
        "name": "Lay words for the cells",
        "phrases": "wonder cells\r\nmagic cells",
        "sections": "where-car-nk-cells-come-from#the-four-sources\r\nwhere-car-nk-cells-come-from#no-such-heading",
    }
    response = admin_client.post("/admin/search/intent/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    intent = Intent.objects.get(name="Lay words for the cells")
    assert intent.phrases == "wonder cells\nmagic cells"
    assert Version.objects.get_for_object(intent).count() == 1
    results = search("wonder cells")
    assert results.intents == ["Lay words for the cells"]
    urls = [page.url for page in results.articles]
    assert "/articles/where-car-nk-cells-come-from/#the-four-sources" in urls[:2]
    assert "Lay words for the cells" in admin_client.get("/admin/search/intent/").content.decode()
    change = admin_client.get(f"/admin/search/intent/{intent.pk}/change/").content.decode()
    assert "not found: the article or heading has gone" in change


@pytest.mark.django_db
def test_an_intent_with_a_bad_section_is_refused_naming_the_field(indexed_site, admin_client):
    from carnk_site.search.models import Intent

    form = {"name": "Broken", "phrases": "[90-60] years\n" + "long " * 50, "sections": "Not a section!"}
    response = admin_client.post("/admin/search/intent/add/", form)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"phrases", "sections"}
    assert "is not a section" in errors["sections"][0]
    assert "must not be larger" in errors["phrases"][0] and "longer than 200" in errors["phrases"][1]
    assert not Intent.objects.filter(name="Broken").exists()


@pytest.mark.django_db
def test_a_section_whose_heading_has_gone_fails_softly_to_its_article():
    from carnk_site.search.models import Intent

    make_article(slug="costs", title="Costs", body="Opening words.\n\n## Prices\n\nThe price is unknown.")
    Intent.objects.create(name="Money", phrases="zorbly", sections="costs#gone-heading")
    index.refresh()
    assert [page.url for page in search("zorbly").articles] == ["/articles/costs/"]
