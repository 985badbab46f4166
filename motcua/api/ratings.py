"""A dossier's satisfaction rating (đánh giá mức độ hài lòng): the applicant gives it once the result is
returned (POST, 201), changes it within seven days (POST again, 200); whoever may see the dossier reads
it (GET).

Mounted before the dossier router (motcua.api.urls) like the payments. The API takes the applicant's
token only: the kiosk's way in without an account (the code and a second fact) is the kiosk page's, not
the API's. Every rule is in motcua.surveys (rules, services).
"""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from motcua.api.auth import BearerToken
from motcua.api.dossiers import ERRORS, _dossier
from motcua.api.schemas import Message
from motcua.surveys import rules, selectors, services
from motcua.surveys.constants import COMMENT_MAX_LENGTH, RatingChannel
from motcua.surveys.models import Rating

router = Router(auth=BearerToken(), tags=["ratings"])

SCALE = (
    "5 rất hài lòng (very satisfied), 4 hài lòng (satisfied), 3 chấp nhận được (acceptable), "
    "2 không hài lòng (dissatisfied), 1 rất không hài lòng (very dissatisfied)."
)
AnswerValue = Annotated[int, Field(ge=1, le=5, strict=True, description=SCALE)]


class RatingIn(Schema):
    processing_time: AnswerValue = Field(description="Thời gian giải quyết hồ sơ (processing time). " + SCALE)
    contacts: AnswerValue = Field(
        description="Số lần phải đi lại, liên hệ với cơ quan (number of trips and contacts). " + SCALE
    )
    staff_attitude: AnswerValue = Field(description="Thái độ phục vụ của cán bộ (staff attitude). " + SCALE)
    overall: AnswerValue = Field(description="Mức độ hài lòng chung (overall satisfaction). " + SCALE)
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH)


class RatingOut(Schema):
    processing_time: int = Field(ge=1, le=5)
    contacts: int = Field(ge=1, le=5)
    staff_attitude: int = Field(ge=1, le=5)
    overall: int = Field(ge=1, le=5)
    comment: str
    channel: Literal["online", "kiosk", "api"] = Field(
        description="Where it was last given or changed: the site, the kiosk at the counter, the API."
    )
    satisfied: bool = Field(description="The overall answer is 4 or 5 (hài lòng, rất hài lòng).")
    score: int = Field(ge=0, le=100, description="The four answers on 0–100.")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    editable_until: datetime.datetime = Field(description="Until when the applicant may change it.")
    editable: bool = Field(description="Whether the caller may change it now (POST again).")


def _out(rating: Rating, editable: bool) -> dict:
    return {
        "processing_time": rating.processing_time,
        "contacts": rating.contacts,
        "staff_attitude": rating.staff_attitude,
        "overall": rating.overall,
        "comment": rating.comment,
        "channel": rating.channel,
        "satisfied": rating.satisfied,
        "score": rating.score,
        "created_at": rating.created_at,
        "updated_at": rating.updated_at,
        "editable_until": rating.created_at + datetime.timedelta(days=rules.edit_days()),
        "editable": editable,
    }


@router.get("/{ref}/rating", response={200: RatingOut, **ERRORS})
def get_rating(request: HttpRequest, ref: str):
    """The dossier's rating, to whoever may see the dossier; 404 while it has none."""
    dossier = _dossier(request, ref)
    rating = selectors.rating_of(dossier)
    if rating is None:
        return Status(404, Message(detail=_("Hồ sơ này chưa được đánh giá.")))
    return _out(rating, rules.may_rate(request.auth, dossier))


@router.post("/{ref}/rating", response={200: RatingOut, 201: RatingOut, **ERRORS})
def rate(request: HttpRequest, ref: str, body: RatingIn):
    """The applicant rates the dossier once its result is returned (status 10): 201 with the rating; the
    same call within seven days changes it: 200. Refused: 403 for anyone but the applicant, 409 before
    the result is returned or once the rating is read only, 422 naming each answer at fault."""
    dossier = _dossier(request, ref)
    saved = services.rate(dossier, body.model_dump(), by=request.auth, channel=RatingChannel.API)
    editable = rules.may_rate(request.auth, dossier)
    return Status(201 if saved.created else 200, _out(saved.rating, editable))
