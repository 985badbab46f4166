"""A rendered page read as a person with assistive technology would meet it: elements by id, the
error summary, the label and description of each control."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: "Element | None" = None
    children: list["Element | str"] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())

    def walk(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.walk()

    def find_all(self, tag: str = "", cls: str = "") -> list["Element"]:
        return [
            e
            for e in self.walk()
            if (not tag or e.tag == tag) and (not cls or cls in e.attrs.get("class", "").split())
        ]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v if v is not None else "" for k, v in attrs}, parent=self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


class Page:
    def __init__(self, html: str):
        builder = _Builder()
        builder.feed(html)
        self.root = builder.root
        self.elements = list(self.root.walk())

    def by_id(self, id_: str) -> Element:
        found = [e for e in self.elements if e.attrs.get("id") == id_]
        assert len(found) == 1, f"{len(found)} elements with id {id_!r}"
        return found[0]

    def has_id(self, id_: str) -> bool:
        return any(e.attrs.get("id") == id_ for e in self.elements)

    def find_all(self, tag: str = "", cls: str = "") -> list[Element]:
        return self.root.find_all(tag, cls)

    @property
    def title(self) -> str:
        return self.find_all("title")[0].text

    @property
    def summary(self) -> Element | None:
        found = self.find_all("div", "error-summary")
        return found[0] if found else None

    def summary_links(self) -> list[tuple[str, str]]:
        """(href, text) of each item of the error summary."""
        assert self.summary is not None, "no error summary"
        return [(a.attrs["href"], a.text) for a in self.summary.find_all("a")]

    def label_of(self, control: Element) -> str:
        id_ = control.attrs.get("id")
        labels = [e for e in self.elements if e.tag == "label" and id_ and e.attrs.get("for") == id_]
        labels += [a for a in control.ancestors() if a.tag == "label"]
        return " ".join(label.text for label in labels)

    def description_of(self, control: Element) -> str:
        ids = control.attrs.get("aria-describedby", "").split()
        return " ".join(self.by_id(i).text for i in ids)

    def check(self) -> None:
        """One <h1>, no duplicate id, a label for every control, every aria-describedby resolves."""
        assert len(self.find_all("h1")) == 1
        ids = [e.attrs["id"] for e in self.elements if e.attrs.get("id")]
        assert len(ids) == len(set(ids)), f"duplicate ids: {sorted(i for i in ids if ids.count(i) > 1)}"
        for control in self.elements:
            if control.tag not in ("input", "select", "textarea"):
                continue
            if control.tag == "input" and control.attrs.get("type", "text") in UNLABELLED_TYPES:
                continue
            assert self.label_of(control) or control.attrs.get("aria-label"), f"no label: {control.attrs}"
            self.description_of(control)  # each id it names exists
