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

    >>> from dlcourse.lecture import references
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


# What the package adds to each section beyond the notes (the lecture map's last column).
BEYOND = {
    "1": "the notes' W is our kernel's transpose (Keras' layout), backprop written out by hand",
    "2.1": "fan-in/fan-out for conv kernels; symmetry breaking measured on gradients",
    "2.2": "momentum also as Keras' SGD(momentum) (the same rule); Adam's bias correction; AdamW's decoupled weight decay (chapter 8)",
    "2.3.4": "inverted dropout, the practical variant, next to the notes' form",
    "2.3.3": "running statistics for inference",
    "2.5": "the notes' guidelines as default search spaces; Hyperband brackets and expected improvement worked out",
    "3.1": "gradient clipping; dL/dh_0; identity initialisation (IRNN) as the notes' 'initialise to 1'",
    "3.2": "the cell-state gradient (the notes leave it unfinished); the W_i typo in the forget step named",
    "3.3": "masks, biases and an output projection as named options; Keras' MultiHeadAttention as oracle",
    "4.2.1": "augmentation as training-only Keras layers",
    "4.2.4": "ResNet's post-activation ReLU and projection shortcut as options",
    "4.3": "the softmax classifier and its gradient (unfinished in the notes); transfer learning",
    "4.4": "box normalisation, R-CNN's box deltas and smooth-L1, NMS, VOC mAP, a trained R-CNN",
    "5.1": "PPMI + SVD baseline; the NLL's gradients (the notes stop at its heading); negative sampling with unigram^0.75; CBOW's equations; class separation on a generated corpus",
    "5.2": "teacher forcing with masked padding; beam search's length normalisation; BLEU written out (n-gram precision, brevity penalty, smoothing; sacrebleu as oracle); seq2seq with attention",
    "5.3.1": "sinusoidal and learned positions; padding masks; pre-LN next to post-LN; keras_hub's blocks as oracles",
    "5.3.2": "BERT's 15% and 80/10/10 masking; pre-training then fine-tuning against training from scratch",
    "6": "the comparison: exact likelihood (flow), a lower bound (VAE), samples only (GAN); MMD and a classifier score",
    "6.1": "the ELBO, the reparameterisation z = mu + sigma * eps and the Gaussian KL (the notes give only the figure)",
    "6.2": "the non-saturating generator loss and why; the optimal discriminator D* = p_data / (p_data + p_g)",
    "6.3": "the change of variables and RealNVP's affine couplings (the notes give one sentence)",
    "7.1.1": "DeepWalk walks and skip-gram (the heading is empty in the notes)",
    "7.1.2": "node2vec's 1/p, 1, 1/q transition (the heading is empty in the notes)",
    "7.1.3": "the symmetric (Kipf-Welling) GCN; TF-GNN as oracle",
    "7.2.1": "GAT self-loops as Velickovic's option; GATv2",
    "7.2.2": "APPNP-style initial-residual skips",
    "7.3.2": "losses and AUC for link prediction (the heading is empty in the notes)",
    "7.4": "neighbour sampling and Cluster-GCN (the heading is empty in the notes)",
    "8": "the whole chapter (the notes give only its heading), after CS336's first assignment: byte-level BPE "
         "(Sennrich's example and HF tokenizers as oracles); a GPT with RoPE, RMSNorm, SwiGLU, tying and a key/value "
         "cache (keras_hub's GPT2Backbone as oracle); next-token loss, perplexity, AdamW with warmup and cosine; "
         "greedy/temperature/top-k/top-p sampling checked by chi-square; online-softmax (FlashAttention) attention; "
         "6ND and Chinchilla's compute-optimal N and D; SFT masks, LoRA (Keras' enable_lora as oracle), DPO; "
         "forgetting and replay",
}

MAP_BEGIN, MAP_END = "<!-- lecture map: written by `python -m dlcourse.lecture README.md` -->", "<!-- end of lecture map -->"


def _module_references(package_root):
    """{section number: [module names]} from the `Lecture:` lines of the library's docstrings."""
    import ast
    import pathlib

    found = {}
    root = pathlib.Path(package_root)
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        # Tooling has no lecture; a subpackage's __init__ names every section of its modules,
        # so the map lists the modules.
        if len(parts) < 3 or parts[1] in ("grading", "checks", "data") or parts[-1] == "__init__":
            continue
        name = ".".join(parts)
        for number, _ in references(ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""):
            found.setdefault(number, []).append(name)
    return found


def lecture_rows(course_root) -> list[dict]:
    """The lecture map as data, one row per section of the notes in their order: {"number",
    "title", "modules" (dotted names), "exercises" (exercise ids), "beyond" (str or None)}.
    The README's table and the course book's home page are both written from it."""
    import pathlib

    from dlcourse.grading.course import Course

    course = Course(pathlib.Path(course_root))
    modules = _module_references(pathlib.Path(__file__).resolve().parent)
    exercises = {}
    for exercise in course.exercises:
        for number, _ in exercise.lecture:
            exercises.setdefault(number, []).append(exercise.id)
    return [{"number": number, "title": title, "modules": modules.get(number, []),
             "exercises": exercises.get(number, []), "beyond": BEYOND.get(number)}
            for number, title in SECTIONS.items()]


def lecture_map(course_root) -> str:
    """The README's lecture map: each section of the notes, the library modules and exercises
    that name it, and what we add beyond the notes."""
    rows = ["| section of the notes | library | exercises | beyond the notes |", "|---|---|---|---|"]
    for row in lecture_rows(course_root):
        rows.append(f"| §{row['number']} {row['title']} | {', '.join(f'`{m}`' for m in row['modules']) or '—'} | "
                    f"{', '.join(f'`{e}`' for e in row['exercises']) or '—'} | {row['beyond'] or '—'} |")
    return "\n".join(rows)


def write_readme_map(readme, course_root) -> bool:
    """Put the lecture map between the README's markers; True when the file changed."""
    import pathlib

    path = pathlib.Path(readme)
    text = path.read_text(encoding="utf-8")
    if MAP_BEGIN not in text or MAP_END not in text:
        raise LectureReferenceError(f"{path} has no lecture-map markers; add the lines {MAP_BEGIN!r} and {MAP_END!r}.")
    head, rest = text.split(MAP_BEGIN, 1)
    _, tail = rest.split(MAP_END, 1)
    new = f"{head}{MAP_BEGIN}\n{lecture_map(course_root)}\n{MAP_END}{tail}"
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    import pathlib
    import sys

    target = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "README.md").resolve()
    changed = write_readme_map(target, target.parent)
    print(f"{target}: lecture map {'written' if changed else 'already up to date'}")
