"""``{% rating_panel %}``: the satisfaction rating block of the applicant's dossier page, read from
motcua.surveys: the form once the result is returned, then the rating given with a link to change it
while it may be changed."""

from django import template
from django.urls import reverse

from motcua.portal.rating_views import form_context
from motcua.surveys import rules

register = template.Library()


@register.inclusion_tag("portal/_rating.html", takes_context=True)
def rating_panel(context, dossier):
    request = context["request"]
    facts = rules.RatingFacts(dossier, request.user)
    verdict = rules.judge(request.user, facts)
    rating = facts.rating
    shown = {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "dossier": dossier,
        "rating": rating,
        "verdict": verdict,
        "editable_until": facts.editable_until,
    }
    if rating is None and verdict.allowed:
        shown.update(form_context(), action=reverse("portal:dossier_rating", args=[dossier.public_id]))
    return shown
