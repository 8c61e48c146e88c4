"""Seed the four trust pages from carnk_site/trust/seed/; editors change them in the admin afterwards."""

from pathlib import Path

from django.db import migrations

from carnk_site.about.models import render_page_body

SEED = Path(__file__).resolve().parent.parent / "seed"
PAGES = [
    ("about", "About this site", "What this site is, who writes it, and why it has nothing to sell."),
    (
        "how-we-make-this-content",
        "How we make this content",
        "How we choose sources, label evidence, review pages, sign them off and correct mistakes.",
    ),
    (
        "accessibility",
        "Accessibility statement",
        "How well this site works for everyone, what does not work yet, and how to tell us.",
    ),
    ("report-a-mistake", "Report a mistake", "How to tell us something is wrong, and what we do about it."),
]


def seed(apps, schema_editor):
    TrustPage = apps.get_model("trust", "TrustPage")
    for slug, title, summary in PAGES:
        body = (SEED / f"{slug}.md").read_text()
        TrustPage.objects.get_or_create(
            slug=slug, defaults={"title": title, "summary": summary, "body": body, "body_html": render_page_body(body)}
        )


def unseed(apps, schema_editor):
    apps.get_model("trust", "TrustPage").objects.filter(slug__in=[slug for slug, _, _ in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("trust", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
