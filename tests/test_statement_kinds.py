"""Issue 23: a claim says what kind of statement it is and what it is about; only findings are graded."""

import json
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from carnk_site.articles.models import Article
from carnk_site.editorial.checks import findings_for_article
from carnk_site.evidence.models import Claim
from carnk_site.text.levels import evidence_label, kind_problem, legacy_level, rank, scale_text
from carnk_site.text.profile import evidence_profile
from carnk_site.text.references import CitationRef, ClaimRef
from carnk_site.text.rendering import RenderContext, render

from .conftest import SMALL_CONTENT, make_article, make_claim, write_content

#: The markup contract's data-evidence values (/work/shared/checks/contract.py accepts only these).
CONTRACT_LEVELS = {"preclinical", "phase-1", "phase-1-2", "phase-2", "phase-2-randomised", "phase-3", "approved"}
CONTRACT_LEVELS |= {"overview"}


def ref(slug, level, kind="finding", about="car-nk", teller="news-report"):
    citation = CitationRef("Source", False, "/sources/s/#cite", teller, "a quote")
    return ClaimRef(slug, level, None, (citation,), kind, about)


def claim_file(kind, level, about="car-nk"):
    text = SMALL_CONTENT["claims/eight-of-eleven.yaml"]
    return (
        text.replace("statement_kind: finding", f"statement_kind: {kind}")
        .replace("evidence: phase-1", f"evidence: {level}")
        .replace("about: car-nk", f"about: {about}")
    )


# The rule -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, level",
    [
        ("status", "approved"),
        ("status", "trial"),
        ("background", "phase-1"),
        ("price-or-service", "preclinical"),
        ("opinion", "basic-biology"),
        ("finding", "basic-biology"),
    ],
)
def test_a_statement_is_graded_only_if_it_is_a_finding(kind, level):
    assert kind_problem(kind, level)


@pytest.mark.parametrize(
    "kind, level",
    [
        ("finding", "no-study"),
        ("finding", "approved"),
        ("status", "no-study"),
        ("background", "basic-biology"),
        ("background", "no-study"),
        ("price-or-service", "no-study"),
        ("opinion", "no-study"),
    ],
)
def test_what_each_kind_of_statement_may_take(kind, level):
    assert kind_problem(kind, level) == ""


def test_the_loader_refuses_a_status_statement_graded_on_the_ladder(tmp_path, db):
    root = write_content(tmp_path / "c", {"claims/eight-of-eleven.yaml": claim_file("status", "approved")})
    with pytest.raises(CommandError) as refused:
        call_command("loadcontent", path=str(root))
    assert "claims/eight-of-eleven.yaml, line 5 (evidence): this claim is a regulator or trial status" in str(
        refused.value
    )
    assert not Claim.objects.exists()


def test_the_loader_refuses_background_graded_as_a_trial_and_a_finding_on_basic_biology(tmp_path, db):
    for kind, level in (("background", "phase-1"), ("finding", "basic-biology")):
        root = write_content(tmp_path / kind, {"claims/eight-of-eleven.yaml": claim_file(kind, level)})
        with pytest.raises(CommandError) as refused:
            call_command("loadcontent", path=str(root))
        assert "(evidence): this claim is a" in str(refused.value)


def test_the_loader_needs_both_parts(tmp_path, db):
    text = SMALL_CONTENT["claims/eight-of-eleven.yaml"].replace("statement_kind: finding\n", "")
    root = write_content(tmp_path / "c", {"claims/eight-of-eleven.yaml": text.replace("about: car-nk\n", "")})
    with pytest.raises(CommandError) as refused:
        call_command("loadcontent", path=str(root))
    assert "(statement_kind): 'statement_kind' is required" in str(refused.value)
    assert "(about): 'about' is required" in str(refused.value)


def test_the_model_and_so_the_admin_form_refuse_a_status_graded_approved(db):
    claim = make_claim(statement="No CAR-NK therapy is approved.", statement_kind="status", evidence="approved")
    with pytest.raises(ValidationError) as refused:
        claim.full_clean()
    assert "evidence" in refused.value.message_dict


def test_the_admin_refuses_a_status_graded_approved(admin_client):
    claim = make_claim()
    citation = claim.citations.first()
    data = {
        "slug": claim.slug,
        "statement": claim.statement,
        "statement_kind": "status",
        "about": "car-nk",
        "evidence": "approved",
        "participants": 11,
        "seen_edit_token": claim.edit_token,
        "citations-TOTAL_FORMS": 1,
        "citations-INITIAL_FORMS": 1,
        "citations-MIN_NUM_FORMS": 1,
        "citations-MAX_NUM_FORMS": 1000,
        "citations-0-id": citation.pk,
        "citations-0-claim": claim.pk,
        "citations-0-source": citation.source.pk,
        "citations-0-quote": citation.quote,
        "citations-0-position": 1,
    }
    response = admin_client.post(reverse("admin:evidence_claim_change", args=[claim.pk]), data)
    assert response.status_code == 200 and "not graded on the study ladder" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.statement_kind, claim.evidence) == ("finding", "phase-1")


def test_the_editorial_check_flags_a_claim_saved_around_the_rule(db):
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(statement_kind="status", evidence="approved")
    article = make_article(body="[8 of 11](claim:test-claim)")
    assert any("test-claim is a regulator or trial status" in f.message for f in findings_for_article(article))


# Labels ---------------------------------------------------------------------------------------------


def test_a_statement_that_is_not_a_finding_says_what_it_is_not_how_strong_it_is():
    assert evidence_label("no-study", tellers=["news-report"], statement_kind="status") == (
        "Status · told by a news report"
    )
    assert evidence_label("no-study", tellers=["seller"], statement_kind="price-or-service") == (
        "Price or service · told by a seller"
    )
    assert evidence_label("no-study", tellers=["seller"], short=False, statement_kind="price-or-service") == (
        "A company's price or service · told by a company selling treatment"
    )
    assert evidence_label("basic-biology", statement_kind="background") == "Background"
    assert rank("no-study", "status") is None and "not graded" in scale_text("no-study", "opinion")
    assert (
        evidence_label("no-study", tellers=["seller"], statement_kind="finding") == "No study named · told by a seller"
    )


def test_no_legacy_value_states_a_phase_the_source_does_not():
    assert legacy_level("trial") == "overview"
    page = BeautifulSoup(
        render("[A trial](claim:t).", RenderContext(claims={"t": ref("t", "trial")}, terms={})).html, "html.parser"
    )
    span = page.select_one("[data-claim=t]")
    assert span["data-evidence"] == "overview" and span["data-evidence-kind"] == "trial"
    assert span["data-statement-kind"] == "finding" and span["data-about"] == "car-nk"
    for level in ("no-study", "preclinical", "trial", "phase-1", "approved", "basic-biology"):
        assert legacy_level(level) in CONTRACT_LEVELS


# The page profile -----------------------------------------------------------------------------------


def test_a_car_t_finding_is_not_counted_in_the_car_nk_profile():
    claims = [
        ref("nk", "phase-1"),
        ref("t-rct", "phase-2-randomised", about="car-t"),
        ref("t-rate", "no-study", about="car-t", teller="seller"),
        ref("fda", "no-study", kind="status"),
        ref("price", "no-study", kind="price-or-service", about="car-t", teller="seller"),
    ]
    profile = evidence_profile(claims)
    counts = {r["kind"]: r["count"] for r in profile["rungs"]}
    assert counts["phase-2-randomised"] == 0 and counts["no-study"] == 0 and counts["phase-1"] == 1
    assert profile["total"] == 5 and profile["car_nk"] == 1
    groups = {g["key"]: g for g in profile["groups"]}
    assert groups["car-t"]["count"] == 2 and groups["not-graded"]["count"] == 2
    assert (
        "2 are findings about CAR-T (1 no study named, 1 randomised Phase II), not counted as CAR-NK"
        in (groups["car-t"]["words"])
    )
    assert "1 on approval or trials, 1 on a company's prices or services" in groups["not-graded"]["words"]


# The shipped content and the open data ---------------------------------------------------------------

CLAIMS_DIR = Path(settings.BASE_DIR) / "content" / "claims"


def shipped(slug):
    return yaml.safe_load((CLAIMS_DIR / f"{slug}.yaml").read_text())


def test_every_shipped_claim_says_both_parts_and_keeps_the_rule():
    files = sorted(CLAIMS_DIR.glob("*.yaml"))
    assert len(files) >= 185  # 191 tagged; three that shared one quote with another were merged into it
    for path in files:
        data = yaml.safe_load(path.read_text())
        assert data["statement_kind"] and data["about"], path.name
        assert kind_problem(data["statement_kind"], data["evidence"]) == "", path.name


def test_the_most_certain_facts_are_status_and_seller_car_t_rates_are_not_approved():
    for slug in ("carnk-none-fda-approved", "carnk-investigational-trials-only-2025", "cart-fda-approved-since-2017"):
        assert shipped(slug)["statement_kind"] == "status", slug
    for slug in ("cart-severe-crs-20-35-cancerfax", "cart-icans-20-30-cancerfax"):
        data = shipped(slug)
        assert (data["statement_kind"], data["about"], data["evidence"]) == ("finding", "car-t", "no-study"), slug


@pytest.mark.django_db
def test_no_published_profile_counts_car_t_as_car_nk_and_claims_json_carries_both_parts(site_content, client):
    compared = Article.objects.get(slug="car-nk-compared-with-car-t").evidence_profile
    car_t = {c["slug"] for c in compared["claims"] if c["about"] == "car-t" and c["statement_kind"] == "finding"}
    assert car_t and sum(r["count"] for r in compared["rungs"]) == compared["car_nk"]
    assert next(r for r in compared["rungs"] if r["kind"] == "approved")["count"] == 0
    page = client.get(Article.objects.get(slug="car-nk-compared-with-car-t").get_absolute_url()).content.decode()
    assert "findings about CAR-T" in " ".join(BeautifulSoup(page, "html.parser").get_text().split())
    claims = {c["id"]: c for c in json.loads(client.get(reverse("evidence:claims_json")).content)["claims"]}
    fda = claims["carnk-none-fda-approved"]
    assert (fda["statement_kind"], fda["about"], fda["evidence"]["graded"]) == ("status", "car-nk", False)
    assert fda["evidence"]["label"].startswith("Status · ") and fda["evidence"]["rank"] is None
    assert all(c["evidence"]["level"] in CONTRACT_LEVELS for c in claims.values())
    assert all(c["evidence"]["level"] != "phase-1" for c in claims.values() if c["evidence"]["kind"] == "trial")
    popup = json.loads(client.get(reverse("evidence:claim_json", args=["carnk-none-fda-approved"])).content)
    assert popup["statement_kind"] == "status" and popup["kind_label"] == "Regulator or trial status"


def test_the_labels_page_explains_the_labels_of_statements_that_are_not_findings(db, client):
    page = BeautifulSoup(client.get(reverse("evidence:levels")).content, "html.parser")
    kinds = {dt["id"]: " ".join(dt.get_text().split()) for dt in page.select("#not-findings + p + dl dt")}
    assert kinds == {
        "status": "Status (Regulator or trial status)",
        "background": "Background",
        "price-or-service": "Price or service (A company's price or service)",
        "opinion": "Opinion (A recommendation or opinion)",
    }
