"""Messages to applicants, sent by the task worker (django.tasks) after the change has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from motcua.core import audit
from motcua.dossiers.constants import ActionType
from motcua.dossiers.models import Dossier

SUBJECTS = {
    ActionType.SUBMIT: "Đã nhận hồ sơ trực tuyến của ông/bà",
    ActionType.RECEIVE: "Hồ sơ {code} đã được tiếp nhận",
    ActionType.REQUEST_SUPPLEMENT: "Hồ sơ {code}: yêu cầu bổ sung giấy tờ",
    ActionType.REFUSE: "Hồ sơ của ông/bà không được tiếp nhận",
    ActionType.REQUEST_PAYMENT: "Hồ sơ {code}: yêu cầu nộp phí, lệ phí",
    ActionType.MARK_READY: "Hồ sơ {code} đã có kết quả",
    ActionType.RETURN_RESULT: "Hồ sơ {code} đã trả kết quả",
    ActionType.STOP: "Hồ sơ {code} bị dừng xử lý",
    ActionType.APOLOGIZE: "Hồ sơ {code}: thư xin lỗi và hẹn lại ngày trả kết quả",
    ActionType.WITHDRAW: "Hồ sơ {code} đã được rút theo yêu cầu",
}
NOTIFIED_ACTIONS = frozenset(SUBJECTS)


@task
def notify_applicant(dossier_id: int, action: str) -> bool:
    """Email the applicant about a change of their dossier; returns whether a message was sent."""
    dossier = (
        Dossier.objects.select_related("procedure_version", "receiving_agency").filter(pk=dossier_id).first()
    )
    if dossier is None or not dossier.applicant_email:
        return False
    with translation.override("vi"):
        subject = SUBJECTS[ActionType(action)].format(code=dossier.code or "")
        body = render_to_string(
            "notifications/dossier_email.txt",
            {"dossier": dossier, "action": ActionType(action), "site_name": settings.MOTCUA_SITE_NAME},
        )
    send_mail(subject, body, None, [dossier.applicant_email])
    audit.record("notification.email_sent", obj=dossier, summary=subject, dossier_action=action)
    return True
