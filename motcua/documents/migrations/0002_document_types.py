"""The types of administrative documents of Decree 30/2020/NĐ-CP, Appendix III, with their
abbreviations. Công văn and thư công have no abbreviation: a công văn's notation is the agency's
abbreviation and the drafting unit's (123/UBND-VP)."""

from django.db import migrations

from motcua.documents.types import TYPES, ensure_types



def seed(apps, schema_editor):
    ensure_types(apps.get_model("documents", "DocumentType"))


def unseed(apps, schema_editor):
    apps.get_model("documents", "DocumentType").objects.filter(code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
