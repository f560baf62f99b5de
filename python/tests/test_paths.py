"""ein.einsum_path against opt_einsum's published costs (forward.json)."""
import numpy as np
import pytest

import ein
from conftest import load

CASES = [c for c in load("forward.json") if "opt_einsum" in c]


@pytest.mark.parametrize("case", CASES, ids=[c["eq"] for c in CASES])
def test_costs_against_opt_einsum(case):
    shapes = [tuple(s) for s in case["shapes"]]
    published = case["opt_einsum"]
    for algorithm in ("greedy", "optimal", "dp", "auto"):
        path, info = ein.einsum_path(case["eq"], *shapes, optimize=algorithm)
        assert info.path == path
        assert len(path) >= 1
        naive = published.get("greedy", published.get("optimal"))["naive_flops"]
        assert info.naive_cost == naive
        if algorithm == "greedy" and "greedy" in published:
            assert info.opt_cost <= published["greedy"]["flops"]
        elif algorithm in ("optimal", "dp"):
            assert info.opt_cost <= case["opt_einsum_best_flops"]
        elif algorithm == "auto" and "auto-hq" in published:
            assert info.opt_cost <= published["auto-hq"]["flops"]
        # The path reproduces its cost, and the einsum its result.
        _, again = ein.einsum_path(case["eq"], *shapes, optimize=path)
        assert again.opt_cost == info.opt_cost


def test_info_fields_and_text():
    a, b, c = np.ones((2, 3)), np.ones((3, 4)), np.ones((4, 5))
    path, info = ein.einsum_path("ij,jk,kl->il", a, b, c, optimize="optimal")
    assert path == [(0, 1), (0, 1)]
    assert info.opt_cost == 2 * 2 * 3 * 4 + 2 * 2 * 4 * 5
    assert info.naive_cost == 3 * 2 * 3 * 4 * 5
    assert info.speedup == pytest.approx(info.naive_cost / info.opt_cost)
    assert info.largest_intermediate == 10
    assert info.scale_list == [3, 3]
    assert info.contraction_list == ["ij,jk->ik", "kl,ik->il"]
    text = str(info)
    assert "Complete contraction:  ij,jk,kl->il" in text
    assert "Optimized FLOP count:  1.280e+02" in text
    # Shapes and arrays give the same answer.
    assert ein.einsum_path("ij,jk,kl->il", (2, 3), (3, 4), (4, 5),
                           optimize="optimal")[0] == path


def test_explicit_path_costs():
    path, info = ein.einsum_path("ij,jk,kl->il", (2, 3), (3, 4), (4, 5),
                                 optimize=[(1, 2), (0, 1)])
    assert path == [(1, 2), (0, 1)]
    assert info.opt_cost == 2 * 3 * 4 * 5 + 2 * 2 * 3 * 5
