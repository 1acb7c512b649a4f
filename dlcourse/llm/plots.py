"""Pictures of chapter 8: the pre-training loss curve (others may add theirs here).

Lecture: §8 Foundation Models: LLM

The notes leave chapter 8 as a heading; the curve is the one every LLM-from-scratch course
(CS336's first assignment) asks for: training and validation loss against the update step.
matplotlib is imported inside each function and figures are bare `matplotlib.figure.Figure`s
(no pyplot state), as in `dlcourse.nlp.plots`: nothing is shown or kept open behind the
caller's back, any backend works, and a notebook displays the returned Figure.
"""

from __future__ import annotations

import numpy as np

from dlcourse._plotting import new_axes as _new_axes

__all__ = ["plot_loss_curve", "plot_iso_flop_curves", "plot_forgetting"]



def plot_loss_curve(history, perplexity=False, title="Pre-training loss", ax=None):
    """Training and validation loss (or perplexity) against the update step.

    Args:
        history: a dict with "step" and "loss" lists and optionally "val_loss", as returned by
            `dlcourse.llm.train_language_model` (losses are mean NLL per token, in nats).
        perplexity: plot exp(loss) on a log axis instead of the loss. Defaults to False.
        title: the axes' title.
        ax: optional matplotlib Axes to draw into; by default a new Figure is made.

    Returns:
        The matplotlib Figure: one line "train" and, with "val_loss", one line "validation".

    Example:

    >>> from dlcourse.llm.plots import plot_loss_curve
    >>> figure = plot_loss_curve({"step": [10, 20], "loss": [3.0, 2.0], "val_loss": [3.1, 2.4]})
    >>> [line.get_label() for line in figure.axes[0].get_lines()]
    ['train', 'validation']
    """
    if not isinstance(history, dict) or "step" not in history or "loss" not in history:
        raise ValueError("history must be a dict with 'step' and 'loss' lists (train_language_model's "
                         f"history), got {type(history).__name__} with keys {sorted(history) if isinstance(history, dict) else []}.")
    steps = np.asarray(history["step"], dtype=float)
    curves = [("train", history["loss"])]
    if history.get("val_loss") is not None:
        curves.append(("validation", history["val_loss"]))
    if ax is None:
        ax = _new_axes(figsize=(6, 4))
    for label, values in curves:
        values = np.asarray(values, dtype=float)
        if values.shape != steps.shape:
            raise ValueError(f"history[{'loss' if label == 'train' else 'val_loss'}] must have one value per "
                             f"step ({steps.size}), got {values.size}.")
        ax.plot(steps, np.exp(values) if perplexity else values, marker="o", markersize=3, label=label)
    ax.set_xlabel("update step")
    if perplexity:
        ax.set_yscale("log")
        ax.set_ylabel("perplexity")
    else:
        ax.set_ylabel("loss (mean NLL per token, nats)")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8)
    return ax.figure


def plot_iso_flop_curves(budgets=(1e18, 1e19, 1e20, 1e21, 1e22, 1e23), constants=None,
                         title="Chinchilla iso-FLOP curves", ax=None):
    """Chinchilla's loss L(N, C / (6 N)) against model size N, one curve per compute budget C.

    Each curve is one budget spent as C = 6 N D; its minimum is the compute-optimal N_opt(C)
    (`dlcourse.llm.scaling.compute_optimal_allocation`), marked, and the minima lie on a line of
    slope a = beta / (alpha + beta) in log N against log C (Hoffmann et al., 2022, Figure 3).

    Args:
        budgets: the training budgets C in FLOPs (positive numbers).
        constants: optional dict of E, A, B, alpha, beta; defaults to the paper's
            (`dlcourse.llm.scaling.CHINCHILLA`).
        title: the axes' title.
        ax: optional matplotlib Axes to draw into; by default a new Figure is made.

    Returns:
        The matplotlib Figure: one line per budget (labelled "C = 1e+18" and so on) and one
        line "N_opt(C)" through the minima.

    Example:

    >>> from dlcourse.llm.plots import plot_iso_flop_curves
    >>> figure = plot_iso_flop_curves((1e20, 1e22))
    >>> [line.get_label() for line in figure.axes[0].get_lines()]
    ['C = 1e+20', 'C = 1e+22', 'N_opt(C)']
    """
    from dlcourse.llm.scaling import CHINCHILLA, chinchilla_loss, compute_optimal_allocation

    constants = {**CHINCHILLA, **(constants or {})}
    budgets = np.asarray(budgets, dtype=float)
    if budgets.ndim != 1 or budgets.size == 0 or (budgets <= 0).any():
        raise ValueError(f"budgets must be a non-empty list of positive FLOP counts, got {budgets.tolist()!r}.")
    if ax is None:
        ax = _new_axes(figsize=(6, 4))
    shape = {k: constants[k] for k in ("A", "B", "alpha", "beta")}
    optimal = []
    for C in budgets:
        n_opt, d_opt = compute_optimal_allocation(C, **shape)
        sizes = n_opt * np.geomspace(1 / 30, 30, 121)
        ax.plot(sizes, chinchilla_loss(sizes, C / (6 * sizes), **constants), label=f"C = {C:.0e}")
        optimal.append((n_opt, chinchilla_loss(n_opt, d_opt, **constants)))
    n_opt, loss = np.array(optimal).T
    ax.plot(n_opt, loss, "k--o", markersize=4, label="N_opt(C)")
    ax.set_xscale("log")
    ax.set_xlabel("parameters N")
    ax.set_ylabel("loss L(N, C / 6N) (nats per token)")
    ax.set_title(title)
    ax.legend(fontsize="small")
    return ax.figure


def plot_forgetting(results, title="Forgetting task A while training on task B", ax=None):
    """Task A's and task B's held-out losses after A, after B, and after B with replay.

    Two groups of three bars (task A, task B), one bar per moment: after training on A, after
    then training on B alone, and after training on B with a fraction of A replayed. The rise
    of A's bar from "after A" to "after B" is the forgetting; replay keeps it small.

    Args:
        results: the dict `dlcourse.llm.continual.continual_demo` returns (the six
            "loss_{a,b}_after_{a,b}[_replay]" entries and "replay_fraction").
        title: the axes' title.
        ax: optional matplotlib Axes to draw into; by default a new Figure is made.

    Returns:
        The matplotlib Figure: one bar container per moment, labelled "after A", "after B" and
        "after B, replay 25%" (the replayed share of the data).

    Example:

    >>> from dlcourse.llm.plots import plot_forgetting
    >>> results = {"loss_a_after_a": 2.0, "loss_b_after_a": 7.0, "loss_a_after_b": 8.0,
    ...            "loss_b_after_b": 2.0, "loss_a_after_b_replay": 3.5, "loss_b_after_b_replay": 2.4,
    ...            "replay_fraction": 0.25}
    >>> [c.get_label() for c in plot_forgetting(results).axes[0].containers]
    ['after A', 'after B', 'after B, replay 25%']
    """
    keys = ("loss_a_after_a", "loss_b_after_a", "loss_a_after_b", "loss_b_after_b", "loss_a_after_b_replay",
            "loss_b_after_b_replay", "replay_fraction")
    if not isinstance(results, dict) or any(key not in results for key in keys):
        raise ValueError(f"results must be the dict continual_demo returns, with the keys {list(keys)}.")
    moments = [("after A", "after_a"), ("after B", "after_b"),
               (f"after B, replay {100 * results['replay_fraction']:.0f}%", "after_b_replay")]
    if ax is None:
        ax = _new_axes(figsize=(6, 4))
    positions, width = np.arange(2), 0.27
    for index, (label, suffix) in enumerate(moments):
        heights = [results[f"loss_a_{suffix}"], results[f"loss_b_{suffix}"]]
        ax.bar(positions + (index - 1) * width, heights, width, label=label)
    ax.set_xticks(positions, ["task A", "task B"])
    ax.set_ylabel("held-out loss (mean NLL per token, nats)")
    ax.set_title(title)
    ax.legend(fontsize="small")
    return ax.figure
