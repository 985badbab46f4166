from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")
    STAFF = "staff", _("Cán bộ, công chức")


class Role(models.TextChoices):
    RECEPTION = "reception", _("Cán bộ tiếp nhận (một cửa)")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo phê duyệt")
    # Registers, numbers, issues and sends official documents (Decree 30/2020, motcua.documents).
    CLERK = "clerk", _("Văn thư")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    PROVINCE_ADMIN = "province_admin", _("Quản trị cấp tỉnh")


class ClientScope(models.TextChoices):
    """What a machine client of the API may do (docs/decisions/0011-api-clients.md). Each API operation
    open to clients names the one scope it needs; a client without it gets 403, and the attempt is
    written to the access log."""

    CATALOGUE_READ = "catalogue.read", _("Đọc danh mục thủ tục, đơn vị hành chính")
    DOSSIERS_READ = "dossiers.read", _("Đọc hồ sơ của các cơ quan được giao (dữ liệu cá nhân)")
    DOSSIERS_ACT = "dossiers.act", _("Xử lý hồ sơ, nhân danh cán bộ được chỉ định")
    NATIONAL_SYNC = "national.sync", _("Đồng bộ với Cổng Dịch vụ công quốc gia")
    REPORTS_READ = "reports.read", _("Đọc báo cáo, chỉ số")


class AccessChannel(models.TextChoices):
    PAGE = "page", _("Trang cán bộ")
    API = "api", _("API")
