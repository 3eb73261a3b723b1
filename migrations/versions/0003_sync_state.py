"""the till's sync state (pull cursor, acknowledged sequence, last attempt, clock skew)

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cursor", sa.String(length=100), nullable=False),
        sa.Column("acked_through", sa.Integer(), nullable=True),
        sa.Column("last_attempt", sa.String(length=32), nullable=True),
        sa.Column("last_sync", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("push_acked", sa.Boolean(), nullable=False),
        sa.Column("needs_reenrol", sa.Boolean(), nullable=False),
        sa.Column("server_time", sa.String(length=40), nullable=True),
        sa.Column("clock_skew_seconds", sa.Integer(), nullable=True),
        sa.Column("clock_skew_since", sa.String(length=32), nullable=True),
        sa.Column("sanity", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.execute("INSERT INTO sync_state (id, cursor, online, push_acked, needs_reenrol) VALUES (1, '', 0, 0, 0)")


def downgrade() -> None:
    op.drop_table("sync_state")
