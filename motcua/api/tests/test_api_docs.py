"""/api/docs works without internet: Swagger UI's script, styles and icons come from this site."""

import json
import re
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.swagger_settings = ""
        self._in_settings = False

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]
        self._in_settings = tag == "script" and found.get("id") == "swagger-settings"

    def handle_data(self, data):
        if self._in_settings:
            self.swagger_settings += data

    def handle_endtag(self, tag):
        self._in_settings = False


def test_the_api_docs_reference_no_external_host():
    response = Client().get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    page = _References()
    page.feed(html)
    assert len(page.urls) >= 3  # the bundle, the init script, the stylesheet (and icons)
    assert "://" not in html and "//cdn" not in html
    for url in page.urls:
        assert url.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/"), url
        assert not url.startswith("//"), url
        assert finders.find(re.sub(r"^/?static/", "", url)), f"{url} is not a static file of this site"
    swagger = json.loads(page.swagger_settings)
    assert swagger["validatorUrl"] is None  # no badge fetched from validator.swagger.io
    assert swagger["url"] == "/api/openapi.json"
