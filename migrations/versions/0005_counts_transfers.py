"""stock counts (lines, counters' entries) and transfers; partial indexes for recalls, dead-stock and low-stock alerts

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('transfers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('from_store', sa.String(length=10), nullable=False),
    sa.Column('from_location', sa.String(length=10), nullable=False),
    sa.Column('to_store', sa.String(length=10), nullable=False),
    sa.Column('to_location', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('shipped_by', sa.String(length=50), nullable=True),
    sa.Column('shipped_at', sa.String(length=32), nullable=True),
    sa.Column('received_by', sa.String(length=50), nullable=True),
    sa.Column('received_at', sa.String(length=32), nullable=True),
    sa.Column('settled_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_transfers_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers')),
    sa.UniqueConstraint('number', name=op.f('uq_transfers_number'))
    )
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfers_status'), ['status'], unique=False)

    op.create_table('stock_counts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('location_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('category_id', sa.String(length=36), nullable=True),
    sa.Column('stale_days', sa.Integer(), nullable=True),
    sa.Column('blind', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('finished_by', sa.String(length=36), nullable=True),
    sa.Column('finished_at', sa.String(length=32), nullable=True),
    sa.Column('approved_by', sa.String(length=36), nullable=True),
    sa.Column('approved_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['approved_by'], ['users.id'], name=op.f('fk_stock_counts_approved_by_users')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_stock_counts_category_id_categories')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_stock_counts_created_by_users')),
    sa.ForeignKeyConstraint(['finished_by'], ['users.id'], name=op.f('fk_stock_counts_finished_by_users')),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_stock_counts_location_id_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_counts')),
    sa.UniqueConstraint('number', name=op.f('uq_stock_counts_number'))
    )
    with op.batch_alter_table('stock_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_counts_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_counts_status'), ['status'], unique=False)

    op.create_table('transfer_lines',
    sa.Column('transfer_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('sku', sa.String(length=50), nullable=False),
    sa.Column('lot', sa.String(length=40), nullable=True),
    sa.Column('expiry', sa.String(length=10), nullable=True),
    sa.Column('qty_milli', sa.Integer(), nullable=False),
    sa.Column('received_milli', sa.Integer(), nullable=True),
    sa.Column('damaged_milli', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('unit_cost_minor', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_transfer_lines_product_id_products')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_transfer_lines_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('transfer_id', 'line_no', name=op.f('pk_transfer_lines'))
    )
    with op.batch_alter_table('transfer_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_lines_product_id'), ['product_id'], unique=False)

    op.create_table('count_entries',
    sa.Column('count_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('batch_id', sa.String(length=36), nullable=True),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('qty_milli', sa.Integer(), nullable=False),
    sa.Column('scanned', sa.String(length=120), nullable=True),
    sa.Column('recorded_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_count_entries_batch_id_batches')),
    sa.ForeignKeyConstraint(['count_id'], ['stock_counts.id'], name=op.f('fk_count_entries_count_id_stock_counts')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_count_entries_product_id_products')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_count_entries_user_id_users')),
    sa.PrimaryKeyConstraint('count_id', 'seq', name=op.f('pk_count_entries'))
    )
    with op.batch_alter_table('count_entries', schema=None) as batch_op:
        batch_op.create_index('ix_count_entries_line', ['count_id', 'product_id'], unique=False)

    op.create_table('count_lines',
    sa.Column('count_id', sa.String(length=36), nullable=False),
    sa.Column('product_id', sa.String(length=36), nullable=False),
    sa.Column('in_scope', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('expected_milli', sa.Integer(), nullable=False),
    sa.Column('expected_batches', sa.String(), nullable=True),
    sa.Column('expected_at', sa.String(length=32), nullable=True),
    sa.Column('counted_milli', sa.Integer(), nullable=False),
    sa.Column('unit_cost_minor', sa.Integer(), nullable=True),
    sa.Column('posted_milli', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['count_id'], ['stock_counts.id'], name=op.f('fk_count_lines_count_id_stock_counts')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_count_lines_product_id_products')),
    sa.PrimaryKeyConstraint('count_id', 'product_id', name=op.f('pk_count_lines'))
    )
    with op.batch_alter_table('count_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_count_lines_product_id'), ['product_id'], unique=False)

    # Plain CREATE INDEX (no batch copy of two of the largest tables).
    op.create_index('ix_products_reorder_point', 'products', ['reorder_point_milli'], unique=False,
                    sqlite_where=sa.text('reorder_point_milli IS NOT NULL'))
    op.create_index('ix_stock_movements_batch', 'stock_movements', ['batch_id'], unique=False,
                    sqlite_where=sa.text('batch_id IS NOT NULL'))
    op.create_index('ix_stock_movements_sales', 'stock_movements', ['product_id', 'created_at'], unique=False,
                    sqlite_where=sa.text("reason = 'sale'"))



def downgrade() -> None:
    op.drop_index('ix_stock_movements_sales', table_name='stock_movements')
    op.drop_index('ix_stock_movements_batch', table_name='stock_movements')
    op.drop_index('ix_products_reorder_point', table_name='products')

    with op.batch_alter_table('count_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_count_lines_product_id'))

    op.drop_table('count_lines')
    with op.batch_alter_table('count_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_count_entries_line')

    op.drop_table('count_entries')
    with op.batch_alter_table('transfer_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_lines_product_id'))

    op.drop_table('transfer_lines')
    with op.batch_alter_table('stock_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_counts_status'))
        batch_op.drop_index(batch_op.f('ix_stock_counts_location_id'))

    op.drop_table('stock_counts')
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfers_status'))

    op.drop_table('transfers')
