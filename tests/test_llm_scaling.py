"""Scale (dlcourse.llm.scaling): parameter counts against a built GPT, 6 N D, and Chinchilla's
compute-optimal allocation against numeric minimisation with scipy.optimize."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from dlcourse.llm.scaling import (CHINCHILLA, chinchilla_exponents, chinchilla_loss, compute_optimal_allocation,
                                  parameter_count, training_flops)


@pytest.mark.backend_neutral
@pytest.mark.parametrize("options", [
    {},
    {"tie_weights": False},
    {"feedforward": "swiglu", "normalization": "rms", "position_encoding": "rope"},
    {"feedforward": "swiglu", "tie_weights": False, "intermediate_dim": 40},
    {"normalization": "rms", "num_layers": 3, "hidden_dim": 12, "num_heads": 3},
])
def test_parameter_count_equals_a_built_gpt(options):
    from dlcourse.llm import GPT

    config = {"vocabulary_size": 37, "max_length": 16, "hidden_dim": 8, "num_layers": 2, "num_heads": 2,
              "intermediate_dim": 24, **options}
    model = GPT(**config)
    model(np.zeros((1, 5), dtype="int32"))
    config.pop("num_heads")
    ours = parameter_count(**config, breakdown=True)
    assert ours["total"] == model.count_params() == parameter_count(**config)
    # the components are the model's own weights, grouped
    sizes = {w.path: int(np.prod(w.shape)) for w in model.weights}
    assert ours["token_embedding"] == sum(n for p, n in sizes.items() if "tokens" in p)
    assert ours["position_embedding"] == sum(n for p, n in sizes.items() if "positions" in p)
    assert ours["attention"] == sum(n for p, n in sizes.items() if "self_attention/" in p)
    assert ours["feedforward"] == sum(n for p, n in sizes.items() if "feed_forward/" in p)
    assert ours["head"] == sum(n for p, n in sizes.items() if "lm_head" in p)


@pytest.mark.backend_neutral
def test_parameter_count_hand_count_and_the_12_L_d2_rule():
    # V = 10, d = 2, 1 block, f = 8, learned positions of 4: tables 20 + 8; attention 4 (4 + 2) = 24;
    # FFN 2*8 + 8 + 8*2 + 2 = 42; three LayerNorms of 4 = 12. Total 106, untied + 20.
    assert parameter_count(10, 2, 1, 8, 4) == 106
    assert parameter_count(10, 2, 1, 8, 4, tie_weights=False) == 126
    # GPT-2 small (V 50257, d 768, 12 layers, f 3072, 1024 positions): 124,439,808 with tied weights
    assert parameter_count(50257, 768, 12, 3072, 1024) == 124_439_808
    # non-embedding N ~ 12 L d^2 for large d
    big = parameter_count(50257, 4096, 32, 4 * 4096, 2048, breakdown=True)
    assert big["non_embedding"] == pytest.approx(12 * 32 * 4096 ** 2, rel=1e-3)


@pytest.mark.backend_neutral
def test_training_flops_is_six_n_d():
    assert training_flops(70e9, 1.4e12) == pytest.approx(5.88e23)
    np.testing.assert_allclose(training_flops(np.array([1.0, 2.0]), 3.0), [18.0, 36.0])


def _numeric_optimum(C):
    """argmin over log N of L(N, C / (6 N)), by scipy (independent of the closed form)."""
    E, A, B, alpha, beta = (CHINCHILLA[k] for k in ("E", "A", "B", "alpha", "beta"))

    def loss(log_n):
        n = math.exp(log_n)
        return E + A / n ** alpha + B / (C / (6 * n)) ** beta

    result = minimize_scalar(loss, bounds=(math.log(1e3), math.log(C / 6)), method="bounded",
                             options={"xatol": 1e-10})
    return math.exp(result.x), result.fun


@pytest.mark.backend_neutral
@pytest.mark.parametrize("C", [1e18, 1e21, 5.76e23, 1e26])
def test_closed_form_allocation_equals_numeric_minimisation(C):
    n_opt, d_opt = compute_optimal_allocation(C)
    assert 6 * n_opt * d_opt == pytest.approx(C)
    n_numeric, loss_numeric = _numeric_optimum(C)
    assert n_opt == pytest.approx(n_numeric, rel=1e-5)
    assert chinchilla_loss(n_opt, d_opt) == pytest.approx(loss_numeric, abs=1e-12)
    # any other split of the same budget is worse
    for factor in (0.5, 0.9, 1.1, 2.0):
        assert chinchilla_loss(n_opt * factor, d_opt / factor) > chinchilla_loss(n_opt, d_opt)


@pytest.mark.backend_neutral
def test_optimal_n_and_d_grow_as_c_to_the_paper_exponents():
    a, b = chinchilla_exponents()
    assert a == pytest.approx(0.28 / 0.62) and a + b == pytest.approx(1.0)
    assert round(a, 2) in (0.45, 0.46) and round(b, 2) in (0.54, 0.55)  # the paper: 0.46 and 0.54
    budgets = np.geomspace(1e18, 1e26, 9)
    numeric = np.array([_numeric_optimum(C)[0] for C in budgets])
    slope_n = np.polyfit(np.log(budgets), np.log(numeric), 1)[0]
    slope_d = np.polyfit(np.log(budgets), np.log(budgets / 6 / numeric), 1)[0]
    assert slope_n == pytest.approx(a, abs=1e-4) and slope_d == pytest.approx(b, abs=1e-4)
    # nearly equal growth: far from Kaplan et al.'s 0.73 for N
    assert abs(slope_n - slope_d) < 0.1


@pytest.mark.backend_neutral
def test_chinchilla_loss_values_and_errors():
    # E + A / N^alpha + B / D^beta by hand at N = D = 1e10
    expected = 1.69 + 406.4 / 1e10 ** 0.34 + 410.7 / 1e10 ** 0.28
    assert chinchilla_loss(1e10, 1e10) == pytest.approx(expected)
    assert chinchilla_loss(1e30, 1e30) == pytest.approx(1.69, abs=1e-3)  # the irreducible loss E
    np.testing.assert_allclose(chinchilla_loss(np.array([1e9, 1e10]), 1e11),
                               [chinchilla_loss(1e9, 1e11), chinchilla_loss(1e10, 1e11)])
    with pytest.raises(ValueError, match="must be positive"):
        chinchilla_loss(0, 1e9)
    with pytest.raises(ValueError, match="C \\(training FLOPs\\) must be positive"):
        compute_optimal_allocation(-1.0)
    with pytest.raises(ValueError, match="feedforward must be one of"):
        parameter_count(10, 2, 1, 8, 4, feedforward="relu")


def test_iso_flop_plot_marks_each_budgets_minimum():
    from dlcourse.llm.plots import plot_iso_flop_curves

    budgets = (1e19, 1e21, 1e23)
    lines = plot_iso_flop_curves(budgets).axes[0].get_lines()
    assert [line.get_label() for line in lines] == ["C = 1e+19", "C = 1e+21", "C = 1e+23", "N_opt(C)"]
    minima = lines[-1].get_xdata()
    for line, C, n_opt in zip(lines, budgets, minima):
        sizes, losses = line.get_xdata(), line.get_ydata()
        assert sizes[np.argmin(losses)] == pytest.approx(n_opt, rel=0.03)  # the curve's lowest point
        assert n_opt == pytest.approx(_numeric_optimum(C)[0], rel=1e-5)
    with pytest.raises(ValueError, match="budgets must be a non-empty list of positive"):
        plot_iso_flop_curves([])
