"""The publishing pipeline: every writer's change refreshes exactly what it affects, and nothing else."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from reversion.models import Version

from carnk_site.articles.models import Article
from carnk_site.content_files import importer
from carnk_site.content_files.importer import InvalidContent, import_content
from carnk_site.evidence.models import Claim, Source
from carnk_site.glossary.models import Term
from carnk_site.publishing import pipeline
from carnk_site.publishing.references import InUse
from carnk_site.review.models import Revision

from .conftest import SMALL_CONTENT, article_form, make_article, make_claim, make_source, make_term, write_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def rerendered(monkeypatch):
    """Record the ids of the articles each refresh re-renders."""
    seen = []
    original = pipeline.refresh_articles

    def spy(ids, **kwargs):
        seen.append(set(ids))
        return original(ids, **kwargs)

    monkeypatch.setattr(pipeline, "refresh_articles", spy)
    return seen


def count(seen):
    return sum(len(ids) for ids in seen)


def claim_form(claim, **changes):
    citation = claim.citations.first()
    data = {
        "slug": claim.slug,
        "statement": claim.statement,
        "evidence": claim.evidence,
        "participants": claim.participants or "",
        "seen_edit_token": claim.edit_token,
        "citations-TOTAL_FORMS": 1,
        "citations-INITIAL_FORMS": 1,
        "citations-MIN_NUM_FORMS": 1,
        "citations-MAX_NUM_FORMS": 1000,
        "citations-0-id": citation.pk,
        "citations-0-claim": claim.pk,
        "citations-0-source": citation.source_id,
        "citations-0-quote": citation.quote,
        "citations-0-position": citation.position,
    }
    return {**data, **changes}


def term_form(term, **changes):
    data = {
        "slug": term.slug,
        "term": term.term,
        "aliases": term.aliases,
        "definition": term.definition,
        "explanation": term.explanation,
        "seen_edit_token": term.edit_token,
    }
    return {**data, **changes}


def source_form(source, **changes):
    fields = ["slug", "short_name", "kind", "teller", "interests", "title", "publisher", "author", "date", "text"]
    data = {name: getattr(source, name) for name in fields}
    if source.commercial:
        data["commercial"] = "on"
    return {**data, "seen_edit_token": source.edit_token, **changes}


def change(admin_client, obj, data, capture):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    with capture(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


@pytest.fixture
def library(django_capture_on_commit_callbacks):
    """Three articles: one cites the claim and names the term, one only names it, one cites another claim.

    Published as its own transaction would be, so a test's change is the only one pending.
    """
    with django_capture_on_commit_callbacks(execute=True):
        make_claim()
        make_claim(slug="other-claim")
        make_term()
        return {
            "cites": make_article("cites", body="An NK cell: [8 of 11 responded](claim:test-claim)."),
            "names": make_article("names", body="A natural killer cell is a white blood cell."),
            "neither": make_article("neither", body="Plain words. [Other](claim:other-claim)", status="draft"),
        }


# A term save no longer re-renders every article ------------------------------------------------------


def test_a_term_definition_change_rerenders_no_article(
    admin_client, library, rerendered, django_capture_on_commit_callbacks
):
    term = Term.objects.get()
    change(
        admin_client, term, term_form(term, definition="A new plain definition."), django_capture_on_commit_callbacks
    )
    assert count(rerendered) == 0


def test_a_term_alias_change_rerenders_only_the_articles_holding_an_old_or_new_name(
    admin_client, library, rerendered, django_capture_on_commit_callbacks
):
    term = Term.objects.get()
    change(admin_client, term, term_form(term, aliases="NK lymphocyte"), django_capture_on_commit_callbacks)
    assert rerendered == [{library["cites"].pk}]  # "names" holds neither "NK cell" nor "NK lymphocyte"
    assert 'data-term="natural-killer-cell"' not in Article.objects.get(slug="cites").body_html


def test_a_new_alias_links_the_articles_that_use_it(
    admin_client, library, rerendered, django_capture_on_commit_callbacks
):
    make_article("plain-words", body="Plain words about a lymphocyte.")
    term = Term.objects.get()
    change(admin_client, term, term_form(term, aliases="NK cell\nlymphocyte"), django_capture_on_commit_callbacks)
    assert Article.objects.get(slug="plain-words").terms.get() == term
    assert count(rerendered) == 1  # only the article holding the new name


def test_a_claim_change_rerenders_only_the_articles_citing_it(
    admin_client, library, rerendered, django_capture_on_commit_callbacks
):
    claim = Claim.objects.get(slug="test-claim")
    change(admin_client, claim, claim_form(claim, evidence="phase-2"), django_capture_on_commit_callbacks)
    assert rerendered == [{library["cites"].pk}]
    assert "Phase II" in Article.objects.get(slug="cites").body_html


def test_a_claim_statement_change_rerenders_nothing_a_page_does_not_show_it(
    admin_client, library, rerendered, django_capture_on_commit_callbacks
):
    claim = Claim.objects.get(slug="test-claim")
    change(
        admin_client,
        claim,
        claim_form(claim, statement="In a small early trial, 8 of 11 people responded."),
        django_capture_on_commit_callbacks,
    )
    assert count(rerendered) == 0


def test_a_source_rename_rerenders_the_articles_citing_its_claims(
    admin_client, library, rerendered, django_capture_on_commit_callbacks
):
    source = Source.objects.get()
    change(admin_client, source, source_form(source, short_name="Renamed source"), django_capture_on_commit_callbacks)
    assert rerendered == [{library["cites"].pk, library["neither"].pk}]
    cited = Article.objects.get(slug="neither").evidence_profile["claims"]  # "Sources cited" names each source
    assert {c["source"] for claim in cited for c in claim["citations"]} == {"Renamed source"}


# A claim saved outside the admin still reaches the pages ---------------------------------------------


def test_a_claim_saved_in_the_shell_updates_the_label_on_its_pages(library, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = Claim.objects.get(slug="test-claim")
        claim.evidence = "phase-3"
        claim.save()
    assert "Phase III" in Article.objects.get(slug="cites").body_html


def test_a_refresh_renews_no_edit_token_and_adds_no_history(admin_client, library, django_capture_on_commit_callbacks):
    before = dict(Article.objects.values_list("slug", "edit_token"))
    claim = Claim.objects.get(slug="test-claim")
    change(admin_client, claim, claim_form(claim, evidence="phase-2"), django_capture_on_commit_callbacks)
    assert dict(Article.objects.values_list("slug", "edit_token")) == before
    assert not Version.objects.get_for_model(Article).exists()


# An editor with an article open is not refused when a claim it cites changes -------------------------


def test_an_open_article_can_be_saved_after_someone_edits_a_claim_and_a_term_it_uses(
    admin_client, library, django_capture_on_commit_callbacks
):
    article = Article.objects.get(slug="cites")
    opened = article_form(article, status="draft")
    claim, term = Claim.objects.get(slug="test-claim"), Term.objects.get()
    change(admin_client, claim, claim_form(claim, evidence="phase-2"), django_capture_on_commit_callbacks)
    change(admin_client, term, term_form(term, aliases="NK cell\nNK cells"), django_capture_on_commit_callbacks)
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), {**opened, "summary": "Mine."}
    )
    assert response.status_code == 302
    assert Revision.objects.get(article=article).summary == "Mine."  # the article is live: a change waits


# References are protected ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["claim", "term", "source"])
def test_deleting_a_record_an_article_uses_is_refused_naming_the_articles(admin_client, library, kind):
    obj = {"claim": Claim.objects.get(slug="test-claim"), "term": Term.objects.get(), "source": Source.objects.get()}[
        kind
    ]
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "“A test article” (cites)" in response.content.decode()
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_the_bulk_delete_action_is_refused_for_used_claims_too(admin_client, library):
    url = reverse("admin:evidence_claim_changelist")
    pks = list(Claim.objects.values_list("pk", flat=True))
    response = admin_client.post(url, {"action": "delete_selected", "_selected_action": pks, "post": "yes"})
    assert response.status_code == 200
    assert "(neither)" in response.content.decode() and "(cites)" in response.content.decode()
    assert Claim.objects.count() == 2


def test_deleting_a_used_claim_or_term_in_the_shell_is_refused(library):
    with pytest.raises(InUse, match="neither"), transaction.atomic():
        Claim.objects.get(slug="other-claim").delete()  # used by a draft
    with pytest.raises(InUse, match="names"), transaction.atomic():
        Term.objects.all().delete()
    assert Claim.objects.count() == 2 and Term.objects.count() == 1


def test_an_unused_record_can_still_be_deleted(library):
    make_claim(slug="unused-claim")
    Claim.objects.get(slug="unused-claim").delete()
    assert not Claim.objects.filter(slug="unused-claim").exists()


def test_changing_a_used_id_is_refused_in_the_admin_and_in_the_shell(admin_client, library):
    claim = Claim.objects.get(slug="test-claim")
    url = reverse("admin:evidence_claim_change", args=[claim.pk])
    response = admin_client.post(url, claim_form(claim, slug="renamed-claim"))
    assert response.status_code == 200 and "cannot change" in response.content.decode()
    claim.slug = "renamed-claim"
    with pytest.raises(InUse), transaction.atomic():
        claim.save()
    assert Claim.objects.filter(slug="test-claim").exists()


def test_a_data_migration_style_bulk_save_is_refreshed_on_commit(library, django_capture_on_commit_callbacks):
    """Historical models (no custom save) go through the pipeline too."""
    from django.apps import apps as global_apps
    from django.db.migrations.state import ProjectState

    historical = ProjectState.from_apps(global_apps).apps.get_model("evidence", "Claim")
    with django_capture_on_commit_callbacks(execute=True):
        claim = historical.objects.get(slug="test-claim")
        claim.evidence = "preclinical"
        claim.save()
    assert "Lab or animal study" in Article.objects.get(slug="cites").body_html


def test_changes_rolled_back_never_reach_readers_and_the_next_transaction_publishes(
    library, django_capture_on_commit_callbacks
):
    """A rolled-back change publishes nothing; the next commit on the connection publishes its own changes.

    What a rolled-back block collected may be refreshed again with the next commit (Django has no
    public rollback hook): a refresh renders what the database holds, so readers see only committed text.
    """
    claim = Claim.objects.get(slug="test-claim")
    article = library["cites"]
    before = article.body_html
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            claim.evidence = "phase-2"
            claim.save()
            raise RuntimeError("the writer gives up")
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            term = Term.objects.get()
            term.definition = "A new plain definition."
            term.save()
    article.refresh_from_db()
    assert Claim.objects.get(pk=claim.pk).evidence != "phase-2"
    assert article.body_html == before and 'data-evidence="phase-1"' in before, "nothing rolled back shows"
    assert pipeline.pending().empty()


def test_source_fixture_helper_is_unchanged():
    assert make_source(slug="another").slug == "another"


# loadcontent after admin work: reported, never a traceback, never an overwrite ----------------------


def load(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("loadcontent", "--path", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_claim_made_in_the_admin_and_cited_by_a_filed_article_is_reported_not_a_traceback(small_content):
    import_content(small_content)
    admin_claim = make_claim(slug="admin-made", source=Source.objects.get())
    article = Article.objects.get(slug="first")
    article.body += "\n\n[Also this](claim:admin-made)."
    article.save()
    out, err = load(small_content)
    assert "conflict: " in err and "articles/first.md (first)" in err
    assert "claims/admin-made: used by articles but has no file" in err
    assert Article.objects.get(slug="first").claims.filter(pk=admin_claim.pk).exists()


def test_an_article_file_may_cite_a_claim_that_exists_only_in_the_database(small_content):
    import_content(small_content)
    make_claim(slug="admin-made", source=Source.objects.get())
    path = small_content / "articles/first.md"
    path.write_text(path.read_text() + "\n[Also this](claim:admin-made).\n")
    out, err = load(small_content)
    assert "articles: 0 created, 1 updated" in out
    assert "claims/admin-made: used by articles" in err
    assert "claim:admin-made" not in Article.objects.get(slug="first").body_html  # rendered as a claim link


def test_a_record_an_editor_saves_while_the_loader_runs_is_a_conflict_and_kept(small_content, monkeypatch):
    import_content(small_content)
    path = small_content / "articles/first.md"
    path.write_text(path.read_text().replace("A short test article.", "Summary from the file."))
    plan = importer._plan

    def plan_then_editor_saves(*args):
        planned = plan(*args)
        article = Article.objects.get(slug="first")  # an editor saves after the loader planned
        article.summary = "Summary from the editor."
        article.save()
        return planned

    monkeypatch.setattr(importer, "_plan", plan_then_editor_saves)
    report = import_content(small_content)
    assert any("saved in the admin while loadcontent was running" in c for c in report.conflicts)
    assert Article.objects.get(slug="first").summary == "Summary from the editor."


def test_a_claim_file_change_rerenders_its_articles_through_the_pipeline(small_content):
    import_content(small_content)
    path = small_content / "claims/eight-of-eleven.yaml"
    path.write_text(path.read_text().replace("evidence: phase-1", "evidence: phase-2"))
    out, err = load(small_content)
    assert "Phase II" in Article.objects.get(slug="first").body_html
    assert "articles re-rendered because a claim, source or term changed: 1" in out


# One set of rules: the admin form and the content file accept and refuse the same things -----------

TERM_FILE = SMALL_CONTENT["glossary/nk-cell.md"]
CLAIM_FILE = SMALL_CONTENT["claims/eight-of-eleven.yaml"]
ARTICLE_FILE = SMALL_CONTENT["articles/first.md"]


def term_admin_data(**changes):
    return {
        "slug": "new-term",
        "term": "Cytokine",
        "aliases": "",
        "definition": "A small protein.",
        "explanation": "",
        **changes,
    }


def claim_admin_data(**changes):
    return {
        "slug": "new-claim",
        "statement": "In a small trial, 8 of 11 people responded.",
        "evidence": "phase-1",
        **changes,
    }


def article_admin_data(**changes):
    data = {
        "title": "New",
        "slug": "new-article",
        "summary": "S.",
        "status": "draft",
        "order": 1,
        "last_reviewed": "2026-11-21",
        "next_review_due": "2027-05-21",
        "key_points": "",
        "body": "Plain words.",
    }
    return {**data, **changes}


RULES = {
    # rule: (admin form, admin data, content file to add, accepted?)
    "id with capitals and underscores": (
        "term",
        term_admin_data(slug="NK_Cell_Line"),
        (
            "glossary/x.md",
            TERM_FILE.replace("id: nk-cell", "id: NK_Cell_Line")
            .replace("term: NK cell", "term: Cytokine")
            .replace("- natural killer cell", "- cytokines"),
        ),
        False,
    ),
    "id with a double hyphen": (
        "claim",
        claim_admin_data(slug="new--claim"),
        ("claims/x.yaml", CLAIM_FILE.replace("id: eight-of-eleven", "id: new--claim")),
        False,
    ),
    "a good id": (
        "claim",
        claim_admin_data(slug="nk-cell-line"),
        ("claims/x.yaml", CLAIM_FILE.replace("id: eight-of-eleven", "id: nk-cell-line")),
        True,
    ),
    "an alias another term has": (
        "term",
        term_admin_data(aliases="natural killer cell"),
        ("glossary/x.md", TERM_FILE.replace("id: nk-cell", "id: other").replace("term: NK cell", "term: Cytokine")),
        False,
    ),
    "review dates out of order": (
        "article",
        article_admin_data(next_review_due="2026-01-01"),
        (
            "articles/x.md",
            ARTICLE_FILE.replace("id: first", "id: second").replace(
                "next_review_due: 2027-05-21", "next_review_due: 2026-01-01"
            ),
        ),
        False,
    ),
    "hype in a claim": (
        "claim",
        claim_admin_data(statement="A breakthrough in mice.", evidence="preclinical"),
        (
            "claims/x.yaml",
            CLAIM_FILE.replace("id: eight-of-eleven", "id: hype")
            .replace("statement: In a small trial, 8 of 11 people responded.", "statement: A breakthrough in mice.")
            .replace("evidence: phase-1", "evidence: preclinical"),
        ),
        False,
    ),
    "overstated wording in a published article": (
        "article",
        article_admin_data(status="published", body="A proven cure."),
        ("articles/x.md", ARTICLE_FILE.replace("id: first", "id: second").replace("A natural", "A proven natural")),
        False,
    ),
    "the same wording in a draft (a warning in both)": (
        "article",
        article_admin_data(status="draft", body="A proven cure."),
        (
            "articles/x.md",
            ARTICLE_FILE.replace("id: first", "id: second")
            .replace("A natural", "A proven natural")
            .replace("status: published", "status: draft"),
        ),
        True,
    ),
    "a definition in two sentences": (
        "term",
        term_admin_data(definition="A cell. It kills."),
        (
            "glossary/x.md",
            TERM_FILE.replace("id: nk-cell", "id: other")
            .replace("term: NK cell", "term: Cytokine")
            .replace("- natural killer cell", "- cytokines")
            .replace("A white blood cell that kills sick cells.", "A cell. It kills."),
        ),
        False,
    ),
}


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_is_the_same_in_the_admin_and_in_content_files(rule, tmp_path):
    from carnk_site.editorial.admin.articles import ArticleForm
    from carnk_site.editorial.admin.evidence import ClaimForm
    from carnk_site.editorial.admin.glossary import TermForm

    kind, admin_data, (name, text), accepted = RULES[rule]
    make_term(slug="nk-cell", term="NK cell", aliases="natural killer cell")
    form = {"term": TermForm, "claim": ClaimForm, "article": ArticleForm}[kind](data=admin_data)
    assert form.is_valid() is accepted, form.errors
    root = write_content(tmp_path / "content", {name: text})
    if accepted:
        import_content(root, check_only=True)
    else:
        with pytest.raises(InvalidContent) as refused:
            import_content(root, check_only=True)
        assert name in str(refused.value)


def test_an_id_must_match_in_full_not_up_to_a_trailing_newline():
    from carnk_site.core.validation import id_problem

    assert id_problem("nk-line\n") and id_problem("NK_Cell_Line") and id_problem("-nk")
    assert id_problem("nk-cell-line") is None


def test_an_import_sized_change_of_claims_refreshes_the_term_explanations_that_cite_them():
    """Thousands of changed claims in one transaction (an import) once made SQLite refuse the query."""
    make_claim()
    term = make_term(explanation="See [the trial](claim:test-claim).")
    Claim.objects.bulk_create(
        Claim(slug=f"bulk-{n}", statement="A statement.", evidence="no-study") for n in range(1200)
    )
    Claim.objects.filter(slug="test-claim").update(evidence="phase-2")
    with transaction.atomic():
        pipeline.pending().claims.update(Claim.objects.values_list("pk", flat=True))
        refreshed = pipeline.publish_pending()
    assert len(refreshed.changed_terms) == 1
    assert 'data-evidence-kind="phase-2"' in Term.objects.get(pk=term.pk).explanation_html


def test_links_in_one_batch_store_each_saved_article_s_last_render_when_the_block_ends(library):
    cites, names = library["cites"], library["names"]
    with transaction.atomic():
        with pipeline.links_in_one_batch():
            cites.body = "Now it cites the other one: [a claim](claim:other-claim)."
            cites.save()
            names.body = "[First](claim:test-claim), then [second](claim:other-claim)."
            names.save()
            names.body = "Only [the other](claim:other-claim) in the end."
            names.save()
            assert list(cites.claims.values_list("slug", flat=True)) == ["test-claim"]  # not yet
        assert list(cites.claims.values_list("slug", flat=True)) == ["other-claim"]
        assert list(names.claims.values_list("slug", flat=True)) == ["other-claim"]
        assert list(names.terms.values_list("slug", flat=True)) == []
    cites.body = "[Back](claim:test-claim)."
    cites.save()  # outside the block: linked at once again
    assert list(cites.claims.values_list("slug", flat=True)) == ["test-claim"]


# One save, one of everything -----------------------------------------------------------------------------


def test_an_admin_save_renders_once_checks_once_and_bumps_the_page_cache_once(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    """The form's rendering and checks are the save's: the pipeline does not render again, nor the admin re-check."""
    from carnk_site.caching import version
    from carnk_site.editorial.admin import articles as article_admin
    from carnk_site.publishing import records

    from .conftest import PUBLISHABLE_BODY, PUBLISHABLE_POINTS, approve

    make_claim()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(status="review", body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)
    body = PUBLISHABLE_BODY + "\nOne new sentence."
    approve(article, body=body)
    calls = {"render": 0, "checks": 0, "bump": 0}

    def counting(name, original):
        def counted(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        return counted

    monkeypatch.setattr(records, "render", counting("render", records.render))
    monkeypatch.setattr(article_admin, "findings_for_article", counting("checks", article_admin.findings_for_article))
    monkeypatch.setattr(version, "bump", counting("bump", lambda names=None: None))
    form = article_form(article, body=body, status="published")
    change(admin_client, article, form, django_capture_on_commit_callbacks)
    assert Article.objects.get(pk=article.pk).body_html.count("One new sentence") == 1
    assert calls == {"render": 2, "checks": 1, "bump": 1}, "body and key points rendered once each"
