"""The one way every chapter's plots make their axes.

A bare `matplotlib.figure.Figure` with constrained layout, not pyplot: nothing is shown or kept
open behind the caller's back, any backend works, and a notebook still displays the returned
Figure. matplotlib is imported on the first plot, never when a chapter is imported.
"""

from __future__ import annotations


def new_axes(figsize):
    """One Axes on a new constrained-layout Figure of size `figsize` (inches)."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained").add_subplot()
