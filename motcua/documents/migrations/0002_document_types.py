"""The types of administrative documents of Decree 30/2020/NĐ-CP, Appendix III, with their
abbreviations. Công văn and thư công have no abbreviation: a công văn's notation is the agency's
abbreviation and the drafting unit's (123/UBND-VP)."""

from django.db import migrations

TYPES = [
    ("nghi-quyet", "Nghị quyết", "NQ"),
    ("quyet-dinh", "Quyết định", "QĐ"),
    ("chi-thi", "Chỉ thị", "CT"),
    ("quy-che", "Quy chế", "QC"),
    ("quy-dinh", "Quy định", "QyĐ"),
    ("thong-cao", "Thông cáo", "TC"),
    ("thong-bao", "Thông báo", "TB"),
    ("huong-dan", "Hướng dẫn", "HD"),
    ("chuong-trinh", "Chương trình", "CTr"),
    ("ke-hoach", "Kế hoạch", "KH"),
    ("phuong-an", "Phương án", "PA"),
    ("de-an", "Đề án", "ĐA"),
    ("du-an", "Dự án", "DA"),
    ("bao-cao", "Báo cáo", "BC"),
    ("bien-ban", "Biên bản", "BB"),
    ("to-trinh", "Tờ trình", "TTr"),
    ("hop-dong", "Hợp đồng", "HĐ"),
    ("cong-van", "Công văn", ""),
    ("cong-dien", "Công điện", "CĐ"),
    ("ban-ghi-nho", "Bản ghi nhớ", "GN"),
    ("ban-thoa-thuan", "Bản thỏa thuận", "TTh"),
    ("giay-uy-quyen", "Giấy ủy quyền", "GUQ"),
    ("giay-moi", "Giấy mời", "GM"),
    ("giay-gioi-thieu", "Giấy giới thiệu", "GGT"),
    ("giay-nghi-phep", "Giấy nghỉ phép", "GNP"),
    ("phieu-gui", "Phiếu gửi", "PG"),
    ("phieu-chuyen", "Phiếu chuyển", "PC"),
    ("phieu-bao", "Phiếu báo", "PB"),
    ("thu-cong", "Thư công", ""),
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (code, name, abbreviation) in enumerate(TYPES, start=1):
        DocumentType.objects.update_or_create(
            code=code, defaults={"name": name, "abbreviation": abbreviation, "order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("documents", "DocumentType").objects.filter(code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
