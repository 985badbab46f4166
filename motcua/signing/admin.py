"""Certificates, seals and the register in the admin.

A certificate is added by uploading its PKCS#12 file (the key is encrypted at rest) or, for a remote
signer, by the user id at the remote-signing service; both go through motcua.signing.services, which
refuses an expired, not yet valid, revoked or unreadable certificate. A certificate is never edited:
it is revoked (an action) and a new one added.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from motcua.signing import selectors, services
from motcua.signing.constants import Provider
from motcua.signing.models import Certificate, IssuedDocument, Seal, SigningRequest


class CertificateAddForm(forms.ModelForm):
    provider = forms.ChoiceField(label=_("Nơi giữ khóa"), choices=Provider.choices, initial=Provider.LOCAL)
    pkcs12 = forms.FileField(
        label=_("Tệp PKCS#12 (.p12, .pfx)"), required=False, help_text=_("Khi khóa lưu tại hệ thống.")
    )
    password = forms.CharField(label=_("Mật khẩu tệp PKCS#12"), required=False, widget=forms.PasswordInput)
    remote_user_id = forms.CharField(
        label=_("Mã người dùng tại dịch vụ ký số từ xa"),
        required=False,
        help_text=_("Khi ký số từ xa: hệ thống hỏi dịch vụ chứng thư số của người này."),
    )

    class Meta:
        model = Certificate
        fields = ["user", "agency"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        request_user = getattr(self, "request_user", None)
        try:
            if data.get("provider") == Provider.SMARTCA:
                if data.get("user") is None:
                    raise services.CertificateRefused(
                        _("Ký số từ xa là của một người ký: chọn người ký."), "user"
                    )
                self.certificate = services.add_remote_certificate(
                    user=data["user"], remote_user_id=data.get("remote_user_id", ""), actor=request_user
                )
            else:
                upload = data.get("pkcs12")
                if upload is None:
                    raise services.CertificateRefused(_("Chọn tệp PKCS#12."), "pkcs12")
                self.certificate = services.import_pkcs12(
                    upload.read(),
                    data.get("password", ""),
                    user=data.get("user"),
                    agency=data.get("agency"),
                    actor=request_user,
                )
        except services.CertificateRefused as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, exc.message)
        return data


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["subject", "owner", "provider", "valid_from", "valid_to", "usable", "revoked_at"]
    list_filter = ["provider", "revoked_at"]
    search_fields = ["subject", "serial_number", "user__full_name", "user__username", "agency__name"]
    list_select_related = ["user", "agency"]
    readonly_fields = [
        "user",
        "agency",
        "provider",
        "subject",
        "issuer",
        "serial_number",
        "fingerprint",
        "valid_from",
        "valid_to",
        "remote_user_id",
        "remote_credential_id",
        "revoked_at",
        "revocation_reason",
        "created_at",
        "created_by",
    ]
    actions = ["revoke_selected"]

    @admin.display(description=_("Chủ sở hữu"))
    def owner(self, obj: Certificate) -> str:
        return obj.owner_name

    @admin.display(description=_("Dùng được"), boolean=True)
    def usable(self, obj: Certificate) -> bool:
        return selectors.refusal(obj) is None

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CertificateAddForm
            form = super().get_form(request, obj, **kwargs)
            form.request_user = request.user
            return form
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "agency", "provider", "pkcs12", "password", "remote_user_id"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        # The service already stored it (CertificateAddForm.clean): the admin goes on with that row.
        obj.pk = form.certificate.pk
        obj.__dict__.update({k: v for k, v in form.certificate.__dict__.items() if not k.startswith("_")})

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_revoke_permission(self, request):
        return request.user.has_perm("signing.change_certificate")

    @admin.action(description=_("Thu hồi các chứng thư số đã chọn"), permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        for certificate in queryset:
            services.revoke(certificate, actor=request.user, reason=str(_("Thu hồi trong trang quản trị")))
        self.message_user(request, _("Đã thu hồi các chứng thư số đã chọn."), messages.SUCCESS)


class SealForm(forms.ModelForm):
    upload = forms.FileField(label=_("Ảnh con dấu (PNG)"))

    class Meta:
        model = Seal
        fields = ["agency"]

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            self.png = upload.read()
            try:
                services.check_seal(self.png)
            except services.CertificateRefused as exc:
                self.add_error("upload", exc.message)
        return data


@admin.register(Seal)
class SealAdmin(admin.ModelAdmin):
    form = SealForm
    list_display = ["agency", "uploaded_at"]
    search_fields = ["agency__name"]

    def save_model(self, request, obj, form, change):
        try:
            seal = services.set_seal(form.cleaned_data["agency"], form.png, actor=request.user)
        except services.CertificateRefused as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk = seal.pk


@admin.register(SigningRequest)
class SigningRequestAdmin(admin.ModelAdmin):
    list_display = [
        "transaction_id",
        "attachment",
        "document",
        "signer",
        "state",
        "created_at",
        "expires_at",
        "finished_at",
    ]
    list_filter = ["state"]
    search_fields = ["transaction_id", "attachment__dossier__code"]
    fields = [
        "transaction_id",
        "provider_reference",
        "attachment",
        "document",
        "certificate",
        "signer",
        "state",
        "created_at",
        "expires_at",
        "polled_at",
        "finished_at",
        "note",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    list_display = ["sha256", "kind", "dossier", "reference", "signer", "signed_at", "registered_at"]
    list_filter = ["kind"]
    search_fields = ["sha256", "dossier__code", "reference"]
    list_select_related = ["dossier"]
    readonly_fields = [
        "sha256",
        "kind",
        "dossier",
        "reference",
        "attachment",
        "signer",
        "signed_at",
        "size",
        "registered_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
