"""The whole permission matrix through the services (issue 9, point 6): every action × every role, alone,
with the override of the one who may approve it, and with an override by someone who may not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pos_desktop.core.errors import PermissionDenied
from pos_desktop.core.permissions import Action, Role, allowed
from pos_desktop.core.clock import FixedClock
from pos_desktop.services import till
from pos_desktop.services.auth import Operator
from tests.conftest import T0
from tests.security.matrix import ENFORCED_ELSEWHERE, PROBES, USERS, cases, expected

ROOT = Path(__file__).resolve().parents[2]


def operators(ctx) -> dict[Role, Operator]:  # type: ignore[no-untyped-def]
    """The template's users as operators (their PINs are checked by the login tests, not 280 times here)."""
    rows = ctx.products.query("SELECT id, username, display_name, role FROM users")
    by_name = {name: Operator(uid, name, shown, Role(role)) for uid, name, shown, role in rows}
    return {role: by_name[name] for role, (name, _pin) in USERS.items()}


def writes(ctx) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return tuple(ctx.products.query("SELECT (SELECT count(*) FROM journal), (SELECT count(*) FROM outbox)")[0])


def test_every_action_has_a_probe() -> None:
    assert set(PROBES) == set(Action), f"add a probe for {sorted(set(Action) - set(PROBES))} in matrix.py"


def test_actions_enforced_outside_the_services_are_the_listed_ones() -> None:
    """Each action appears in a ``require`` of services/ — except those ENFORCED_ELSEWHERE says."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "pos_desktop" / "services").rglob("*.py"))
    unchecked = {a for a in Action if f"Action.{a.name}" not in text}
    assert unchecked <= set(ENFORCED_ELSEWHERE), sorted(unchecked - set(ENFORCED_ELSEWHERE))


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_matrix_through_the_services(action: Action, template_dir: Path, tmp_path: Path) -> None:
    """Every role alone and, where it lacks the action, with the approver who may have it. Refusals share
    one till (a refusal writes nothing: journal and outbox unchanged); allowed runs go on it too, except
    where the probe needs a till of its own."""
    probe = PROBES[action]
    opened: list = []

    def fresh():  # type: ignore[no-untyped-def]
        folder = tmp_path / f"till{len(opened)}"
        shutil.copytree(template_dir, folder)
        opened.append(till.open_till(folder, FixedClock(T0)))
        return opened[-1]

    try:
        shared = fresh()
        ops = operators(shared)
        made: dict[int, dict] = {}
        for _action, role, approver in [c for c in cases() if c[0] == action]:
            may = expected(role, action, approver, probe.takes_approver)
            ctx = fresh() if may and probe.fresh else shared
            if id(ctx) not in made:
                made[id(ctx)] = {"dir": tmp_path, **(probe.setup(ctx, ops[Role.ADMIN], tmp_path) if probe.setup
                                                     else {})}
            state = made.pop(id(ctx)) if may else made[id(ctx)]
            before = writes(ctx)
            helper = ops[approver] if approver else None
            if may:
                probe.run(ctx, ops[role], helper, state)
                continue
            with pytest.raises(PermissionDenied) as refused:
                probe.run(ctx, ops[role], helper, state)
            assert ops[role].username in refused.value.message or approver, refused.value.message
            assert writes(ctx) == before, (role, approver)   # refused: nothing written, not even a journal entry
    finally:
        for ctx in opened:
            ctx.close()


@pytest.mark.parametrize("action", [a for a in Action if PROBES[a].takes_approver and not allowed(Role.CASHIER, a)],
                         ids=lambda a: a.value)
def test_an_approver_who_lacks_the_action_cannot_approve_it(action: Action, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A cashier asking another cashier: refused, nothing written; the message names who must approve."""
    ops = operators(ctx)
    peer = Operator("x", "bob", "bob", Role.CASHIER)
    state = {"dir": tmp_path}
    if PROBES[action].setup:
        state.update(PROBES[action].setup(ctx, ops[Role.ADMIN], tmp_path))
    before = writes(ctx)
    with pytest.raises(PermissionDenied, match="bob may not approve|a manager must approve"):
        PROBES[action].run(ctx, ops[Role.CASHIER], peer, state)
    assert writes(ctx) == before


@pytest.mark.parametrize("action", [a for a in Action if not allowed(Role.CASHIER, a) and a not in ENFORCED_ELSEWHERE
                                    and any(allowed(r, a) for r in (Role.SUPERVISOR, Role.MANAGER))],
                         ids=lambda a: a.value)
def test_the_refusal_asks_for_an_approval_only_where_one_is_taken(action: Action, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What the cashier reads: "a manager must approve" where a manager's override is accepted, "a manager must
    do it" where the service takes none (asking for an approval there would send them looking for nothing)."""
    ops = operators(ctx)
    state = {"dir": tmp_path}
    if PROBES[action].setup:
        state.update(PROBES[action].setup(ctx, ops[Role.ADMIN], tmp_path))
    with pytest.raises(PermissionDenied) as refused:
        PROBES[action].run(ctx, ops[Role.CASHIER], None, state)
    wanted = "a manager must approve" if PROBES[action].takes_approver else "a manager must do it"
    assert refused.value.message.endswith(wanted), refused.value.message
