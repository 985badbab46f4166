"""Messages to account holders, sent by the task worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from motcua.accounts.models import User
from motcua.core import audit


@task
def warn_of_registration(user_id: int) -> bool:
    """Tell an account's owner that someone tried to register with its identity number, email or phone
    (registration answers the same whether or not an account exists, so the owner hears of it here)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    with translation.override("vi"):
        subject = "Có người vừa đăng ký tài khoản bằng thông tin của ông/bà"
        body = render_to_string(
            "accounts/registration_attempt_email.txt",
            {"user": user, "site_name": settings.MOTCUA_SITE_NAME, "public_url": settings.MOTCUA_PUBLIC_URL},
        )
    send_mail(subject, body, None, [user.email])
    audit.record("account.registration_warned", obj=user, summary=user.username)
    return True
