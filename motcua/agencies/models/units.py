import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.agencies.constants import UnitType


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "UnitQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self) -> "UnitQuerySet":
        return self.filter(valid_to__isnull=True)


class AdministrativeUnit(models.Model):
    """An administrative unit (đơn vị hành chính) with its official code.

    Units form a tree of any depth (two tiers since 1 July 2025, three before). A unit that was
    merged away keeps its row, with ``valid_to`` set and ``successors`` pointing at the units
    that took it over.
    """

    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=200)
    codename = models.CharField(_("tên mã"), max_length=200, blank=True)
    type = models.CharField(_("loại"), max_length=20, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", verbose_name=_("đơn vị kế thừa"), symmetrical=False, blank=True, related_name="predecessors"
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_per_period"),
            # Legacy units have no known start; their codes are unique among themselves.
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_from__isnull=True), name="unit_code_legacy"
            ),
        ]
        indexes = [models.Index(fields=["parent", "code"]), models.Index(fields=["valid_to", "type"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def ancestors(self) -> list["AdministrativeUnit"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain
