"""Search in Chinese (character pairs) and Hindi (Devanagari, and Latin letters as people type it), per language.

Real questions against published translations made in the test; nothing found in the language
falls back to the English pages, marked as English. Runs on SQLite (FTS5) and PostgreSQL.
"""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from carnk_site.search import index, scripts
from carnk_site.search.models import SearchDocument, SearchWord
from carnk_site.search.search import search
from carnk_site.translations.models import ArticleTranslation, ClaimTranslation, TermTranslation
from tests.conftest import make_article, make_claim, make_term
from tests.test_translations import reviewer_for

pytestmark = pytest.mark.django_db

ZH_SAFETY = """## 需要马上告诉医生的情况

如果出现发烧、意识混乱或呼吸困难，请马上告诉你的治疗团队。

## 细胞因子释放综合征

[一项小试验](claim:test-claim)报告了这种情况。"""
ZH_COST = """## 费用

参加试验时，有些费用可能要自己付，比如旅行和住宿。"""
HI_SAFETY = """## चेतावनी के संकेत

अगर बुखार, उलझन या साँस लेने में तकलीफ़ हो, तो तुरंत अपनी इलाज टीम को बताएँ।

## दुष्प्रभाव

[एक छोटे परीक्षण](claim:test-claim) ने दुष्प्रभाव बताए।"""
HI_WHAT = """CAR-NK एक इलाज है जिसमें बदली हुई प्राकृतिक मारक कोशिकाएँ दी जाती हैं।"""


def publish(translation, capture):
    with capture(execute=True):
        translation.approve(reviewer_for(translation.language))
    return translation


@pytest.fixture
def library(django_capture_on_commit_callbacks):
    make_claim()
    safety = make_article(
        slug="safety", title="Safety and side effects", body="[Eight of eleven](claim:test-claim) responded."
    )
    cost = make_article(slug="cost", title="What it may cost", order=2, body="Travel costs.")
    what = make_article(slug="what-is", title="What CAR-NK is", order=3, body="Cord blood cells, changed.")
    make_term()
    index.refresh()
    for article, language, title, body in [
        (safety, "zh-hans", "安全性和副作用", ZH_SAFETY),
        (cost, "zh-hans", "参加试验的费用", ZH_COST),
        (safety, "hi", "दुष्प्रभाव और चेतावनी के संकेत", HI_SAFETY),
        (what, "hi", "CAR-NK क्या है", HI_WHAT),
    ]:
        t = ArticleTranslation.objects.create(article=article, language=language, title=title, summary=title, body=body)
        publish(t, django_capture_on_commit_callbacks)
    return django_capture_on_commit_callbacks


def urls(results):
    return [page.url for page in results.pages]


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("CAR-NK有什么副作用？", "/zh-hans/articles/safety/"),
        ("发烧怎么办", "/zh-hans/articles/safety/#"),
        ("参加试验要花多少钱", "/zh-hans/articles/cost/"),
        ("细胞因子释放综合征是什么", "/zh-hans/articles/safety/#"),
        ("有哪些不良反应", "/zh-hans/articles/safety/"),  # the page says 副作用
    ],
)
def test_chinese_questions_find_the_chinese_pages(library, question, first):
    found = search(question, language="zh-hans")
    assert found.language == "zh-hans" and not found.in_english_instead
    assert urls(found)[0].startswith(first), urls(found)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("दुष्प्रभाव क्या हैं", "/hi/articles/safety/"),  # Devanagari
        ("dushprabhav", "/hi/articles/safety/"),  # Latin letters, long vowel and aspiration as typed
        ("dushprabhaav kya hain", "/hi/articles/safety/"),
        ("car nk kya hai", "/hi/articles/what-is/"),
        ("bukhar ho to kya karein", "/hi/articles/safety/#"),
        ("बुखार", "/hi/articles/safety/#"),
        ("side effects", "/hi/articles/safety/"),  # the English words for what the page calls दुष्प्रभाव
        ("साइड इफ़ेक्ट क्या हैं", "/hi/articles/safety/"),  # the loan word many Hindi pages use
    ],
)
def test_hindi_questions_in_either_script_find_the_hindi_pages(library, question, first):
    found = search(question, language="hi")
    assert found.language == "hi" and not found.in_english_instead
    assert urls(found)[0].startswith(first), urls(found)


def test_the_passage_is_the_translated_sentence_with_the_question_marked(library):
    page = search("发烧怎么办", language="zh-hans").pages[0]
    assert "".join(text for text, _hit in page.passage).startswith("如果出现发烧")
    assert ("发烧", True) in page.passage
    hindi = search("dushprabhav", language="hi").pages[0]
    assert ("दुष्प्रभाव", True) in hindi.passage


def test_translated_statements_and_terms_are_found_with_their_labels(library):
    claim_translation = ClaimTranslation.objects.create(
        claim=SearchDocument.objects.get(kind="claim").claim,
        language="zh-hans",
        statement="在一项小试验中，11人中有8人有反应。",
    )
    term_translation = TermTranslation.objects.create(
        term=SearchDocument.objects.get(kind="term").term,
        language="hi",
        name="एनके कोशिका",
        definition="एक सफ़ेद रक्त कोशिका।",
    )
    publish(claim_translation, library)
    publish(term_translation, library)
    found = search("小试验", language="zh-hans")
    assert [c.claim.slug for c in found.claims] == ["test-claim"]
    assert found.claims[0].label  # the evidence label, from its citations
    assert "".join(t for t, _h in found.claims[0].passage).startswith("在一项小试验中")
    assert [p.url for p in search("koshika", language="hi").terms] == ["/hi/glossary/natural-killer-cell/"]


def test_nothing_in_the_language_falls_back_to_english_marked_english(library, client):
    found = search("cord blood", language="zh-hans")
    assert found.in_english_instead and urls(found)[0].startswith("/articles/what-is/")
    page = BeautifulSoup(client.get("/zh-hans/search/", {"q": "cord blood"}).content, "html.parser")
    assert page.find(class_="in-english")
    assert page.find(class_="search-results")["lang"] == "en"
    chinese = BeautifulSoup(client.get("/zh-hans/search/", {"q": "副作用"}).content, "html.parser")
    assert not chinese.find(class_="in-english") and not chinese.find(class_="search-results").get("lang")
    assert "/zh-hans/articles/safety/" in chinese.find(class_="result-article").a["href"]


def test_english_search_never_returns_translated_rows_and_their_tokens_stay_out_of_the_vocabulary(library):
    assert all(not url.startswith(("/zh-hans/", "/hi/")) for url in urls(search("safety side effects")))
    assert not SearchWord.objects.filter(word__startswith="z").filter(word__regex=r"[0-9]").exists()


def test_an_unpublished_translation_is_not_found_and_an_edit_withdraws_it(library):
    draft = ArticleTranslation.objects.create(
        article=make_article(slug="draft", order=9),
        language="zh-hans",
        title="草稿",
        summary="草稿",
        body="住院时间很长。",
    )
    with library(execute=True):
        draft.save()
    assert not search("住院时间", language="zh-hans").pages or search("住院时间", language="zh-hans").in_english_instead
    cost = ArticleTranslation.objects.get(article__slug="cost")
    with library(execute=True):
        cost.body = cost.body + "\n\n更多文字。"
        cost.save()  # not approved again: readers no longer see it, so search no longer finds it
    assert not SearchDocument.objects.filter(language="zh-hans", key="cost").exists()


def test_rebuildsearch_restores_every_language(library):
    before = sorted(SearchDocument.objects.exclude(language="en").values_list("language", "kind", "key", "position"))
    SearchDocument.objects.all().delete()
    call_command("rebuildsearch", verbosity=0)
    after = sorted(SearchDocument.objects.exclude(language="en").values_list("language", "kind", "key", "position"))
    assert after == before and len(before) >= 6
    assert urls(search("dushprabhav", language="hi"))[0].startswith("/hi/articles/safety/")


def test_an_unpublished_english_article_takes_its_translations_out_of_search(library):
    safety = ArticleTranslation.objects.get(article__slug="safety", language="zh-hans").article
    safety.status = "draft"
    safety.save()
    index.refresh(articles=[safety.pk])
    assert not SearchDocument.objects.filter(key="safety").exists()


def test_tokens_are_the_same_for_the_page_and_the_question():
    assert scripts.loose("dushprabhav") == scripts.loose(scripts.romanise("दुष्प्रभाव")) == scripts.loose("dushprabhaav")
    assert scripts.loose("ilaj") == scripts.loose(scripts.romanise("इलाज"))
    assert scripts.loose("kaise") == scripts.loose(scripts.romanise("कैसे"))
    assert scripts.query_tokens("car nk kya hai", "hi") == scripts.query_tokens("CAR-NK क्या है", "hi")
    assert scripts.index_text("免疫治疗", "zh-hans").split() == [
        scripts.chinese_token(p) for p in ("免疫", "疫治", "治疗")
    ]
    assert scripts.query_tokens("什么是免疫治疗？", "zh-hans") == scripts.tokens("免疫治疗", "zh-hans")
    assert all(t.isascii() and t.isalnum() and t[-1].isdigit() for t in scripts.tokens("दुष्प्रभाव CAR-NK 免疫", "hi"))
    side_effects = scripts.query_concepts("साइड इफ़ेक्ट क्या हैं", "hi")
    assert side_effects == scripts.query_concepts("dushprabhav", "hi") == scripts.query_concepts("side effects", "hi")
    assert len(side_effects) == 1 and len(side_effects[0]) == 4  # one concept: any of the group's four phrases
