"""Pictures of chapter 3: which key each query looks at, and how gradients fade through time.

Lecture: §3.3 Attention Mechanism; §3.1 Recurrent Neural Network(RNN); §3.2 Long Short Term Memory

`plot_attention` shows the notes' attention weights alpha_hat_{t,i}, one row per query t;
`plot_gradient_norms` shows the vanishing gradient the notes ask about, RNN against LSTM.
"""

from __future__ import annotations

import numpy as np

from dlcourse._plotting import new_axes as _new_axes

__all__ = ["plot_attention", "plot_gradient_norms"]


def plot_attention(weights, query_tokens, key_tokens, title=None, ax=None):
    """Draw attention weights as a heatmap, queries down the side and keys along the top.

    Row t of the picture is the distribution softmax(q_t K^T / sqrt(d_k) + M) over the keys
    (the notes' alpha_hat_{t,i}; the mask M is ours):
    a bright cell (t, s) means that position t takes much of its output from position s.
    Masked positions (weight 0) stay dark, so a causal mask shows as a dark upper triangle.

    Args:
        weights: attention weights, shape (T, S) (squeeze away batch and head axes first),
            as `scaled_dot_product_attention` or `SelfAttention(..., return_attention_scores=True)`
            returns them.
        query_tokens: T labels (strings) of the query positions, drawn on the left.
        key_tokens: S labels of the key positions, drawn on top.
        title: optional title of the plot.
        ax: optional matplotlib Axes to draw into; by default a new Figure is made (without
            pyplot, so nothing is shown or kept open behind the caller's back).

    Returns:
        The matplotlib Figure. In a notebook it displays itself; elsewhere
        `figure.savefig("attention.png")`.

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import plot_attention
    >>> figure = plot_attention(np.eye(2), ["a", "b"], ["a", "b"])
    >>> [label.get_text() for label in figure.axes[0].get_xticklabels()]
    ['a', 'b']
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(
            f"weights must have shape (queries, keys), got shape {weights.shape}; "
            "select one example and head first, e.g. weights[0].")
    query_tokens, key_tokens = [str(t) for t in query_tokens], [str(t) for t in key_tokens]
    if (len(query_tokens), len(key_tokens)) != weights.shape:
        raise ValueError(
            f"weights of shape {weights.shape} need {weights.shape[0]} query tokens and "
            f"{weights.shape[1]} key tokens, got {len(query_tokens)} and {len(key_tokens)}.")
    if ax is None:
        ax = _new_axes(figsize=(1.0 + 0.5 * len(key_tokens), 1.0 + 0.5 * len(query_tokens)))
    figure = ax.figure
    image = ax.imshow(weights, cmap="viridis", vmin=0.0, vmax=max(1.0, float(weights.max())),
                      aspect="auto")
    ax.set_xticks(range(len(key_tokens)), key_tokens, rotation=90)
    ax.set_yticks(range(len(query_tokens)), query_tokens)
    ax.xaxis.tick_top()
    ax.set_xlabel("key")
    ax.set_ylabel("query")
    if title:
        ax.set_title(title)
    figure.colorbar(image, ax=ax, label="attention weight")
    return figure


def plot_gradient_norms(norms, title=None, ax=None):
    """Plot ||dh_t/dh_0|| against t on a log scale, one line per model.

    A vanishing gradient is a straight line going down on a log scale (geometric decay,
    ||dh_t/dh_0|| ~ rho^t); the slope is log(rho). Feed it the results of
    `rnn_state_jacobian_norms` and `state_jacobian_norms`.

    Args:
        norms: a dict {label: norms}, each of shape (T,) or (batch, T); a batch is summarised
            by its geometric mean over the sequences (the mean of the logarithms).
        title: optional title of the plot.
        ax: optional matplotlib Axes to draw into; by default a new Figure is made.

    Returns:
        The matplotlib Figure.

    Example:

    >>> import numpy as np
    >>> from dlcourse.sequence import plot_gradient_norms
    >>> figure = plot_gradient_norms({"RNN": 0.5 ** np.arange(1, 6), "LSTM": np.ones(5)})
    >>> [line.get_label() for line in figure.axes[0].get_lines()]
    ['RNN', 'LSTM']
    """
    if not isinstance(norms, dict) or not norms:
        raise ValueError("norms must be a non-empty dict {label: array of shape (T,) or (batch, T)}, "
                         f"got {type(norms).__name__}.")
    ax = ax if ax is not None else _new_axes(figsize=(5.0, 3.5))
    for label, values in norms.items():
        values = np.asarray(values, dtype=float)
        if values.ndim == 2:
            with np.errstate(divide="ignore"):
                values = np.exp(np.mean(np.log(values), axis=0))
        if values.ndim != 1:
            raise ValueError(f"norms[{label!r}] must have shape (T,) or (batch, T), got {values.shape}.")
        ax.plot(np.arange(1, len(values) + 1), values, marker=".", label=str(label))
    ax.set_yscale("log")
    ax.set_xlabel("time step t")
    ax.set_ylabel("||dh_t / dh_0||")
    ax.legend()
    if title:
        ax.set_title(title)
    return ax.figure
