"""The editorial checks on an article against what the database holds now (the rules are in text/checks.py)."""

from carnk_site.evidence.models import Claim, Source
from carnk_site.glossary.models import Term
from carnk_site.text.checks import (
    CLAIM_SLUG,
    Finding,
    article_findings,
    label_findings,
    names_for_glossary,
    source_texts,
)
from carnk_site.text.levels import kind_problem


def findings_for_article(article):
    """Run every article check against what the database holds now, with the labels of its claims."""
    findings = article_findings(
        article.body_html,
        article.key_points_html,
        len(article.key_point_list),
        names_for_glossary(Term.objects.only("term", "aliases")),
        source_texts(Source.objects.all()),
    )
    slugs = set(CLAIM_SLUG.findall(article.body_html + article.key_points_html))
    for claim in Claim.objects.filter(slug__in=slugs).prefetch_related("citations").order_by("slug"):
        quotes = [c.quote for c in claim.citations.all()]
        for finding in label_findings(
            claim.statement, claim.evidence, claim.participants, quotes, claim.statement_kind, claim.participants_stated
        ):
            findings.append(Finding(finding.check, f"claim {claim.slug} {finding.message}"))
        if problem := kind_problem(claim.statement_kind, claim.evidence):
            findings.append(Finding("label", f"claim {claim.slug} {problem}"))
    return findings
