from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """75000 → '75.000 đ' (Vietnamese groups thousands with dots); 0 → 'Miễn phí'."""
    if amount in (None, ""):
        return ""
    amount = int(amount)
    if amount == 0:
        return _("Miễn phí")
    return f"{amount:,}".replace(",", ".") + " đ"
