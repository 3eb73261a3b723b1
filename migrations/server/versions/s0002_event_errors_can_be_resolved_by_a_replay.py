"""Event errors can be resolved by a replay (pos server admin replay-errors)

Revision ID: s0002
Revises: s0001
Create Date: 2026-11-27 16:04:24.745008
"""
from alembic import op
import sqlalchemy as sa


revision = 's0002'
down_revision = 's0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event_errors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resolved_at', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('event_errors', schema=None) as batch_op:
        batch_op.drop_column('resolved_at')
