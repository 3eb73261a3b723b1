"""shifts and close of day (issue 7): cash movements, counts by denomination, per-tender shift close, Z reports;
triggers that keep Z reports immutable and closed business days closed

Revision ID: 0006
Revises: 0005

The triggers are a second line behind the services (which refuse first, with a message for people). SQLite
drops a table's triggers with the table: a later migration that rebuilds ``sales``, ``returns``,
``sale_voids`` or ``z_reports`` (batch "recreate") must create the triggers of this file again.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('z_reports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('till_id', sa.String(length=36), nullable=False),
    sa.Column('business_date', sa.String(length=10), nullable=False),
    sa.Column('z_number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('closed_by', sa.String(length=36), nullable=False),
    sa.Column('net_sales_minor', sa.Integer(), nullable=False),
    sa.Column('gross_sales_minor', sa.Integer(), nullable=False),
    sa.Column('grand_total_minor', sa.Integer(), nullable=False),
    sa.Column('gross_grand_total_minor', sa.Integer(), nullable=False),
    sa.Column('report', sa.String(), nullable=False),
    sa.Column('journal_seq', sa.Integer(), nullable=False),
    sa.Column('journal_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['closed_by'], ['users.id'], name=op.f('fk_z_reports_closed_by_users')),
    sa.ForeignKeyConstraint(['till_id'], ['tills.id'], name=op.f('fk_z_reports_till_id_tills')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_z_reports')),
    sa.UniqueConstraint('till_id', 'business_date', name=op.f('uq_z_reports_till_id_business_date')),
    sa.UniqueConstraint('till_id', 'z_number', name=op.f('uq_z_reports_till_id_z_number'))
    )
    op.create_table('cash_counts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('shift_id', sa.String(length=36), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('total_minor', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_cash_counts_shift_id_shifts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cash_counts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_counts'))
    )
    with op.batch_alter_table('cash_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cash_counts_shift_id'), ['shift_id'], unique=False)

    op.create_table('cash_movements',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('shift_id', sa.String(length=36), nullable=False),
    sa.Column('till_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('amount_minor', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('approver_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_cash_movements_approver_id_users')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_cash_movements_shift_id_shifts')),
    sa.ForeignKeyConstraint(['till_id'], ['tills.id'], name=op.f('fk_cash_movements_till_id_tills')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cash_movements_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_movements'))
    )
    with op.batch_alter_table('cash_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cash_movements_shift_id'), ['shift_id'], unique=False)

    op.create_table('shift_tenders',
    sa.Column('shift_id', sa.String(length=36), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('expected_minor', sa.Integer(), nullable=False),
    sa.Column('counted_minor', sa.Integer(), nullable=True),
    sa.Column('variance_minor', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_shift_tenders_shift_id_shifts')),
    sa.PrimaryKeyConstraint('shift_id', 'method', name=op.f('pk_shift_tenders'))
    )
    op.create_table('cash_count_lines',
    sa.Column('count_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('value_minor', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['count_id'], ['cash_counts.id'], name=op.f('fk_cash_count_lines_count_id_cash_counts')),
    sa.PrimaryKeyConstraint('count_id', 'kind', 'value_minor', name=op.f('pk_cash_count_lines'))
    )
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('float_source', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('previous_shift_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('close_kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('handed_to', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('expected_cash_minor', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('counted_cash_minor', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('variance_minor', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('variance_note', sa.String(length=500), nullable=True))

    op.execute("UPDATE shifts SET float_source = 'auto' WHERE float_source IS NULL")
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.drop_column('variance_note')
        batch_op.drop_column('variance_minor')
        batch_op.drop_column('counted_cash_minor')
        batch_op.drop_column('expected_cash_minor')
        batch_op.drop_column('handed_to')
        batch_op.drop_column('close_kind')
        batch_op.drop_column('previous_shift_id')
        batch_op.drop_column('float_source')

    op.drop_table('cash_count_lines')
    op.drop_table('shift_tenders')
    with op.batch_alter_table('cash_movements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cash_movements_shift_id'))

    op.drop_table('cash_movements')
    with op.batch_alter_table('cash_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cash_counts_shift_id'))

    op.drop_table('cash_counts')
    op.drop_table('z_reports')


TRIGGER_NAMES = ("z_reports_no_update", "z_reports_no_delete", "sales_day_closed", "returns_day_closed",
                 "sale_voids_day_closed")
TRIGGERS = (
    """CREATE TRIGGER z_reports_no_update BEFORE UPDATE ON z_reports
       BEGIN SELECT RAISE(ABORT, 'a Z report is immutable'); END""",
    """CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
       BEGIN SELECT RAISE(ABORT, 'a Z report is immutable'); END""",
    """CREATE TRIGGER sales_day_closed BEFORE INSERT ON sales
       WHEN EXISTS (SELECT 1 FROM z_reports z WHERE z.till_id = NEW.till_id AND z.business_date >= NEW.business_date)
       BEGIN SELECT RAISE(ABORT, 'business day closed: a sale cannot be dated on it'); END""",
    """CREATE TRIGGER returns_day_closed BEFORE INSERT ON returns
       WHEN EXISTS (SELECT 1 FROM z_reports z WHERE z.till_id = NEW.till_id AND z.business_date >= NEW.business_date)
       BEGIN SELECT RAISE(ABORT, 'business day closed: a return cannot be dated on it'); END""",
    """CREATE TRIGGER sale_voids_day_closed BEFORE INSERT ON sale_voids
       WHEN EXISTS (SELECT 1 FROM sales s JOIN z_reports z ON z.till_id = s.till_id
                    AND z.business_date >= s.business_date WHERE s.id = NEW.sale_id)
       BEGIN SELECT RAISE(ABORT, 'business day closed: its sales cannot be voided'); END""",
)
