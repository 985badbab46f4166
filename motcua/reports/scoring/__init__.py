"""Scores computed from raw counts by a versioned configuration.

Each index (``d766``: the Decision 766/QĐ-TTg index; ``quality``: the service-quality indicators of
Circular 01/2018 art. 13) is described by JSON files beside this module, ``<index>-v<version>.json``:
groups of components, each component a ratio of two counts (``numerator`` / ``denominator``, names
of ``selectors.Data.count``), a ``target`` ratio and its ``points``:

    points = component points                      when numerator / denominator ≥ target
           = numerator / denominator / target × points   otherwise (rounded half up to 0.01)

and ``if_no_data`` ("full" or "zero") when the denominator is 0. Where the rules say nothing, the
file's ``note`` fields say what was chosen. A rule change is a new file with a new version: the old
version stays, so any period can be scored again with either, the same way every time. The version
used is ``MOTCUA_REPORTS_SCORING[index]`` if set, else the highest.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

HERE = Path(__file__).parent
TWO = Decimal("0.01")
FULL, ZERO = "full", "zero"


@dataclass(frozen=True)
class ComponentRule:
    code: str
    name: str
    numerator: str
    denominator: str
    target: Decimal
    points: Decimal
    if_no_data: str
    note: str = ""


@dataclass(frozen=True)
class GroupRule:
    code: str
    name: str
    max: Decimal
    components: tuple[ComponentRule, ...]


@dataclass(frozen=True)
class Configuration:
    index: str
    version: str
    title: str
    groups: tuple[GroupRule, ...]
    notes: tuple[str, ...] = ()

    @property
    def max(self) -> Decimal:
        return sum((g.max for g in self.groups), Decimal(0))


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    numerator: int
    denominator: int
    target: Decimal
    points: Decimal
    max: Decimal
    ratio: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    points: Decimal
    max: Decimal
    components: list[Component]


@dataclass(frozen=True)
class Score:
    groups: list[Group]
    total: Decimal
    version: str
    index: str = "d766"
    max: Decimal = Decimal(100)

    def group(self, code: str) -> Group:
        return next(g for g in self.groups if g.code == code)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def versions(index: str) -> list[str]:
    """The versions of an index's configuration there are, oldest first."""
    found = [p.stem.split("-v", 1)[1] for p in HERE.glob(f"{index}-v*.json")]
    return sorted(found, key=_version_key)


@cache
def _load(index: str, version: str) -> Configuration:
    path = HERE / f"{index}-v{version}.json"
    if not path.exists():
        raise ImproperlyConfigured(f"No scoring configuration {path.name}.")
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    groups = []
    for g in raw["groups"]:
        components = tuple(
            ComponentRule(
                code=c["code"],
                name=c["name"],
                numerator=c["numerator"],
                denominator=c["denominator"],
                target=Decimal(str(c["target"])),
                points=Decimal(str(c["points"])),
                if_no_data=c.get("if_no_data", FULL),
                note=c.get("note", ""),
            )
            for c in g["components"]
        )
        group = GroupRule(g["code"], g["name"], Decimal(str(g["max"])), components)
        if sum((c.points for c in components), Decimal(0)) != group.max:
            raise ImproperlyConfigured(
                f"{path.name}: the components of {group.code} do not add up to {group.max}."
            )
        for c in components:
            if c.target <= 0 or c.if_no_data not in (FULL, ZERO):
                raise ImproperlyConfigured(f"{path.name}: component {c.code} has a bad target or if_no_data.")
        groups.append(group)
    if raw["version"] != version or raw["index"] != index:
        raise ImproperlyConfigured(f"{path.name} says it is {raw['index']} v{raw['version']}.")
    return Configuration(index, version, raw["title"], tuple(groups), tuple(raw.get("notes", [])))


def configuration(index: str, version: str | None = None) -> Configuration:
    """The configuration of ``index`` in ``version``: the setting's, else the highest there is."""
    chosen = version or getattr(settings, "MOTCUA_REPORTS_SCORING", {}).get(index)
    if not chosen:
        available = versions(index)
        if not available:
            raise ImproperlyConfigured(f"No scoring configuration for {index}.")
        chosen = available[-1]
    return _load(index, chosen)


def component_points(numerator: int, denominator: int, rule: ComponentRule) -> tuple[Decimal, Decimal | None]:
    """(points, ratio) of one component."""
    full = rule.points.quantize(TWO)
    if denominator <= 0:
        return (full if rule.if_no_data == FULL else Decimal("0.00")), None
    ratio = Decimal(numerator) / Decimal(denominator)
    if ratio >= rule.target:
        return full, ratio
    return (ratio / rule.target * rule.points).quantize(TWO, rounding=ROUND_HALF_UP), ratio


def score(count: Callable[[str], int], config: Configuration) -> Score:
    """Score the counts ``count(name)`` by ``config``; the group's points are the sum of its
    components' (each rounded to 0.01), the total the sum of the groups'."""
    groups = []
    for g in config.groups:
        components = []
        for rule in g.components:
            num, den = count(rule.numerator), count(rule.denominator)
            points, ratio = component_points(num, den, rule)
            components.append(
                Component(
                    rule.code,
                    gettext(rule.name),  # the configuration's names are in the catalogue
                    num,
                    den,
                    rule.target,
                    points,
                    rule.points,
                    ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if ratio is not None else None,
                    rule.note,
                )
            )
        groups.append(
            Group(g.code, gettext(g.name), sum((c.points for c in components), Decimal(0)), g.max, components)
        )
    total = sum((g.points for g in groups), Decimal(0))
    return Score(groups, total, config.version, config.index, config.max)
