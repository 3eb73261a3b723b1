"""product search index (FTS5 trigram over name, SKU, pinyin key)

Revision ID: 0002
Revises: 0001
"""
from alembic import op

from pos_desktop.store import search_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_index.create(op.execute)


def downgrade() -> None:
    search_index.drop_triggers(op.execute)
    op.execute(f"DROP TABLE IF EXISTS {search_index.TABLE}")
