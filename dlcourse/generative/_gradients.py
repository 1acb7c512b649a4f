"""The one place where dlcourse.generative's training steps reach past `keras.ops` to TensorFlow.

Lecture: §6 Generative Model

Keras 3 leaves gradients to the backend: a custom `train_step` needs `tf.GradientTape` under
TensorFlow (and `jax.grad` or `torch.autograd` elsewhere). Every model of this subpackage writes
its losses with `keras.ops` and hands them to `minimise`, so a port to another backend changes
this file only.
"""

from __future__ import annotations

import keras


def minimise(optimizer, loss_fn, variables):
    """One gradient step of `optimizer` on `loss_fn()` with respect to `variables`.

    Args:
        optimizer: a built or unbuilt `keras.optimizers.Optimizer`.
        loss_fn: a function of no arguments returning (loss, logs): the scalar loss to minimise
            and a dict of tensors to report.
        variables: the trainable variables to update, or a function of no arguments returning them
            (called after `loss_fn`, so that a model built lazily by its first call has them).

    Returns:
        The `logs` dict of `loss_fn`.
    """
    if keras.backend.backend() != "tensorflow":
        raise NotImplementedError(
            f"dlcourse.generative trains with the TensorFlow backend only, got {keras.backend.backend()!r}; "
            "set KERAS_BACKEND=tensorflow.")
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss, logs = loss_fn()
    if callable(variables):
        variables = variables()
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return logs
