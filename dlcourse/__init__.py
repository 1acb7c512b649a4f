"""dlcourse: the Keras 3 library, exercises and graders of "Advanced Deep Learning Architecture".

Subpackages follow the lecture, one per topic, and are imported on first use so that
`import dlcourse` (and the grading tools) stay light -- TensorFlow loads only when a layer does:

- `dlcourse.perceptron` -- chapter 1, from the perceptron to a neural network
- `dlcourse.training`   -- chapter 2, training a neural network
- `dlcourse.sequence`   -- chapter 3, deep sequence modeling (RNN, LSTM, attention)
- `dlcourse.cnn`        -- chapter 4, convolutional neural networks and image classification
- `dlcourse.detection`  -- chapter 4, object detection (IoU, boxes, NMS, R-CNN)
- `dlcourse.nlp`        -- chapter 5, NLP (word2vec, seq2seq, beam search, BLEU, the Transformer)
- `dlcourse.generative` -- chapter 6, generative models (autoencoders, VAE, GAN, normalizing flows)
- `dlcourse.gnn`        -- chapter 7, graph neural networks (with TF-GNN interop)
- `dlcourse.llm`        -- chapter 8, foundation models (BPE, a GPT, pre- and post-training)
- `dlcourse.grading`    -- release, sandboxed grading, reports, the nbgrader bridge
- `dlcourse.data`       -- small embedded datasets and the real loaders
"""

import importlib

from dlcourse import _keras_registry

__version__ = "0.1.0"

_SUBPACKAGES = (
    "perceptron", "training", "sequence", "cnn", "detection", "nlp", "generative", "gnn", "llm", "grading", "data",
)


# The subpackages whose modules define Keras classes (layers, models, losses, optimizers, ...).
_KERAS_SUBPACKAGES = ("perceptron", "training", "sequence", "cnn", "detection", "nlp", "generative", "gnn", "llm")


def _import_keras_classes():
    """Import every subpackage that defines Keras classes, so that all of them are registered."""
    for name in _KERAS_SUBPACKAGES:
        importlib.import_module(f"{__name__}.{name}")
    # dlcourse.detection leaves its Keras modules (R-CNN, crops) for first use too.
    importlib.import_module(f"{__name__}.detection")._import_keras_modules()


# After `import dlcourse`, plain `keras.models.load_model` finds dlcourse's classes: Keras'
# registry imports them on the first lookup of a "dlcourse>" name (see _keras_registry). This
# imports neither Keras nor TensorFlow.
_keras_registry.install(_import_keras_classes)


def load_model(filepath, **kwargs):
    """`keras.models.load_model`, with every dlcourse Keras class registered first.

    A saved model names its classes ("dlcourse>Conv2D"), and Keras finds a class only once
    the module defining it has been imported. After `import dlcourse`, plain
    `keras.models.load_model` imports them when a saved model names one; this function imports
    every Keras-bearing subpackage (perceptron, training, sequence, cnn, detection with its R-CNN
    and single-object detector, nlp, generative, gnn, llm) up front and then loads.

    Args:
        filepath: the saved model, e.g. a `.keras` file written by `model.save`.
        **kwargs: passed to `keras.models.load_model` (`custom_objects`, `compile`,
            `safe_mode`).

    Returns:
        The Keras model, as `keras.models.load_model` returns it.

    Example:

    >>> import dlcourse
    >>> model = dlcourse.load_model("model.keras")  # doctest: +SKIP
    """
    _import_keras_classes()
    import keras

    return keras.models.load_model(filepath, **kwargs)


def __getattr__(name):
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'dlcourse' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBPACKAGES))
