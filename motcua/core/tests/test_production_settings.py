"""Production settings: refuse to start without a secret key, `check --deploy` clean, CSP everywhere."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "Zq8-3vN_p1Lr7xW2sT9yB4mC6dE0fG5hJ",
    "DJANGO_ALLOWED_HOSTS": "dichvucong.example.vn",
    "DJANGO_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_and_debug_off_the_site_refuses_to_start():
    result = manage("check", **{k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"})

    assert result.returncode != 0 and "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", DJANGO_SECRET_KEY="x" * 60
    )

    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


@pytest.mark.django_db
def test_every_page_has_a_content_security_policy_without_inline_script(client):
    for url in ("/", "/dang-nhap/", "/quan-tri/login/", "/api/openapi.json"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "frame-ancestors 'none'" in policy


def test_no_template_served_as_a_page_has_an_inline_script_or_style():
    pages = [p for p in (REPO / "motcua").rglob("templates/**/*.html") if "notices" not in p.parts]
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\bstyle=|\bon[a-z]+=\"", re.I)

    offenders = [str(p.relative_to(REPO)) for p in pages if inline.search(p.read_text())]

    assert offenders == []
