"""/about/: how the portal works, written from what the code does (stances, integrity,
sources, corrections, moderation), so a reader can judge what they read."""

from django.conf import settings
from django.shortcuts import render

from debates.models import Integrity
from members.models import Coalition, Stance
from pagecache import cached_page

# What each integrity mark means to a reader (debates.models.Integrity; a test checks every value has one).
INTEGRITY_MEANINGS = {
    Integrity.VERIFIED: "A moderator checked the position against its source. A quote marked verified is word for "
    "word what the source records.",
    Integrity.UNVERIFIED: "Recorded from its source, not yet checked word for word. Every new position starts here; "
    "the page of an unverified quote says so under the words.",
    Integrity.DISPUTED: "Someone disputes that it was said, or said this way. The position stays on the record, with a "
    "warning at the top of its page and the evidence for the dispute.",
    Integrity.MISATTRIBUTED: "The evidence shows the words were not this speaker's. The position stays on the record, "
    "flagged, so anyone who met the attribution elsewhere can see it was wrong.",
    Integrity.RETRACTED: "The statement was withdrawn. The position stays on the record, flagged, with what is known "
    "about the withdrawal.",
}

# What a stance means for one position (members.models.Stance).
STANCE_MEANINGS = {
    Stance.OPEN: "argues for models whose weights, and often code and data, anyone may download, study and build on",
    Stance.CLOSED: "argues for keeping the most capable models closed or for restricting their release, on grounds "
    "of safety, security or misuse",
    Stance.MIXED: "holds both: open in some cases and closed in others, or open with conditions",
}


@cached_page
def about(request):
    return render(
        request,
        "debates/about.html",
        {
            "coalitions": Coalition.objects.order_by("name"),
            "stances": [(value, label, STANCE_MEANINGS[value]) for value, label in Stance.choices],
            "integrity": [(label, INTEGRITY_MEANINGS[value]) for value, label in Integrity.choices],
            "operator": settings.PORTAL_OPERATOR,
            "contact": settings.PORTAL_CONTACT_EMAIL,
            "review_before_publishing": settings.PORTAL_REVIEW_BEFORE_PUBLISHING,
            "comments_premoderated": settings.COMMENTS_PREMODERATED,
            "moderation_time": settings.COMMENT_MODERATION_TIME,
        },
    )
