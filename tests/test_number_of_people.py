"""Every trial finding shows its number of people, from a quote that states it (issue 23).

The label answers "how many people?" for every result in people: "11 people", "more than
20 people", or, when the source names the study without its size, "number of people not
given". A trial finding with no number is refused from a published article by the loader and
flagged by the admin's checks alike.
"""

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from carnk_site.editorial.checks import findings_for_article
from carnk_site.evidence.models import Claim
from carnk_site.text.checks import TRIAL_KINDS, label_findings
from carnk_site.text.levels import evidence_label

from .conftest import PUBLISHABLE_BODY, PUBLISHABLE_POINTS, make_article, make_claim, make_source, write_content

NO_NUMBER_CLAIM = """\
id: eight-of-eleven
statement: In a small trial, most people responded.
statement_kind: finding
about: car-nk
evidence: phase-1
citations:
- source: news
  quote: Eight of the 11 patients responded
"""


def test_a_trial_finding_without_a_number_of_people_is_flagged_on_every_rung_of_trials():
    for level in TRIAL_KINDS:
        found = label_findings("Most responded.", level, None, ["most responded"], "finding")
        assert [f.check for f in found] == ["label"], level
        assert "no number of people" in found[0].message


def test_a_source_that_names_no_size_is_said_in_the_label_not_left_blank():
    assert label_findings("Most responded.", "phase-1", None, ["most responded"], "finding", "not-given") == []
    assert evidence_label("phase-1", None, ("seller",), participants_stated="not-given") == (
        "Phase I · number of people not given · told by a seller"
    )


def test_more_than_a_number_is_labelled_as_more_than_and_needs_the_number_in_a_quote():
    quotes = ["Phase I/II: >20 patients with relapsed/refractory DLBCL and ALL."]
    assert label_findings("More than 20 people.", "phase-1-2", 20, quotes, "finding", "more-than") == []
    assert evidence_label("phase-1-2", 20, ("seller",), participants_stated="more-than") == (
        "Phase I/II · more than 20 people · told by a seller"
    )
    assert label_findings("More than 30 people.", "phase-1-2", 30, quotes, "finding", "more-than")


def test_not_given_is_refused_beside_a_number_and_outside_trial_findings():
    assert label_findings("X.", "phase-1", 11, ["11 patients"], "finding", "not-given")
    assert label_findings("X.", "preclinical", None, ["mice"], "finding", "not-given")
    assert label_findings("X.", "no-study", None, ["says"], "status", "not-given")


def test_statements_that_are_not_trial_findings_need_no_number():
    assert label_findings("Mice.", "preclinical", None, ["mice"], "finding") == []
    assert label_findings("Approved.", "no-study", None, ["approved"], "status") == []
    assert label_findings("Cells kill.", "basic-biology", None, ["kill"], "background") == []


def test_the_loader_refuses_a_published_article_citing_a_trial_finding_without_its_people(tmp_path, db):
    root = write_content(tmp_path, {"claims/eight-of-eleven.yaml": NO_NUMBER_CLAIM})
    with pytest.raises(CommandError) as error:
        call_command("loadcontent", path=str(root))
    assert "eight-of-eleven" in str(error.value) and "no number of people" in str(error.value)
    assert not Claim.objects.exists()  # nothing written


def test_the_loader_takes_not_given_and_writes_it_back_out(tmp_path, db):
    root = write_content(
        tmp_path, {"claims/eight-of-eleven.yaml": NO_NUMBER_CLAIM + "participants_stated: not-given\n"}
    )
    call_command("loadcontent", path=str(root))
    claim = Claim.objects.get(slug="eight-of-eleven")
    assert claim.participants_stated == "not-given"
    assert "number of people not given" in claim.label
    out = tmp_path / "exported"
    call_command("exportcontent", path=str(out))
    written = yaml.safe_load((out / "claims" / "eight-of-eleven.yaml").read_text())
    assert written["participants_stated"] == "not-given"
    exact = yaml.safe_load((Path(settings.BASE_DIR) / "content/claims/crc-pd1-phase1-six-people.yaml").read_text())
    assert "participants_stated" not in exact  # the default is left out of files


def test_the_admin_checks_flag_it_like_the_loader(db):
    source = make_source()
    make_claim(source=source, evidence="phase-1", participants=None, quote="Eight of the 11 patients responded")
    article = make_article(status="draft", body=PUBLISHABLE_BODY, key_points=PUBLISHABLE_POINTS)
    assert any("no number of people" in str(f) for f in findings_for_article(article))


@pytest.mark.django_db
def test_every_shipped_trial_finding_shows_its_number_of_people_or_says_it_is_not_given(site_content, client):
    trial_findings = Claim.objects.filter(statement_kind="finding", evidence__in=[str(k) for k in TRIAL_KINDS])
    assert trial_findings.count() >= 20
    for claim in trial_findings:
        assert claim.participants or claim.participants_stated == "not-given", claim.slug
    page = BeautifulSoup(client.get("/articles/what-the-evidence-shows/").content, "html.parser")
    labels = " ".join(e.get_text(" ") for e in page.select(".evidence"))
    assert "11 people" in labels and "6 people" in labels and "more than 20 people" in labels
    assert "number of people not given" in labels


@pytest.mark.django_db
def test_open_data_and_pop_ups_say_how_the_source_gives_the_number(site_content, client):
    data = client.get(reverse("evidence:claims_json")).json()
    claims = {c["id"]: c for c in data["claims"]}
    assert claims["nanjing-dlbcl-response-50-65"]["participants_stated"] == "more-than"
    assert "more than 20 people" in claims["nanjing-dlbcl-response-50-65"]["evidence"]["label"]
    popup = client.get(reverse("evidence:claim_json", args=["nanjing-dlbcl-response-50-65"]))
    assert "More than 20 people took part" in popup.json()["people_text"]
