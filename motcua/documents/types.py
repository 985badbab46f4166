"""The types of administrative documents of Decree 30/2020/NĐ-CP, Appendix III, with their
abbreviations in the notation. Công văn and thư công have none: a công văn's notation is the agency's
abbreviation and the drafting unit's (123/UBND-VP). Seeded by migration 0002; ``ensure_types`` puts
them back where a database was emptied (a test that flushes it, a demo)."""

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


def ensure_types(model=None) -> int:
    """Create the types that are missing (by code); how many were created. ``model`` is the
    migration's historical model, or the app's by default."""
    if model is None:
        from motcua.documents.models import DocumentType as model
    created = 0
    for order, (code, name, abbreviation) in enumerate(TYPES, start=1):
        _row, made = model.objects.get_or_create(
            code=code, defaults={"name": name, "abbreviation": abbreviation, "order": order}
        )
        created += made
    return created
