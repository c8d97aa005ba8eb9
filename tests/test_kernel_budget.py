"""The kernel budget on its own, with a clock the test moves: pages open at once
are bounded overall and per address, a page that went away makes room for a new
one, and a kernel whose page never connected is given up after the grace.
The served behaviour is tested in tests/browser/test_server_budget.py."""

from __future__ import annotations

import pytest

from kit.kernels import ABANDONED_AFTER, Full, KernelBudget, full_page
from kit.limits import kernel_budget


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def opened(budget: KernelBudget, address: str, kernel: str):
    """A page from ``address`` that got ``kernel`` and was sent."""
    visit, given_up = budget.admit(address)
    budget.bind(visit, kernel)
    budget.sent(visit)
    return given_up


def test_one_address_gets_its_share_and_others_still_get_pages():
    budget = KernelBudget(total=5, per_address=2, grace=60, clock=Clock())
    opened(budget, "10.0.0.5", "a")
    opened(budget, "10.0.0.5", "b")
    with pytest.raises(Full) as full:
        budget.admit("10.0.0.5")
    assert full.value.mine
    opened(budget, "10.0.0.6", "c")
    opened(budget, "10.0.0.7", "d")
    opened(budget, "10.0.0.8", "e")
    with pytest.raises(Full) as full:
        budget.admit("10.0.0.9")
    assert not full.value.mine
    assert len(budget) == 5


def test_a_request_that_took_no_kernel_frees_its_place():
    budget = KernelBudget(total=1, per_address=1, grace=60, clock=Clock())
    visit, _ = budget.admit("10.0.0.5")
    budget.sent(visit)  # a redirect, or a failure before a kernel was taken
    opened(budget, "10.0.0.5", "a")


def test_a_page_that_went_away_makes_room_for_a_new_one_after_a_while():
    clock = Clock()
    budget = KernelBudget(total=10, per_address=1, grace=60, clock=clock)
    opened(budget, "10.0.0.5", "crashed")
    budget.connected("crashed")
    budget.disconnected("crashed")
    with pytest.raises(Full):  # a reload or a short drop reconnects: not yet given up
        budget.admit("10.0.0.5")
    clock.now += ABANDONED_AFTER
    assert opened(budget, "10.0.0.5", "next") == ["crashed"]


def test_a_kernel_whose_page_never_connected_is_given_up_after_the_grace_and_no_other():
    clock = Clock()
    budget = KernelBudget(total=10, per_address=5, grace=60, clock=clock)
    opened(budget, "10.0.0.5", "script")
    opened(budget, "10.0.0.6", "browser")
    budget.connected("browser")
    rendering, _ = budget.admit("10.0.0.7")  # its page is still being prepared
    budget.bind(rendering, "slow")
    clock.now += 59
    assert budget.unconnected() == []
    clock.now += 2
    assert budget.unconnected() == ["script"]
    assert len(budget) == 2


def test_kernels_that_are_gone_are_forgotten():
    budget = KernelBudget(total=1, per_address=1, grace=60, clock=Clock())
    opened(budget, "10.0.0.5", "closed")
    budget.keep(alive=set())
    opened(budget, "10.0.0.5", "again")


def test_the_room_sizes_the_budget():
    assert kernel_budget(None) <= kernel_budget(40) and kernel_budget(60) == 120


def test_the_full_page_says_what_to_do_in_japanese_and_escapes_the_address():
    mine = full_page(True, '/voila/render/01_assessment.ipynb?ws="><script>')
    assert "タブを閉じて" in mine and "<script>" not in mine
    assert "満員" in full_page(False, "/")
