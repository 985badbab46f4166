"""Check that every compiled translation catalogue (.mo) matches its source (.po).

The .mo files are committed so that a fresh machine needs no gettext; this keeps them honest.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Verify (or with --write, rebuild) the .mo files from the .po files, without gettext."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Rewrite the .mo files.")

    def handle(self, *args, write: bool = False, **options):
        import polib

        stale, unused = [], []
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                po = polib.pofile(str(po_path))
                # A fuzzy or empty entry is never used: the page shows the Vietnamese beside English.
                for entry in po.fuzzy_entries() + po.untranslated_entries():
                    if not entry.obsolete:
                        unused.append(f"{po_path.name}: {entry.msgid[:60]!r}")
                mo_path = po_path.with_suffix(".mo")
                expected = {
                    (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                    for e in po.translated_entries()
                    if not e.obsolete
                }
                actual = {}
                if mo_path.exists():
                    actual = {
                        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                        for e in polib.mofile(str(mo_path))
                    }
                if write:
                    po.save_as_mofile(str(mo_path))
                    self.stdout.write(f"wrote {mo_path} ({len(expected)} messages)")
                elif {k: v for k, v in actual.items() if k[1]} != expected:
                    stale.append(str(mo_path))
        if unused:
            raise CommandError(
                f"{len(unused)} entries fuzzy or untranslated (translate them and drop the fuzzy flag): "
                + "; ".join(unused[:10])
            )
        if stale:
            raise CommandError("Out of date, run `make messages`: " + ", ".join(stale))
        self.stdout.write("Translation catalogues are up to date.")
