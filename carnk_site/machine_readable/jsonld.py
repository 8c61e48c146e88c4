"""schema.org data about an article, for search engines and other programs (JSON-LD)."""

from django.utils import timezone

ABOUT = {"@type": "MedicalTherapy", "name": "CAR-NK cell therapy"}
#: BCP 47 tags of the site's languages (Django's codes are lower case: zh-hans is zh-Hans).
IN_LANGUAGE = {"en": "en-GB", "zh-hans": "zh-Hans", "hi": "hi"}


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


def article_jsonld(article, url, approval=None, translated=None, english_url=""):
    """Return the MedicalWebPage description of a published article; reviewedBy only for a current approval.

    lastReviewed is the date the page shows: the approval of the text and evidence shown, else the
    editors' last check (left out when neither vouches for the evidence as it is now).
    On a translated page (`translated`, the published translation whose title and summary the article
    already carries) the language is the translation's, the reviewer is the clinician fluent in
    it who approved it, and `translationOfWork` names the English page. A page in another language's
    address that shows the English under a notice is described as English.
    """
    if translated is not None:
        approval = _TranslationApproval(translated.approved_by.reviewer, translated.approved_at)
    reviewed, approval = review_facts(article, approval)
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "inLanguage": IN_LANGUAGE.get(translated.language if translated else "en", "en-GB"),
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
    if translated is not None:
        data["translationOfWork"] = {"@type": "MedicalWebPage", "url": english_url}
    return data


class _TranslationApproval:
    """A translation's approval in the shape of an article's: who approved it and when."""

    def __init__(self, reviewer, created):
        self.reviewer, self.created = reviewer, created
