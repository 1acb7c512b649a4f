"""Gradient-based optimizers of the lecture: SGD, SGD with momentum, and Adam.

Chapter 2 ("training a neural network"). Each is a `keras.optimizers.Optimizer`, so it plugs
into `model.compile(optimizer=...)`; `update_step` is the lecture's update rule for one
variable w with gradient g = dL/dw and learning rate eta.

Conventions, and how they map onto Keras' own optimizers:

- `SGD` is `keras.optimizers.SGD()` exactly.
- `SGDMomentum` keeps the lecture's velocity, an exponential moving average of the gradients,

      v <- beta v + (1 - beta) g,       w <- w - eta v.

  Keras writes momentum as a step, u <- m u - lr g, w <- w + u. With u = -eta v the two are the
  same rule for m = beta and lr = eta (1 - beta): `SGDMomentum(eta, beta)` moves the weights
  exactly like `keras.optimizers.SGD(learning_rate=eta * (1 - beta), momentum=beta)`.
- `Adam(bias_correction=False)` is the lecture's Adam (no bias correction);
  `Adam(bias_correction=True)` is Kingma and Ba's Algorithm 1, which matches
  `keras.optimizers.Adam` up to where epsilon sits (see `Adam`).
"""

from __future__ import annotations

import keras
from keras import ops

__all__ = ["SGD", "SGDMomentum", "Adam"]


def _check_fraction(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}.")
    return float(value)


@keras.saving.register_keras_serializable(package="dlcourse")
class SGD(keras.optimizers.Optimizer):
    """Plain (stochastic) gradient descent.

    Each step moves every variable against its gradient on the current mini-batch:

        w <- w - eta g.

    Args:
        learning_rate: the step size eta (a float or a
            `keras.optimizers.schedules.LearningRateSchedule`). Defaults to 0.01.
        name: optimizer name.
        **kwargs: base optimizer arguments (`weight_decay`, `clipnorm`, ...).

    Example:

    >>> w = keras.Variable([1.0, -2.0])
    >>> SGD(learning_rate=0.1).apply([keras.ops.convert_to_tensor([0.5, 0.5])], [w])
    >>> [round(float(x), 4) for x in w.numpy()]
    [0.95, -2.05]
    """

    def __init__(self, learning_rate=0.01, name="SGD", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)

    def update_step(self, gradient, variable, learning_rate):
        eta = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        self.assign_sub(variable, ops.multiply(eta, gradient))


@keras.saving.register_keras_serializable(package="dlcourse")
class SGDMomentum(keras.optimizers.Optimizer):
    """Gradient descent with momentum, in the lecture's moving-average form.

    The velocity v (one slot per variable, starting at zero) averages past gradients, so that
    steps along a consistent direction build up and oscillating components cancel:

        v <- beta v + (1 - beta) g,
        w <- w - eta v.

    Keras' `SGD(momentum=m)` keeps u <- m u - lr g and w <- w + u instead; it is the same rule
    with u = -eta v, m = beta, lr = eta (1 - beta). So `SGDMomentum(eta, beta)` equals
    `keras.optimizers.SGD(learning_rate=eta * (1 - beta), momentum=beta)` step for step, and
    the same learning rate in both takes steps that differ by the factor 1 - beta.

    Args:
        learning_rate: the step size eta (a float or a schedule). Defaults to 0.01.
        momentum: beta in [0, 1), how much of the old velocity is kept; 0 is plain SGD.
            Defaults to 0.9.
        name: optimizer name.
        **kwargs: base optimizer arguments (`weight_decay`, `clipnorm`, ...).

    Example:

    >>> w = keras.Variable([1.0])
    >>> opt = SGDMomentum(learning_rate=0.1, momentum=0.5)
    >>> opt.apply([keras.ops.convert_to_tensor([1.0])], [w])  # v = 0.5, w = 1 - 0.05
    >>> round(float(w.numpy()[0]), 4)
    0.95
    """

    def __init__(self, learning_rate=0.01, momentum=0.9, name="SGDMomentum", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.momentum = _check_fraction("momentum", momentum)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")

    def update_step(self, gradient, variable, learning_rate):
        eta = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        beta = ops.cast(self.momentum, variable.dtype)
        v = self._velocities[self._get_variable_index(variable)]
        self.assign(v, ops.add(ops.multiply(beta, v), ops.multiply(1.0 - beta, gradient)))
        self.assign_sub(variable, ops.multiply(eta, v))

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum}


@keras.saving.register_keras_serializable(package="dlcourse")
class Adam(keras.optimizers.Optimizer):
    """Adam: momentum on the gradient plus a per-weight step size from its squared average.

    Two slots per variable, m and v, start at zero; the step counter t starts at 1:

        m <- beta_1 m + (1 - beta_1) g           (first moment, as in momentum)
        v <- beta_2 v + (1 - beta_2) g^2         (second moment, elementwise square)

    The lecture's Adam (`bias_correction=False`, the default) steps with the raw moments:

        w <- w - eta m / (sqrt(v) + epsilon).

    Because m and v start at zero they are biased towards zero in the first steps (after one
    step m = (1 - beta_1) g). The standard Adam of Kingma and Ba (`bias_correction=True`)
    rescales them first:

        m_hat = m / (1 - beta_1^t),   v_hat = v / (1 - beta_2^t),
        w <- w - eta m_hat / (sqrt(v_hat) + epsilon).

    Without correction the first step is (1 - beta_1) / sqrt(1 - beta_2) times the corrected
    one -- about 3.16 for the defaults, because the small v shrinks the denominator more than
    the small m shrinks the numerator; the difference fades as t grows.
    `keras.optimizers.Adam` is the corrected form with epsilon added to sqrt(v) before the
    correction: Keras' Adam with epsilon e takes the steps of ours with epsilon
    e / sqrt(1 - beta_2^t), so the two agree closely whenever epsilon << sqrt(v_hat).

    Args:
        learning_rate: the step size eta (a float or a schedule). Defaults to 0.001.
        beta_1: decay of the first moment, in [0, 1). Defaults to 0.9.
        beta_2: decay of the second moment, in [0, 1). Defaults to 0.999.
        epsilon: small positive number added to sqrt(v). Defaults to 1e-7.
        bias_correction: False for the lecture's Adam, True for the standard one.
        name: optimizer name.
        **kwargs: base optimizer arguments (`weight_decay`, `clipnorm`, ...).

    Example:

    >>> w = keras.Variable([1.0])
    >>> Adam(learning_rate=0.1, bias_correction=True).apply([keras.ops.ones((1,))], [w])
    >>> round(float(w.numpy()[0]), 4)  # the first corrected step has length eta
    0.9
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        bias_correction=False,
        name="Adam",
        **kwargs,
    ):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = _check_fraction("beta_1", beta_1)
        self.beta_2 = _check_fraction("beta_2", beta_2)
        if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or epsilon <= 0:
            raise ValueError(f"epsilon must be a positive number, got {epsilon!r}.")
        self.epsilon = float(epsilon)
        if not isinstance(bias_correction, bool):
            raise ValueError(f"bias_correction must be True or False, got {bias_correction!r}.")
        self.bias_correction = bias_correction

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._first_moments, self._second_moments = self.add_optimizer_variables(
            var_list, ["first_moment", "second_moment"]
        )

    def update_step(self, gradient, variable, learning_rate):
        eta = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        beta_1 = ops.cast(self.beta_1, variable.dtype)
        beta_2 = ops.cast(self.beta_2, variable.dtype)
        index = self._get_variable_index(variable)
        m, v = self._first_moments[index], self._second_moments[index]
        self.assign(m, ops.add(ops.multiply(beta_1, m), ops.multiply(1.0 - beta_1, gradient)))
        self.assign(
            v, ops.add(ops.multiply(beta_2, v), ops.multiply(1.0 - beta_2, ops.square(gradient)))
        )
        m_hat, v_hat = self._moment_estimates(m, v, variable.dtype)
        self.assign_sub(
            variable, ops.divide(ops.multiply(eta, m_hat), ops.add(ops.sqrt(v_hat), self.epsilon))
        )

    def _moment_estimates(self, m, v, dtype):
        if not self.bias_correction:
            return m, v
        # `iterations` counts finished steps, so this step is t = iterations + 1.
        t = ops.cast(self.iterations + 1, dtype)
        m_hat = ops.divide(m, 1.0 - ops.power(ops.cast(self.beta_1, dtype), t))
        v_hat = ops.divide(v, 1.0 - ops.power(ops.cast(self.beta_2, dtype), t))
        return m_hat, v_hat

    def get_config(self):
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "bias_correction": self.bias_correction,
        }
