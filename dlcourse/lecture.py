"""The lecture notes' table of contents, and the references that tie dlcourse to it.

Every exercise prompt and every library module names the sections of the notes it teaches, the
way d2l says "defined in section 3.2": a line of its docstring

    Lecture: §2.2 Optimization; §2.3.4 Dropout

with each section's number and title exactly as the notes' contents list them. Material that goes
beyond the notes still names the section it extends, and its docstring says what is ours.
"""

from __future__ import annotations

import re

# Section number -> title, as the contents page of the notes (Spring 2025 edition) lists them.
SECTIONS = {
    "1": "From Perceptron to Neural Network",
    "2": "Training a Neural Network",
    "2.1": "Initialization",
    "2.2": "Optimization",
    "2.3": "Regularization",
    "2.3.1": "L1 Regularization",
    "2.3.2": "L2 Regularization",
    "2.3.3": "Batch Normalization",
    "2.3.4": "Dropout",
    "2.4": "Loss Function",
    "2.4.1": "Cross-Entropy Loss",
    "2.4.2": "MSE Loss",
    "2.5": "Hyperparameter Tuning",
    "3": "Deep Sequence Modeling",
    "3.1": "Recurrent Neural Network(RNN)",
    "3.2": "Long Short Term Memory",
    "3.3": "Attention Mechanism",
    "4": "Convolutional Neural Network",
    "4.1": "Basic structure and components",
    "4.2": "Training a CNN",
    "4.2.1": "Data Augmentation",
    "4.2.2": "Pooling",
    "4.2.3": "Convolution",
    "4.2.4": "Residual Connection",
    "4.2.5": "Advanced Techniques",
    "4.3": "Image Classification",
    "4.4": "Object Detection",
    "5": "NLP with Deep Learning",
    "5.1": "Word Embeddings",
    "5.2": "Seq2Seq Model",
    "5.3": "Transformer",
    "5.3.1": "Self-Attention and Encoder-Decoder Structure",
    "5.3.2": "Transformer Variants",
    "6": "Generative Model",
    "6.1": "Variational Autoencoders(VAE)",
    "6.2": "Generative Adversarial Network(GAN)",
    "6.3": "Flow-based Deep Generative Models",
    "7": "Graph Neural Network(GNN)",
    "7.1": "Graph Embeddings",
    "7.1.1": "RandomWalk Embedding",
    "7.1.2": "Node2vec Embedding",
    "7.1.3": "Graph Convolutional Network",
    "7.2": "A General GNN Framework",
    "7.2.1": "A single GNN layer",
    "7.2.2": "Stacking GNN Layers",
    "7.2.3": "Graph Manipulation",
    "7.3": "GNN Training Pipeline",
    "7.3.1": "Prediction",
    "7.3.2": "Loss Function and Evaluation",
    "7.3.3": "Split Training",
    "7.4": "Scale Up GNN",
    "8": "Foundation Models: LLM",
}

_LINE = re.compile(r"^\s*Lecture:\s*(?P<refs>.+?)\s*$", re.MULTILINE)
_REF = re.compile(r"^§(?P<number>\d+(?:\.\d+)*) (?P<title>.+)$")


class LectureReferenceError(ValueError):
    """A `Lecture:` line that names no section of the notes; its message is one sentence."""


def references(docstring: str) -> list[tuple[str, str]]:
    """The (number, title) pairs of a docstring's `Lecture:` line; [] when it has none.

    Raises LectureReferenceError when a reference is malformed or names a section the notes do
    not have, or has the wrong title for its number.

    >>> references("Momentum (6 points)\\nLecture: §2.2 Optimization\\n\\nv <- mu v - eta g")
    [('2.2', 'Optimization')]
    """
    match = _LINE.search(docstring or "")
    if not match:
        return []
    found = []
    for text in match.group("refs").rstrip(".").split(";"):
        ref = _REF.match(text.strip())
        if not ref:
            raise LectureReferenceError(
                f"lecture reference {text.strip()!r} is not of the form '§2.2 Optimization'; "
                "write the section number after § and then its title from the notes' contents.")
        number, title = ref.group("number"), ref.group("title")
        if number not in SECTIONS:
            raise LectureReferenceError(
                f"lecture reference §{number} names no section of the notes; choose one of their contents "
                "(dlcourse.lecture.SECTIONS).")
        if title != SECTIONS[number]:
            raise LectureReferenceError(
                f"lecture reference §{number} has title {title!r}, but the notes call it {SECTIONS[number]!r}.")
        found.append((number, title))
    return found


def format_references(refs) -> str:
    """'§2.2 Optimization; §2.3.4 Dropout' for the pairs `refs`."""
    return "; ".join(f"§{number} {title}" for number, title in refs)
