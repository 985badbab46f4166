from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from motcua.api.urls import api

urlpatterns = [
    path("api/", api.urls),
]
# The language switch sits inside i18n_patterns so that it resolves `next` in the page's own language.
urlpatterns += i18n_patterns(
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("", include("motcua.portal.urls")),
    prefix_default_language=False,
)

admin.site.site_header = "motcua · Quản trị"
admin.site.site_title = "motcua"
