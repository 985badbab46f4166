from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import AccountKind
from motcua.agencies.models import Agency
from motcua.catalog.constants import Level, Mode
from motcua.catalog.models import Field


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("ví dụ: dang ky khai sinh")}),
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    agency = forms.ChoiceField(label=_("Cơ quan thực hiện"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), required=False, choices=[("", _("Tất cả")), *list(Level.choices)]
    )
    mode = forms.ChoiceField(
        label=_("Hình thức"), required=False, choices=[("", _("Tất cả")), *list(Mode.choices)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [
            ("", _("Tất cả")),
            *list(Field.objects.filter(versions__is_current=True).distinct().values_list("code", "name")),
        ]
        self.fields["agency"].choices = [
            ("", _("Tất cả")),
            *list(
                Agency.objects.active()
                .filter(procedure_versions__is_current=True)
                .distinct()
                .values_list("code", "name")
            ),
        ]


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập, số định danh, thư điện tử hoặc số điện thoại"), max_length=150
    )
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput)


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại tài khoản"),
        widget=forms.RadioSelect,
        choices=[(AccountKind.CITIZEN, _("Công dân")), (AccountKind.BUSINESS, _("Tổ chức, doanh nghiệp"))],
        initial=AccountKind.CITIZEN,
    )
    full_name = forms.CharField(label=_("Họ và tên / tên tổ chức"), max_length=255)
    identity_number = forms.CharField(
        label=_("Số định danh cá nhân (12 số) hoặc mã số thuế"),
        max_length=14,
        help_text=_("Công dân: số định danh cá nhân 12 chữ số. Doanh nghiệp: mã số thuế 10 chữ số."),
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20)
    password = forms.CharField(
        label=_("Mật khẩu"), widget=forms.PasswordInput, help_text=_("Ít nhất 8 ký tự, không quá đơn giản.")
    )


class AccountForm(forms.Form):
    """How to reach the person; accounts.services.update_profile checks it as registration does."""

    phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ"),
        required=False,
        max_length=500,
        help_text=_("Ví dụ: Số 8 đường Tân Trào, phường Minh Xuân, tỉnh Tuyên Quang."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
