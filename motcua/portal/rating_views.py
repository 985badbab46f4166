"""Satisfaction ratings (đánh giá mức độ hài lòng): the applicant's form after the result is returned,
and the kiosk at the counter (``/danh-gia/``), where a walk-in applicant rates without an account by
the dossier's code and the last four digits of their phone or identity number.

Who may rate and when is motcua.surveys.rules, asked here to decide what to show and checked again by
motcua.surveys.services.rate under the dossier's row lock."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.ratelimit import limited_page
from motcua.dossiers import selectors
from motcua.dossiers.errors import DossierError, InvalidInput
from motcua.dossiers.models import Dossier
from motcua.portal.problems import Problem
from motcua.surveys import rules, services
from motcua.surveys.constants import COMMENT_MAX_LENGTH, PROOF_DIGITS, Answer, Question, RatingChannel
from motcua.surveys.models import Rating

COMMENT = "comment"


@dataclass
class QuestionView:
    """One question of the form: a group of radio buttons in a fieldset, its legend the question."""

    name: str
    label: str
    value: int | None
    errors: list[str] = field(default_factory=list)

    @property
    def choices(self) -> list[tuple[int, str, str]]:
        """(value, label, input id), best first."""
        return [(a.value, str(a.label), f"{self.name}-{a.value}") for a in Answer]

    @property
    def first_id(self) -> str:
        return f"{self.name}-{Answer.VERY_SATISFIED.value}"

    @property
    def error_id(self) -> str:
        return f"{self.name}-error"


def _selected(raw: Any) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value in Answer.values else None


def form_context(
    data: dict[str, Any] | None = None,
    rating: Rating | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """What the rating form shows: the typed answers (or the rating given), each question's errors, and
    the error summary linking to the first radio button of each question at fault."""
    errors = errors or {}
    questions = []
    for question in Question:
        if data is not None:
            value = _selected(data.get(question.value))
        else:
            value = getattr(rating, question.value) if rating is not None else None
        questions.append(
            QuestionView(question.value, str(question.label), value, errors.get(question.value, []))
        )
    comment = data.get(COMMENT, "") if data is not None else (rating.comment if rating is not None else "")
    problems = [Problem(q.label, message, f"#{q.first_id}") for q in questions for message in q.errors]
    problems += [Problem(_("Góp ý"), message, f"#{COMMENT}") for message in errors.get(COMMENT, [])]
    known = {q.value for q in Question} | {COMMENT}
    problems += [Problem("", m, "") for key, ms in errors.items() if key not in known for m in ms]
    return {
        "questions": questions,
        "comment": comment,
        "comment_errors": errors.get(COMMENT, []),
        "comment_max": COMMENT_MAX_LENGTH,
        "problems": problems,
    }


def _answers(post) -> dict[str, Any]:
    return {**{q.value: post.get(q.value, "") for q in Question}, COMMENT: post.get(COMMENT, "")}


# ---------------------------------------------------------------------------------------------
# The applicant, on their dossier


@login_required
@require_http_methods(["GET", "POST"])
def dossier_rating(request, public_id):
    """Give or change the rating of one's own returned dossier (the form is also on the dossier's
    page; this page shows it again with what to fix, and for a change)."""
    dossier = selectors.for_applicant(request.user).filter(public_id=public_id).first()
    if dossier is None:
        raise Http404
    facts = rules.RatingFacts(dossier, request.user)
    verdict = rules.judge(request.user, facts)
    if not verdict.allowed:
        if verdict.reason:
            messages.error(request, verdict.reason)
        return redirect("portal:dossier", public_id=dossier.public_id)
    status = 200
    errors: dict[str, list[str]] = {}
    data = None
    if request.method == "POST":
        data = _answers(request.POST)
        try:
            saved = services.rate(dossier, data, by=request.user, channel=RatingChannel.ONLINE)
        except InvalidInput as exc:
            errors, status = exc.errors, exc.status_code
        except DossierError as exc:
            messages.error(request, exc.message)
            return redirect("portal:dossier", public_id=dossier.public_id)
        else:
            if saved.created:
                messages.success(request, _("Cảm ơn ông/bà đã đánh giá mức độ hài lòng."))
            else:
                messages.success(request, _("Đã sửa đánh giá. Cảm ơn ông/bà."))
            return redirect(reverse("portal:dossier", args=[dossier.public_id]) + "#rating-title")
    return render(
        request,
        "portal/dossier_rating.html",
        {
            "dossier": dossier,
            "editing": verdict.editing,
            "editable_until": facts.editable_until,
            "action": reverse("portal:dossier_rating", args=[dossier.public_id]),
            **form_context(data, facts.rating, errors),
        },
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# The kiosk at the counter (no login)

KIOSK_SALT = "motcua.portal.kiosk-rating"
# How long the kiosk's second step stays valid after the dossier was found.
KIOSK_MAX_AGE = 15 * 60
FIND, RATE = "find", "rate"


def _kiosk_token(dossier: Dossier, proof: str) -> str:
    """What the second step carries: the dossier found and the second fact typed, signed."""
    return signing.dumps({"dossier": dossier.pk, "proof": proof}, salt=KIOSK_SALT, compress=True)


def _kiosk_read(token: str) -> tuple[Dossier, str] | None:
    try:
        data = signing.loads(token, salt=KIOSK_SALT, max_age=KIOSK_MAX_AGE)
        dossier = Dossier.objects.select_related("procedure_version").get(pk=int(data["dossier"]))
        return dossier, str(data["proof"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, Dossier.DoesNotExist):
        return None


def _kiosk_posts(request, **kwargs) -> bool:
    return request.method == "POST"


def _find_page(request, *, code: str = "", errors=None, status: int = 200):
    errors = errors or {}
    labels = {
        services.CODE_FIELD: _("Mã hồ sơ"),
        services.PROOF_FIELD: _("4 chữ số cuối của số điện thoại hoặc số định danh"),
    }
    problems = [
        Problem(labels.get(key, ""), message, f"#{key}" if key in labels else "")
        for key, found in errors.items()
        for message in found
    ]
    return render(
        request,
        "portal/kiosk.html",
        {"step": FIND, "code": code, "errors": errors, "problems": problems, "digits": PROOF_DIGITS},
        status=status,
    )


def _rate_page(request, dossier: Dossier, proof: str, *, data=None, errors=None, status: int = 200):
    facts = rules.RatingFacts(dossier, None, proof=proof)
    verdict = rules.judge(None, facts)
    context = {
        "dossier": dossier,
        "token": _kiosk_token(dossier, proof),
        "editing": verdict.editing,
        "editable_until": facts.editable_until,
        "action": reverse("portal:kiosk"),
    }
    if not verdict.allowed:  # found, but not to be rated now: not returned yet, or read only
        context.update(step="closed", reason=verdict.reason)
        return render(request, "portal/kiosk.html", context, status=409)
    context.update(step=RATE, **form_context(data, facts.rating, errors))
    return render(request, "portal/kiosk.html", context, status=status)


@limited_page("rating", "MOTCUA_RATING_RATE", counts=_kiosk_posts)
@require_http_methods(["GET", "POST"])
def kiosk(request):
    """Step 1: the dossier's code and the second fact; step 2: the four questions; then thanks.
    Whoever is logged in on the tablet, the kiosk rates as nobody (the rule's second fact decides)."""
    if request.method == "GET":
        return _find_page(request)
    if request.POST.get("step") == RATE:
        found = _kiosk_read(request.POST.get("token", ""))
        if found is None:
            message = _("Phiên đánh giá đã hết hạn; vui lòng nhập lại mã hồ sơ.")
            return _find_page(request, errors={"": [message]}, status=400)
        dossier, proof = found
        data = _answers(request.POST)
        try:
            services.rate(dossier, data, by=None, channel=RatingChannel.KIOSK, proof=proof)
        except InvalidInput as exc:
            return _rate_page(request, dossier, proof, data=data, errors=exc.errors, status=exc.status_code)
        except DossierError:
            return _rate_page(request, dossier, proof)  # no longer open: the page says why
        return redirect("portal:kiosk_thanks")
    code, proof = request.POST.get("code", "").strip(), request.POST.get("proof", "").strip()
    try:
        dossier = services.kiosk_dossier(code, proof)
    except services.TooManyAttempts as exc:
        response = _find_page(request, code=code, errors={"": [exc.message]}, status=429)
        response["Retry-After"] = str(exc.wait)
        return response
    except DossierError as exc:
        return _find_page(
            request, code=code, errors=exc.errors or {"": [exc.message]}, status=exc.status_code
        )
    return _rate_page(request, dossier, proof)


def kiosk_thanks(request):
    return render(request, "portal/kiosk.html", {"step": "thanks"})
