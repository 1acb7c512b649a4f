"""Plots of chapter 7: learned node embeddings and over-smoothing, as matplotlib Figures.

Lecture: §7.1 Graph Embeddings; §7.2.2 Stacking GNN Layers

matplotlib is imported inside each function, so `import dlcourse.gnn` stays light; the figures
are created with `matplotlib.figure.Figure` (no pyplot state), so they work under any backend.
"""

from __future__ import annotations

import numpy as np

__all__ = ["plot_node_embeddings", "plot_over_smoothing"]


def plot_node_embeddings(embeddings_2d, labels, label_names=None, title="Node embeddings", annotate=True):
    """Scatter plot of 2-D node embeddings, one colour per class (e.g. per karate-club faction).

    Args:
        embeddings_2d: array (N, 2), e.g. 2-D skip-gram embeddings or a 2-D projection.
        labels: int array (N,) of classes.
        label_names: optional names of the classes, for the legend.
        title: axes title.
        annotate: write each node's index next to its point.

    Returns:
        A `matplotlib.figure.Figure` with one axes.
    """
    from matplotlib.figure import Figure

    points = np.asarray(embeddings_2d, dtype=float)
    labels = np.asarray(labels).reshape(-1)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"embeddings_2d must have shape (N, 2), got {points.shape}; project "
                         f"higher-dimensional embeddings to 2-D first (e.g. with PCA).")
    if labels.shape[0] != points.shape[0]:
        raise ValueError(f"labels must have one entry per node ({points.shape[0]}), got {labels.shape[0]}.")
    figure = Figure(figsize=(5, 4.5), layout="constrained")  # room for the axis labels
    ax = figure.add_subplot()
    for index, cls in enumerate(np.unique(labels)):
        chosen = labels == cls
        name = label_names[index] if label_names is not None else f"class {cls}"
        ax.scatter(points[chosen, 0], points[chosen, 1], label=name, s=40)
    if annotate:
        for node, (x, y) in enumerate(points):
            ax.annotate(str(node), (x, y), fontsize=7, xytext=(2, 2), textcoords="offset points")
    ax.set_title(title)
    ax.set_xlabel("dimension 1")
    ax.set_ylabel("dimension 2")
    ax.legend()
    return figure


def plot_over_smoothing(curves, title="Over-smoothing"):
    """Line plot of mean pairwise cosine similarity against depth.

    Args:
        curves: dict {label: sequence of similarities at depth 0, 1, ...}.

    Returns:
        A `matplotlib.figure.Figure`.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5, 3.5), layout="constrained")  # room for the axis labels
    ax = figure.add_subplot()
    for label, values in curves.items():
        ax.plot(np.arange(len(values)), values, marker="o", label=label)
    ax.set_xlabel("layers")
    ax.set_ylabel("mean pairwise cosine similarity")
    ax.set_title(title)
    ax.legend()
    return figure
