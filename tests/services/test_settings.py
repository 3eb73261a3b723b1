import sqlite3

import pytest

from pos_desktop.core.errors import InvalidInput, PermissionDenied
from pos_desktop.services import settings, till


def test_admin_changes_settings_and_they_stick(ctx, admin, till_dir):
    stored = settings.update_settings(ctx, admin, {"cash_rounding": "drop_fen", "quick_keys": "APPLE-KG, COLA",
                                                   "receipt_header": "欢迎光临"})
    assert stored["quick_keys"] == ["APPLE-KG", "COLA"] and ctx.setting("cash_rounding") == "drop_fen"
    again = till.open_till(till_dir)
    try:
        assert again.setting("receipt_header") == "欢迎光临"
    finally:
        again.close()
    conn = sqlite3.connect(till_dir / "pos.db")
    assert conn.execute("SELECT count(*) FROM journal WHERE kind = 'settings_changed'").fetchone() == (1,)
    conn.close()


def test_only_admin_and_only_valid_values(ctx, manager, admin):
    with pytest.raises(PermissionDenied):
        settings.update_settings(ctx, manager, {"cash_rounding": "drop_fen"})
    with pytest.raises(InvalidInput, match="Cash rounding must be one of"):
        settings.update_settings(ctx, admin, {"cash_rounding": "sometimes"})
    with pytest.raises(InvalidInput, match="Unknown setting"):
        settings.update_settings(ctx, admin, {"colour": "red"})
