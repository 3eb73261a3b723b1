"""Tamper evidence on the server (journal links and alerts) and head office's TOTP secret

Revision ID: s0003
Revises: s0002
Create Date: 2026-11-27 17:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = 's0003'
down_revision = 's0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'journal_links',
        sa.Column('enrolment_id', sa.String(length=36), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.Column('received_at', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'],
                                name=op.f('fk_journal_links_enrolment_id_enrolments')),
        sa.PrimaryKeyConstraint('enrolment_id', 'seq', name=op.f('pk_journal_links')),
    )
    op.create_table(
        'journal_alerts',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('enrolment_id', sa.String(length=36), nullable=False),
        sa.Column('store_id', sa.String(length=36), nullable=False),
        sa.Column('till_code', sa.String(length=10), nullable=False),
        sa.Column('first_bad_entry', sa.BigInteger(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('detected_at', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'],
                                name=op.f('fk_journal_alerts_enrolment_id_enrolments')),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_journal_alerts_store_id_stores')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_alerts')),
    )
    op.create_index('ix_journal_alerts_store_till', 'journal_alerts', ['store_id', 'till_code'], unique=False)
    op.create_table(
        'admin_totp',
        sa.Column('id', sa.String(length=20), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_totp')),
    )


def downgrade() -> None:
    op.drop_table('admin_totp')
    op.drop_index('ix_journal_alerts_store_till', table_name='journal_alerts')
    op.drop_table('journal_alerts')
    op.drop_table('journal_links')
