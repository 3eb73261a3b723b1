"""purchasing: supplier terms, contacts, packs and contract prices; purchase orders; goods receipts; invoices;
daily sales per product (kept by a trigger on stock_movements, filled from the ledger here)

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

from pos_desktop.store.models.purchasing import SALES_DAILY_FILL, SALES_DAILY_TRIGGER


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supplier_contacts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_contacts_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_contacts'))
    )
    with op.batch_alter_table('supplier_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_contacts_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('supplier_terms',
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('min_order_minor', sa.Integer(), nullable=False),
    sa.Column('payment_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_terms_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('supplier_id', name=op.f('pk_supplier_terms'))
    )
    op.create_table('purchase_orders',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('po_no', sa.String(length=40), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('location_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('sent_at', sa.String(length=32), nullable=True),
    sa.Column('expected_date', sa.String(length=10), nullable=True),
    sa.Column('closed_at', sa.String(length=32), nullable=True),
    sa.Column('close_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_purchase_orders_created_by_users')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_purchase_orders_location_id_locations')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_orders_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders')),
    sa.UniqueConstraint('po_no', name=op.f('uq_purchase_orders_po_no'))
    )
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_orders_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('supplier_items',
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('pack_qty_milli', sa.Integer(), nullable=False),
    sa.Column('supplier_sku', sa.String(length=50), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_supplier_items_product_id_products')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_items_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('supplier_id', 'product_id', name=op.f('pk_supplier_items'))
    )
    with op.batch_alter_table('supplier_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_items_product_id'), ['product_id'], unique=False)

    op.create_table('supplier_prices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('price_minor', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.String(length=10), nullable=False),
    sa.Column('valid_to', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_supplier_prices_product_id_products')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_prices_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_prices'))
    )
    with op.batch_alter_table('supplier_prices', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_prices_lookup', ['supplier_id', 'product_id', 'valid_from'], unique=False)

    op.create_table('goods_receipts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('receipt_no', sa.String(length=40), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=True),
    sa.Column('po_id', sa.String(length=36), nullable=True),
    sa.Column('location_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_goods_receipts_location_id_locations')),
    sa.ForeignKeyConstraint(['po_id'], ['purchase_orders.id'], name=op.f('fk_goods_receipts_po_id_purchase_orders')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_goods_receipts_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_goods_receipts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods_receipts')),
    sa.UniqueConstraint('receipt_no', name=op.f('uq_goods_receipts_receipt_no'))
    )
    with op.batch_alter_table('goods_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goods_receipts_po_id'), ['po_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goods_receipts_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('purchase_order_lines',
    sa.Column('po_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('qty_milli', sa.Integer(), nullable=False),
    sa.Column('price_minor', sa.Integer(), nullable=True),
    sa.Column('pack_qty_milli', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['po_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_lines_po_id_purchase_orders')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_purchase_order_lines_product_id_products')),
    sa.PrimaryKeyConstraint('po_id', 'line_no', name=op.f('pk_purchase_order_lines'))
    )
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_lines_product_id'), ['product_id'], unique=False)

    op.create_table('supplier_invoices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('supplier_id', sa.String(length=36), nullable=False),
    sa.Column('invoice_no', sa.String(length=50), nullable=False),
    sa.Column('po_id', sa.String(length=36), nullable=True),
    sa.Column('invoice_date', sa.String(length=10), nullable=False),
    sa.Column('due_date', sa.String(length=10), nullable=False),
    sa.Column('total_minor', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('match_status', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('paid_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_supplier_invoices_created_by_users')),
    sa.ForeignKeyConstraint(['po_id'], ['purchase_orders.id'], name=op.f('fk_supplier_invoices_po_id_purchase_orders')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_invoices_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_invoices')),
    sa.UniqueConstraint('supplier_id', 'invoice_no', name=op.f('uq_supplier_invoices_supplier_id_invoice_no'))
    )
    with op.batch_alter_table('supplier_invoices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_invoices_due_date'), ['due_date'], unique=False)

    op.create_table('goods_receipt_lines',
    sa.Column('receipt_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('po_line_no', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.String(length=36), nullable=True),
    sa.Column('accepted_milli', sa.Integer(), nullable=False),
    sa.Column('rejected_milli', sa.Integer(), nullable=False),
    sa.Column('reject_reason', sa.String(length=200), nullable=True),
    sa.Column('unit_cost_minor', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_goods_receipt_lines_batch_id_batches')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_goods_receipt_lines_product_id_products')),
    sa.ForeignKeyConstraint(['receipt_id'], ['goods_receipts.id'], name=op.f('fk_goods_receipt_lines_receipt_id_goods_receipts')),
    sa.PrimaryKeyConstraint('receipt_id', 'line_no', name=op.f('pk_goods_receipt_lines'))
    )
    with op.batch_alter_table('goods_receipt_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goods_receipt_lines_product_id'), ['product_id'], unique=False)

    op.create_table('supplier_invoice_lines',
    sa.Column('invoice_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('qty_milli', sa.Integer(), nullable=False),
    sa.Column('price_minor', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['supplier_invoices.id'], name=op.f('fk_supplier_invoice_lines_invoice_id_supplier_invoices')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_supplier_invoice_lines_product_id_products')),
    sa.PrimaryKeyConstraint('invoice_id', 'line_no', name=op.f('pk_supplier_invoice_lines'))
    )
    op.create_table('supplier_invoice_receipts',
    sa.Column('invoice_id', sa.String(length=36), nullable=False),
    sa.Column('receipt_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['supplier_invoices.id'], name=op.f('fk_supplier_invoice_receipts_invoice_id_supplier_invoices')),
    sa.ForeignKeyConstraint(['receipt_id'], ['goods_receipts.id'], name=op.f('fk_supplier_invoice_receipts_receipt_id_goods_receipts')),
    sa.PrimaryKeyConstraint('invoice_id', 'receipt_id', name=op.f('pk_supplier_invoice_receipts'))
    )
    with op.batch_alter_table('supplier_invoice_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_invoice_receipts_receipt_id'), ['receipt_id'], unique=False)


    op.create_table('sales_daily',
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('day', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('qty_milli', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('product_id', 'day', name=op.f('pk_sales_daily')),
    sqlite_with_rowid=False
    )
    op.execute(SALES_DAILY_FILL)
    op.execute(SALES_DAILY_TRIGGER)

def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS stock_movements_sales_daily")
    op.drop_table('sales_daily')
    with op.batch_alter_table('supplier_invoice_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_invoice_receipts_receipt_id'))

    op.drop_table('supplier_invoice_receipts')
    op.drop_table('supplier_invoice_lines')
    with op.batch_alter_table('goods_receipt_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goods_receipt_lines_product_id'))

    op.drop_table('goods_receipt_lines')
    with op.batch_alter_table('supplier_invoices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_invoices_due_date'))

    op.drop_table('supplier_invoices')
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_lines_product_id'))

    op.drop_table('purchase_order_lines')
    with op.batch_alter_table('goods_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goods_receipts_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_goods_receipts_po_id'))

    op.drop_table('goods_receipts')
    with op.batch_alter_table('supplier_prices', schema=None) as batch_op:
        batch_op.drop_index('ix_supplier_prices_lookup')

    op.drop_table('supplier_prices')
    with op.batch_alter_table('supplier_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_items_product_id'))

    op.drop_table('supplier_items')
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_orders_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_status'))

    op.drop_table('purchase_orders')
    op.drop_table('supplier_terms')
    with op.batch_alter_table('supplier_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_contacts_supplier_id'))

    op.drop_table('supplier_contacts')
