"""Admin pages that show personal data write the access log as the staff pages do: one row for a
list (the records it showed) and one for each record opened (motcua.accounts.access_log)."""

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from motcua.accounts import access_log


class LoggedReadsAdmin(admin.ModelAdmin):
    """Set ``access_purpose`` (e.g. ``"admin:dossier"``); for records that are not dossiers, set
    ``access_object`` and override ``access_record``."""

    access_purpose = ""
    access_object = "dossier"

    def access_record(self, rows: Sequence[Any]) -> dict[str, Any]:
        """The keyword arguments of ``access_log.record_read`` for ``rows`` (dossiers by default)."""
        return {"dossiers": rows}

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        listing = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and response.status_code == 200 and listing is not None:
            rows = list(listing.result_list)
            access_log.record_read(
                request,
                purpose=f"{self.access_purpose}:list",
                object_type=f"{self.access_object}_list",
                **self.access_record(rows),
            )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and response.status_code == 200 and shown is not None:
            access_log.record_read(
                request,
                purpose=self.access_purpose,
                object_type=self.access_object,
                **self.access_record([shown]),
            )
        return response
