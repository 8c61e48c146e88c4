"""schema.org data about an article, for search engines and other programs (JSON-LD)."""

from django.utils import timezone

ABOUT = {"@type": "MedicalTherapy", "name": "CAR-NK cell therapy"}
#: BCP 47 tags of the site's languages (Django's codes are lower case: zh-hans is zh-Hans).
IN_LANGUAGE = {"en": "en-GB", "zh-hans": "zh-Hans", "hi": "hi"}


def article_jsonld(article, url, approval=None, translated=None, english_url=""):
    """Return the MedicalWebPage description of a published article; reviewedBy only for a real approval.

    lastReviewed is the date the page shows: the approval of the text shown, else the editors' last check.
    On a translated page (`translated`, the published translation whose title and summary the article
    already carries) the language is the translation's, the reviewer is the clinician fluent in
    it who approved it, and `translationOfWork` names the English page. A page in another language's
    address that shows the English under a notice is described as English.
    """
    if translated is not None:
        approval = _TranslationApproval(translated.approved_by.reviewer, translated.approved_at)
    reviewed = timezone.localdate(approval.created) if approval is not None else article.last_reviewed
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "inLanguage": IN_LANGUAGE.get(translated.language if translated else "en", "en-GB"),
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
    if translated is not None:
        data["translationOfWork"] = {"@type": "MedicalWebPage", "url": english_url}
    return data


class _TranslationApproval:
    """A translation's approval in the shape of an article's: who approved it and when."""

    def __init__(self, reviewer, created):
        self.reviewer, self.created = reviewer, created
