"""Print each published article's length on a phone, in screens, measured in Chromium against a running site."""

from django.core.management.base import BaseCommand, CommandError

from carnk_site.articles.models import Article
from carnk_site.tooling.pagelength import MAX_SCREENS, WARNING_SIGNS_MAX_SCREENS, WARNING_SIGNS_SLUG, measure_articles


class Command(BaseCommand):
    help = (
        f"Open every published article at 375 x 667 px in Chromium and print its main text (top of the page to "
        f"the end of the article body) in phone screens; the rule is at most {MAX_SCREENS}. The site must be "
        f"running at --base with the same content as this database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base", default="http://127.0.0.1:8000", help="The running site's address.")
        parser.add_argument("--strict", action="store_true", help="Exit with an error when a page breaks the rule.")

    def handle(self, *args, base, strict, **options):
        too_long = []
        for article, length in measure_articles(base, Article.objects.published()):
            if length.main_text is None:
                raise CommandError(f"{article.slug}: no article body at {base}{article.get_absolute_url()}")
            verdict = "ok" if length.main_text <= MAX_SCREENS else "TOO LONG"
            line = f"{article.slug:40} {length.main_text:5.1f} screens {verdict:8} (whole page {length.whole_page:.1f})"
            if article.slug == WARNING_SIGNS_SLUG:
                ok = length.warning_signs is not None and length.warning_signs < WARNING_SIGNS_MAX_SCREENS
                where = "missing" if length.warning_signs is None else f"at screen {length.warning_signs:.1f}"
                line += f"; warning signs {where} (rule: before screen {WARNING_SIGNS_MAX_SCREENS}) {'ok' if ok else 'TOO LATE'}"
                too_long += [] if ok else [f"{article.slug} (warning signs)"]
            self.stdout.write(line)
            if length.main_text > MAX_SCREENS:
                too_long.append(article.slug)
        if strict and too_long:
            raise CommandError(f"Breaks the length rule: {', '.join(too_long)}")
