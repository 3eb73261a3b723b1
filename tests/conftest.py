"""Shared fixtures: a migrated, seeded till database built once per test process and copied per test."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pos_desktop.core.barcodes import append_check_digit  # noqa: E402
from pos_desktop.core.clock import FixedClock  # noqa: E402
from pos_desktop.services import auth, members, till  # noqa: E402
from pos_desktop.services.products import ProductRow, upsert_products  # noqa: E402
from pos_desktop.services.unit import write  # noqa: E402

TZ = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)

COLA = "6901234567892"        # valid EAN-13, China prefix 690
COLA_6 = append_check_digit("690123456790")   # six-pack of cola
CHIPS = append_check_digit("690123456791")
MILK = append_check_digit("690123456792")
SOAP = append_check_digit("690123456793")

CATALOG = [
    ProductRow("COLA", "可口可乐 Coca-Cola 330ml", D("3.50"), barcodes=((COLA, D(1)), (COLA_6, D(6))),
               cost=D("2.10"), category="饮料 Drinks", supplier="SUP01"),
    ProductRow("CHIPS", "乐事薯片 Lay's chips 75g", D("7.90"), barcodes=((CHIPS, D(1)),), cost=D("5.00"),
               category="零食 Snacks", member_price=D("6.90")),
    ProductRow("MILK", "伊利纯牛奶 Yili milk 250ml", D("2.80"), tax_rate=D("0.09"), barcodes=((MILK, D(1)),),
               cost=D("2.00"), category="乳制品 Dairy", track_batches=True, track_expiry=True),
    ProductRow("SOAP", "舒肤佳香皂 Safeguard soap", D("4.50"), barcodes=((SOAP, D(1)),), cost=D("3.00"),
               category="个人护理 Personal care"),
    ProductRow("APPLE-KG", "红富士苹果 Fuji apple", D("12.80"), tax_rate=D("0.09"), unit="kg", is_weighed=True,
               plu="12345", cost=D("8.00"), category="水果 Fruit"),
]


def _build_template(folder: Path) -> None:
    ctx = till.init_till(folder, store_code="S01", store_name="测试店 Test Store", till_code="T01",
                         admin_user="admin", admin_pin="1234", clock=FixedClock(T0 - timedelta(days=1)))
    admin = auth.login(ctx, "admin", "1234")
    auth.add_user(ctx, admin, "amy", "cashier", "1111")
    auth.add_user(ctx, admin, "sam", "supervisor", "3333")
    auth.add_user(ctx, admin, "mia", "manager", "9999")
    auth.add_user(ctx, admin, "ken", "stock_clerk", "4444")
    with write(ctx) as unit:
        upsert_products(unit, CATALOG, 2)
    members.enrol_member(ctx, admin, code="M0001", name="王芳", phone="13800000001")
    ctx.close()


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template") / "till"
    _build_template(folder)
    return folder


@pytest.fixture
def till_dir(template_dir: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded till for this test (copying beats migrating each time)."""
    folder = tmp_path / "till"
    shutil.copytree(template_dir, folder)
    return folder


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def ctx(till_dir: Path, clock: FixedClock):
    context = till.open_till(till_dir, clock)
    yield context
    context.close()


@pytest.fixture
def admin(ctx):
    return auth.login(ctx, "admin", "1234")


@pytest.fixture
def cashier(ctx):
    return auth.login(ctx, "amy", "1111")


@pytest.fixture
def manager(ctx):
    return auth.login(ctx, "mia", "9999")


@pytest.fixture
def supervisor(ctx):
    return auth.login(ctx, "sam", "3333")


@pytest.fixture(autouse=True)
def language_stays_english():
    """Every test starts and ends in English (the source language); a test that switches may not leak it."""
    from pos_desktop.core.i18n import current_language, set_language
    set_language("en")
    yield
    if current_language() != "en":
        set_language("en")
