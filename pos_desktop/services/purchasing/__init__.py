"""Purchase orders and supplier invoices.

A purchase order moves draft → sent → partly_received → received, or draft/sent → cancelled; a partly
received order whose rest will not come is closed (→ received, short). ``receiving.receive_goods`` moves
sent/partly_received forward; everything else here. A move that the order's state does not allow is a
``BadTransition`` (exit 3) naming the state. Writers need ``purchase.manage`` (manager) and are each one
transaction with a journal entry and an outbox event (``purchase_order.created|sent|cancelled|closed``,
``supplier_invoice.recorded|paid``). Readers need nothing.

A supplier invoice is matched three ways, per product: what was ordered (the PO's quantity and price), what
was received (accepted quantity of the receipts it bills), what is invoiced (quantity and price). Differences
are listed, not refused: the invoice is recorded with ``match_status`` ``matched`` or ``differences`` and
appears in the accounts-payable list with its due date (invoice date + the supplier's payment days).

The package: ``states`` (the order's states, ``next_status``, ``BadTransition``), ``figures`` (amounts, money
and quantity text, line checks the others share), ``order_details`` (read an order, list orders), ``orders``
(create, send, cancel, close), ``invoices`` (record an invoice), ``matching`` (the three-way match, the
invoice as a document), ``payables`` (pay, show, accounts payable).
"""

from .invoices import InvoiceInput, InvoiceLineInput, record_invoice
from .order_details import list_pos, po_details, po_row, received_by_line
from .orders import PoLineInput, add_draft, cancel_po, close_po, create_po, send_po
from .payables import accounts_payable, invoice_details, pay_invoice
from .states import (
    CANCELLED,
    DRAFT,
    PARTLY,
    RECEIVABLE,
    RECEIVED,
    SENT,
    STATUSES,
    TRANSITIONS,
    BadTransition,
    next_status,
    status_name,
)

__all__ = ["CANCELLED", "DRAFT", "PARTLY", "RECEIVABLE", "RECEIVED", "SENT", "STATUSES", "TRANSITIONS",
           "BadTransition", "InvoiceInput", "InvoiceLineInput", "PoLineInput", "accounts_payable", "add_draft",
           "cancel_po", "close_po", "create_po", "invoice_details", "list_pos", "next_status", "pay_invoice",
           "po_details", "po_row", "received_by_line", "record_invoice", "send_po", "status_name"]
