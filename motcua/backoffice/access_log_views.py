"""The personal-data access log for supervisors (/can-bo/nhat-ky-truy-cap/): who read whose data, when,
through which page or API operation, allowed or refused (motcua.accounts.access_log). Who may open it
is the rule ``accounts.search_access_log`` (motcua.accounts.rules); a plain officer gets 403."""

import csv
from functools import wraps

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.accounts import access_log
from motcua.backoffice.views import staff_required

PAGE_SIZE = 50
# A CSV export holds at most this many rows; narrow the search for more.
EXPORT_LIMIT = 50_000


def supervisor_required(view):
    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("accounts.search_access_log"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class AccessLogSearchForm(forms.Form):
    identity = forms.CharField(
        label=_("Số định danh của người dân"),
        required=False,
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 14}),
    )
    officer = forms.CharField(label=_("Tên đăng nhập của cán bộ"), required=False, max_length=150)
    client = forms.CharField(label=_("Mã ứng dụng kết nối (client_id)"), required=False, max_length=64)
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": "000.00.00.H59-260312-0001", "size": 26}),
    )
    day_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    day_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    refused_only = forms.BooleanField(label=_("Chỉ các lần bị từ chối"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("day_from"), cleaned.get("day_to")
        if start and end and end < start:
            self.add_error("day_to", _t("Đến ngày phải sau Từ ngày."))
        return cleaned

    def query(self) -> access_log.LogQuery:
        data = self.cleaned_data
        return access_log.LogQuery(
            identity=(data.get("identity") or "").strip(),
            officer=(data.get("officer") or "").strip(),
            client=(data.get("client") or "").strip(),
            code=(data.get("code") or "").strip(),
            day_from=data.get("day_from"),
            day_to=data.get("day_to"),
            refused_only=bool(data.get("refused_only")),
        )


def _form(request) -> AccessLogSearchForm:
    params = request.GET.copy()
    params.pop("after", None)
    return AccessLogSearchForm(params or None)


@supervisor_required
@require_GET
def access_log_page(request):
    form = _form(request)
    page_rows, next_cursor = None, None
    if not form.is_bound or form.is_valid():
        query = form.query() if form.is_bound else access_log.LogQuery()
        page_rows, next_cursor = access_log.page_after(
            access_log.search(query), request.GET.get("after") or None, PAGE_SIZE
        )
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "backoffice/access_log.html",
        {
            "section": "access_log",
            "form": form,
            "rows": page_rows,
            "page": {"next_cursor": next_cursor, "has_previous": bool(request.GET.get("after"))},
            "query": params.urlencode(),
            "filtered": form.is_bound,
        },
    )


class _Echo:
    def write(self, value):
        return value


@supervisor_required
@require_GET
def access_log_export(request):
    """The search's rows as CSV (UTF-8 with BOM, for spreadsheet programs), newest first."""
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return access_log_page(request)
    query = form.query() if form.is_bound else access_log.LogQuery()
    rows = access_log.search(query)[:EXPORT_LIMIT]
    writer = csv.writer(_Echo())
    header = [
        _t("Thời điểm"),
        _t("Cán bộ"),
        _t("Ứng dụng"),
        _t("Kênh"),
        _t("Trang / thao tác"),
        _t("Loại dữ liệu"),
        _t("Số bản ghi"),
        _t("Mã hồ sơ"),
        _t("Số định danh"),
        _t("Địa chỉ IP"),
        _t("Được phép"),
        _t("Lý do từ chối"),
    ]

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for e in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M:%S"),
                    e.user.username if e.user else "",
                    e.client.client_id if e.client else "",
                    e.channel,
                    e.purpose,
                    e.object_type,
                    e.count,
                    " ".join(e.code_list),
                    " ".join(e.identity_list),
                    e.address or "",
                    "1" if e.allowed else "0",
                    e.reason,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = f"nhat-ky-truy-cap-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
