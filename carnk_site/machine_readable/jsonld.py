"""schema.org data about an article, for search engines and other programs (JSON-LD)."""

from django.utils import timezone

ABOUT = {"@type": "MedicalTherapy", "name": "CAR-NK cell therapy"}


def review_facts(article, approval):
    """Return (lastReviewed date or None, approval to name as reviewedBy or None) for what the page can vouch for.

    An approval whose cited evidence changed since vouches for text readers no longer see as approved,
    so it names nobody; the editors' last check then counts only if it came on or after that change.
    """
    if approval is None:
        return article.last_reviewed, None
    changed_at = getattr(approval, "evidence_changed_at", None)
    if changed_at is None:
        return timezone.localdate(approval.created), approval
    checked = article.last_reviewed
    return (checked if checked and checked >= timezone.localdate(changed_at) else None), None


def article_jsonld(article, url, approval=None):
    """Return the MedicalWebPage description of a published article; reviewedBy only for a current approval.

    lastReviewed is the date the page shows: the approval of the text and evidence shown, else the
    editors' last check (left out when neither vouches for the evidence as it is now).
    """
    reviewed, approval = review_facts(article, approval)
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "inLanguage": "en-GB",
        "audience": {"@type": "Patient"},
        "about": ABOUT,
        "isAccessibleForFree": True,
    }
    if reviewed is not None:
        data["lastReviewed"] = reviewed.isoformat()
    if approval is not None:
        reviewer = approval.reviewer
        person = {"@type": "Person", "name": reviewer.display_name, "jobTitle": reviewer.role}
        if reviewer.credentials:
            person["honorificSuffix"] = reviewer.credentials
        data["reviewedBy"] = person
    return data
