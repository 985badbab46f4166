"""Work the task worker does for payments after a change has committed."""

from django.tasks import task

from motcua.payments.models import Receipt
from motcua.payments.services import render_receipt_pdf


@task
def render_receipt(receipt_id: int) -> bool:
    """Render a receipt's PDF from its snapshot; False when a download rendered it first, or it is gone."""
    receipt = Receipt.objects.filter(pk=receipt_id).first()
    if receipt is None:
        return False
    return render_receipt_pdf(receipt)
