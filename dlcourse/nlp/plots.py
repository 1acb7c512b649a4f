"""Pictures of chapter 5: word embeddings in two dimensions (and, from §5.2 on, seq2seq plots).

Lecture: §5.1 Word Embeddings; §5.2 Seq2Seq Model

matplotlib is imported inside each function and figures are bare `matplotlib.figure.Figure`s
(no pyplot state), as in `dlcourse.sequence.plots`: nothing is shown or kept open behind the
caller's back, any backend works, and a notebook displays the returned Figure.
"""

from __future__ import annotations

import numpy as np

from dlcourse._plotting import new_axes as _new_axes

__all__ = ["plot_word_embeddings", "plot_alignment", "plot_bleu_by_beam_size"]



def plot_word_embeddings(embeddings, words, word_classes=None, title="Word embeddings", ax=None):
    """Scatter the words' embeddings projected to 2-D, one colour per known class.

    Embeddings with more than two dimensions are projected on their first two principal
    components (`dlcourse.nlp.word_similarity.project_2d`); each point is labelled with its
    word. With the classes of `dlcourse.data.grammar_corpus`, good embeddings show one cluster
    per class.

    Args:
        embeddings: array (n, d), d >= 2, one row per word.
        words: the n words (strings), in the rows' order.
        word_classes: optional dict word -> class name; words it lacks are drawn in grey as
            "other". None: one colour for all.
        title: the axes' title.
        ax: optional matplotlib Axes to draw into; by default a new Figure is made.

    Returns:
        The matplotlib Figure (one scatter collection per class, in sorted class order, then
        "other"; a legend when word_classes is given).

    Example:

    >>> figure = plot_word_embeddings(np.eye(3), ["cat", "dog", "soup"],
    ...                               {"cat": "animal", "dog": "animal", "soup": "food"})
    >>> [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    ['animal', 'food']
    """
    from dlcourse.nlp.word_similarity import project_2d

    embeddings = np.asarray(embeddings, dtype=float)
    words = [str(word) for word in words]
    if embeddings.ndim != 2 or embeddings.shape[1] < 2:
        raise ValueError(f"embeddings must have shape (n, d) with d >= 2, got {embeddings.shape}.")
    if len(words) != embeddings.shape[0]:
        raise ValueError(f"words must name each of the {embeddings.shape[0]} rows of embeddings, "
                         f"got {len(words)} words.")
    points = embeddings if embeddings.shape[1] == 2 else project_2d(embeddings)
    if ax is None:
        ax = _new_axes(figsize=(6, 5))
    classes = [None] * len(words) if word_classes is None else [word_classes.get(w) for w in words]
    names = sorted({c for c in classes if c is not None})
    groups = [(name, [c == name for c in classes]) for name in names]
    if any(c is None for c in classes):
        groups.append(("other" if word_classes is not None else None, [c is None for c in classes]))
    for name, chosen in groups:
        chosen = np.asarray(chosen)
        ax.scatter(points[chosen, 0], points[chosen, 1], s=30, label=name,
                   color="0.6" if name == "other" else None)
    for word, (x, y) in zip(words, points):
        ax.annotate(word, (x, y), fontsize=7, xytext=(2, 2), textcoords="offset points")
    ax.set_xlabel("component 1" if embeddings.shape[1] > 2 else "dimension 1")
    ax.set_ylabel("component 2" if embeddings.shape[1] > 2 else "dimension 2")
    if title:
        ax.set_title(title)
    if word_classes is not None:
        ax.legend(fontsize=8)
    return ax.figure


def plot_alignment(weights, source_tokens, target_tokens, title="Alignment", ax=None):
    """Draw a seq2seq attention's alignment: target words down the side, source words on top.

    Row t is the attention alpha_{t,s} of target step t over the source words s
    (`Seq2Seq(..., attention=True)` called with `return_attention=True`); a translation that
    keeps the word order shows a diagonal, a reordering (the adjective after its noun) shows
    as cells off the diagonal. Drawn by chapter 3's `dlcourse.sequence.plot_attention`.

    Args:
        weights: array (T, S) of one sentence (padding rows and columns removed).
        source_tokens: the S source words.
        target_tokens: the T target words (what the decoder produced at each step).
        title: the axes' title.
        ax: optional matplotlib Axes to draw into; by default a new Figure is made.

    Returns:
        The matplotlib Figure.

    Example:

    >>> figure = plot_alignment(np.eye(2), ["big", "cat"], ["gato", "grande"])
    >>> [t.get_text() for t in figure.axes[0].get_yticklabels()]
    ['gato', 'grande']
    """
    from dlcourse.sequence.plots import plot_attention

    figure = plot_attention(weights, target_tokens, source_tokens, title=title, ax=ax)
    figure.axes[0].set_xlabel("source word")
    figure.axes[0].set_ylabel("target word")
    return figure


def plot_bleu_by_beam_size(beam_sizes, bleu, title="BLEU against beam size", ax=None):
    """Plot corpus BLEU against the beam size k, one line per model.

    Args:
        beam_sizes: the beam sizes k (positive integers), shared by every line.
        bleu: a dict {label: BLEU per beam size} (0-100), or one sequence for a single line.
        title: the axes' title.
        ax: optional matplotlib Axes to draw into; by default a new Figure is made.

    Returns:
        The matplotlib Figure.

    Example:

    >>> figure = plot_bleu_by_beam_size([1, 2, 4], {"seq2seq": [30.0, 31.5, 31.0]})
    >>> [line.get_label() for line in figure.axes[0].get_lines()]
    ['seq2seq']
    """
    beam_sizes = [int(k) for k in beam_sizes]
    lines = bleu if isinstance(bleu, dict) else {"BLEU": bleu}
    ax = ax if ax is not None else _new_axes(figsize=(4.5, 3.2))
    for label, values in lines.items():
        values = np.asarray(values, dtype=float)
        if values.shape != (len(beam_sizes),):
            raise ValueError(f"bleu[{label!r}] has {values.size} values for {len(beam_sizes)} beam sizes; "
                             "give one BLEU per beam size.")
        ax.plot(beam_sizes, values, marker="o", label=str(label))
    ax.set_xscale("log", base=2)
    ax.set_xticks(beam_sizes, [str(k) for k in beam_sizes])
    ax.set_xlabel("beam size k")
    ax.set_ylabel("corpus BLEU")
    ax.legend()
    if title:
        ax.set_title(title)
    return ax.figure
