"""Checks on rendered pages: one <h1>, and a label for every control."""

from html.parser import HTMLParser

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.label_depth = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "h1":
            self.h1 += 1
        elif tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and (attrs.get("type") or "text") in UNLABELLED_TYPES:
                return
            self.controls.append({**attrs, "_tag": tag, "_wrapped": "1" if self.label_depth else ""})

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1


def check_page(html: str) -> None:
    page = _Page()
    page.feed(html)
    assert page.h1 == 1, f"{page.h1} <h1> on the page"
    for control in page.controls:
        labelled = (
            control.get("id") in page.label_for
            or control["_wrapped"]
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        assert labelled, f"no label for {control}"
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
