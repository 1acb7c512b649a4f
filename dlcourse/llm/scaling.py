"""Scale: parameter counts, training FLOPs = 6 N D, and Chinchilla's compute-optimal model size.

Lecture: §8 Foundation Models: LLM

The notes leave chapter 8 as a heading; this module follows Kaplan et al. (2020) for the cost
of training and Hoffmann et al. (2022, "Chinchilla") for how to spend it.

**Training FLOPs.** A forward pass of a Transformer with N weights costs about 2 N FLOPs per
token (one multiply and one add per weight), and the backward pass twice that, so training on
D tokens costs C = 6 N D. Attention's own T^2 term (`dlcourse.llm.flash.attention_flops`) adds
4 T d_model forward FLOPs per token and block against the block weights' 24 d_model^2, so the
rule holds while T is well below 6 d_model.

**Chinchilla's loss.** Hoffmann et al. fit the final loss of models with N parameters trained on
D tokens (their Approach 3) as

    L(N, D) = E + A / N^alpha + B / D^beta,
    E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28.

**Compute-optimal allocation.** For a budget C = 6 N D, put D = C / (6 N) and minimise over N:

    dL/dN = -alpha A N^(-alpha-1) + beta B (C/6)^(-beta) N^(beta-1) = 0
    <=> N^(alpha+beta) = (alpha A / (beta B)) (C/6)^beta

so that, with G = (alpha A / (beta B))^(1 / (alpha + beta)),

    N_opt(C) = G (C/6)^a,          a = beta / (alpha + beta)
    D_opt(C) = (C/6) / N_opt(C) = (1/G) (C/6)^b,   b = alpha / (alpha + beta),

and a + b = 1. (L is convex in log N along the budget line, so this stationary point is the
minimum.) With the fitted values a = 0.28 / 0.62 = 0.45 and b = 0.55: model size and data grow
at nearly the same rate, the paper's result (a = 0.46, b = 0.54 for Approach 3), against
Kaplan et al.'s a = 0.73, which put most of any extra compute into parameters.
"""

from __future__ import annotations

import numpy as np

from dlcourse.arguments import positive_int

__all__ = ["CHINCHILLA", "parameter_count", "training_flops", "chinchilla_loss", "compute_optimal_allocation",
           "chinchilla_exponents"]

# Hoffmann et al. (2022), Approach 3: L(N, D) = E + A / N^alpha + B / D^beta.
CHINCHILLA = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


def parameter_count(vocabulary_size, hidden_dim, num_layers, intermediate_dim, max_length, tie_weights=True,
                    feedforward="gelu", normalization="layer", position_encoding="learned", breakdown=False):
    """The number of weights of a GPT (`dlcourse.llm.GPT`), component by component.

    With d = hidden_dim, f = intermediate_dim, V = vocabulary_size and L = num_layers:

        token table            V d
        position table         max_length d      (learned positions; RoPE has no weights)
        attention, per block   4 (d^2 + d)       (W_q, W_k, W_v, W_o, each with a bias)
        feed-forward, per block
            GELU               d f + f + f d + d (W_1, b_1, W_2, b_2)
            SwiGLU             2 (d f + f) + f d + d (W_1 and the gate W_3, each with a bias, W_2, b_2)
        norms                  2 per block and a final one: 2 d each (LayerNorm's gamma, beta)
                               or d (RMSNorm's scale)
        output head            0 when tied to the token table, else d V (no bias)

    The per-block terms are about 12 L d^2 for GELU with f = 4 d, Kaplan et al.'s
    "non-embedding" N, which is what the 6 N D rule and the scaling laws count.

    Args:
        vocabulary_size, hidden_dim, num_layers, intermediate_dim, max_length: positive integers.
        tie_weights: whether the output head is the token table's transpose.
        feedforward: "gelu" or "swiglu".
        normalization: "layer" or "rms".
        position_encoding: "learned" or "rope".
        breakdown: return a dict of the components instead of the total.

    Returns:
        The total (int); with `breakdown`, a dict with "token_embedding", "position_embedding",
        "attention", "feedforward", "normalization", "head", "non_embedding" (the blocks and
        norms: everything but the tables and the head) and "total".

    Example:

    >>> from dlcourse.llm.scaling import parameter_count
    >>> parameter_count(100, hidden_dim=8, num_layers=1, intermediate_dim=32, max_length=16)
    1816
    """
    V, d, L, f, T = (positive_int(name, value) for name, value in (
        ("vocabulary_size", vocabulary_size), ("hidden_dim", hidden_dim), ("num_layers", num_layers),
        ("intermediate_dim", intermediate_dim), ("max_length", max_length)))
    for name, value, allowed in (("feedforward", feedforward, ("gelu", "swiglu")),
                                 ("normalization", normalization, ("layer", "rms")),
                                 ("position_encoding", position_encoding, ("learned", "rope"))):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, got {value!r}.")
    dense = lambda n_in, n_out, bias=True: n_in * n_out + (n_out if bias else 0)  # noqa: E731
    norm = 2 * d if normalization == "layer" else d
    ffn = dense(d, f) + dense(f, d) + (dense(d, f) if feedforward == "swiglu" else 0)
    counts = {
        "token_embedding": V * d,
        "position_embedding": T * d if position_encoding == "learned" else 0,
        "attention": L * 4 * dense(d, d),
        "feedforward": L * ffn,
        "normalization": (2 * L + 1) * norm,
        "head": 0 if tie_weights else dense(d, V, bias=False),
    }
    counts["non_embedding"] = counts["attention"] + counts["feedforward"] + counts["normalization"]
    counts["total"] = sum(v for k, v in counts.items() if k != "non_embedding")
    return counts if breakdown else counts["total"]


def training_flops(N, D):
    """C = 6 N D: the FLOPs of training N weights on D tokens (2 N D forward, 4 N D backward).

    Example:

    >>> from dlcourse.llm.scaling import training_flops
    >>> f"{training_flops(70e9, 1.4e12):.3g}"  # Chinchilla: 70B parameters, 1.4T tokens
    '5.88e+23'
    """
    return 6.0 * np.asarray(N, dtype=float) * np.asarray(D, dtype=float) if np.ndim(N) or np.ndim(D) \
        else 6.0 * float(N) * float(D)


def _constants(E, A, B, alpha, beta):
    for name, value in (("A", A), ("B", B), ("alpha", alpha), ("beta", beta)):
        if not value > 0:
            raise ValueError(f"{name} must be positive, got {value!r}.")
    return float(E), float(A), float(B), float(alpha), float(beta)


def chinchilla_loss(N, D, E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28):
    """L(N, D) = E + A / N^alpha + B / D^beta, Hoffmann et al.'s fitted final loss (nats per token).

    Args:
        N: parameters (number or array, positive).
        D: training tokens (number or array, positive).
        E, A, B, alpha, beta: the fit; the defaults are the paper's Approach 3.

    Returns:
        The loss, a float (or an array of the broadcast shape).

    Example:

    >>> from dlcourse.llm.scaling import chinchilla_loss
    >>> round(chinchilla_loss(70e9, 1.4e12), 3)
    1.937
    """
    E, A, B, alpha, beta = _constants(E, A, B, alpha, beta)
    N, D = np.asarray(N, dtype=float), np.asarray(D, dtype=float)
    if (N <= 0).any() or (D <= 0).any():
        raise ValueError("N (parameters) and D (tokens) must be positive.")
    loss = E + A / N ** alpha + B / D ** beta
    return float(loss) if loss.ndim == 0 else loss


def chinchilla_exponents(alpha=0.34, beta=0.28):
    """(a, b) = (beta / (alpha + beta), alpha / (alpha + beta)): N_opt grows as C^a and D_opt as C^b.

    Example:

    >>> from dlcourse.llm.scaling import chinchilla_exponents
    >>> [round(x, 3) for x in chinchilla_exponents()]
    [0.452, 0.548]
    """
    _constants(0, 1, 1, alpha, beta)
    return beta / (alpha + beta), alpha / (alpha + beta)


def compute_optimal_allocation(C, A=406.4, B=410.7, alpha=0.34, beta=0.28):
    """N_opt(C) = G (C/6)^(beta/(alpha+beta)) and D_opt(C) = (C/6) / N_opt, the minimisers of L under C = 6 N D.

    G = (alpha A / (beta B))^(1/(alpha+beta)); the derivation is in the module docstring (E does
    not move the minimum).

    Args:
        C: training FLOPs (positive number or array).
        A, B, alpha, beta: the fit; the defaults are Hoffmann et al.'s Approach 3.

    Returns:
        The pair (N_opt, D_opt), floats (or arrays of C's shape).

    Example:

    >>> from dlcourse.llm.scaling import compute_optimal_allocation
    >>> N, D = compute_optimal_allocation(1e21)
    >>> f"{N:.3g} parameters, {D:.3g} tokens, {D / N:.0f} tokens per parameter"
    '1.82e+09 parameters, 9.14e+10 tokens, 50 tokens per parameter'
    """
    _, A, B, alpha, beta = _constants(0.0, A, B, alpha, beta)
    C = np.asarray(C, dtype=float)
    if (C <= 0).any():
        raise ValueError(f"C (training FLOPs) must be positive, got {C!r}.")
    G = (alpha * A / (beta * B)) ** (1.0 / (alpha + beta))
    n_opt = G * (C / 6.0) ** (beta / (alpha + beta))
    d_opt = C / 6.0 / n_opt
    if n_opt.ndim == 0:
        return float(n_opt), float(d_opt)
    return n_opt, d_opt
