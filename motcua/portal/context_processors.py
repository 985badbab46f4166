from django.conf import settings


def site(request):
    return {"site_name": settings.MOTCUA_SITE_NAME}
