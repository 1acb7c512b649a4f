"""The one place where dlcourse.generative's training steps reach past `keras.ops` to TensorFlow.

Lecture: §6 Generative Model

Keras 3 leaves gradients to the backend: a custom `train_step` needs `tf.GradientTape` under
TensorFlow (and `jax.grad` or `torch.autograd` elsewhere). Every model of this subpackage writes
its losses with `keras.ops` and hands them to `minimise`, so a port to another backend changes
this file only. Until then `VAE`, `RealNVP` and `GAN` train and evaluate on TensorFlow only
(`TensorFlowSteps`: `fit` and `evaluate` raise a clear error on JAX or PyTorch); their layers,
forward passes, losses and `predict` are backend-neutral.
"""

from __future__ import annotations

from dlcourse._backend import require_tensorflow


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
    require_tensorflow("dlcourse.generative's training step")
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss, logs = loss_fn()
    if callable(variables):
        variables = variables()
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return logs


class TensorFlowSteps:
    """Mixin for a `keras.Model` whose own `train_step`/`test_step` run on TensorFlow only.

    JAX's trainer calls the steps as pure functions of (state, data), which these stateful steps
    are not; `fit` and `evaluate` stop at once with `require_tensorflow`'s error instead of a
    TypeError from inside Keras. Calling the model and `predict` work on every backend.
    """

    def make_train_function(self, force=False):
        require_tensorflow(f"{type(self).__name__}.fit")
        return super().make_train_function(force)

    def make_test_function(self, force=False):
        require_tensorflow(f"{type(self).__name__}.evaluate")
        return super().make_test_function(force)
