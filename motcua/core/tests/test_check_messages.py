"""``manage.py check_messages`` (run by ``make lint``) refuses a catalogue whose compiled file lags
its source, and one with entries the site would never use (fuzzy or untranslated: the English page
would show the Vietnamese text)."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

SOURCE = Path(__file__).resolve().parents[2] / "locale"


@pytest.fixture
def catalogue(settings, tmp_path):
    """A copy of the project's catalogues, checked instead of them."""
    copy = tmp_path / "locale"
    shutil.copytree(SOURCE, copy)
    settings.LOCALE_PATHS = [copy]
    return copy / "en" / "LC_MESSAGES" / "django.po"


def test_the_projects_catalogues_pass(capsys):
    call_command("check_messages")
    assert "up to date" in capsys.readouterr().out


def test_a_fuzzy_entry_is_refused_even_when_compiled(catalogue):
    po = polib.pofile(str(catalogue))
    po.find("Văn bản đến").flags.append("fuzzy")
    po.save()
    po.save_as_mofile(str(catalogue.with_suffix(".mo")))

    with pytest.raises(CommandError, match=r"1 entries fuzzy or untranslated.*Văn bản đến"):
        call_command("check_messages")


def test_an_untranslated_entry_and_a_stale_compiled_file_are_refused(catalogue):
    po = polib.pofile(str(catalogue))
    po.append(polib.POEntry(msgid="Một câu chưa dịch", msgstr=""))
    po.save()
    with pytest.raises(CommandError, match=r"untranslated.*Một câu chưa dịch"):
        call_command("check_messages")

    po.find("Một câu chưa dịch").msgstr = "A sentence not translated before"
    po.save()
    with pytest.raises(CommandError, match="Out of date"):
        call_command("check_messages")
    call_command("check_messages", "--write")
    call_command("check_messages")
