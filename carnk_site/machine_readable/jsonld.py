"""schema.org data about an article, for search engines and other programs (JSON-LD)."""

from django.utils import timezone

ABOUT = {"@type": "MedicalTherapy", "name": "CAR-NK cell therapy"}


def article_jsonld(article, url, approval=None):
    """Return the MedicalWebPage description of a published article; reviewedBy only for a real approval.

    lastReviewed is the date the page shows: the approval of the text shown, else the editors' last check.
    """
    reviewed = timezone.localdate(approval.created) if approval is not None else article.last_reviewed
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "inLanguage": "en-GB",
        "lastReviewed": reviewed.isoformat(),
        "audience": {"@type": "Patient"},
        "about": ABOUT,
        "isAccessibleForFree": True,
    }
    if approval is not None:
        reviewer = approval.reviewer
        person = {"@type": "Person", "name": reviewer.display_name, "jobTitle": reviewer.role}
        if reviewer.credentials:
            person["honorificSuffix"] = reviewer.credentials
        data["reviewedBy"] = person
    return data
