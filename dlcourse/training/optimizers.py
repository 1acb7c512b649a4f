"""Gradient-based optimizers of the notes: mini-batch SGD, SGD with momentum, Adam (and AdamW).

Lecture: §2.2 Optimization

Each is a `keras.optimizers.Optimizer`, so it plugs into `model.compile(optimizer=...)`;
`update_step` is the notes' update rule for one parameter tensor theta with gradient
g = grad L(theta) and learning rate eta.

How they map onto Keras' own optimizers:

- `SGD` is the notes' theta <- theta - eta grad L(theta), `keras.optimizers.SGD()` exactly.
- `SGDMomentum` is the notes' momentum, v <- mu v - eta grad L(theta), theta <- theta + v,
  which is `keras.optimizers.SGD(learning_rate=eta, momentum=mu)` step for step. Beyond the
  notes, `SGDMomentum(moving_average=True)` offers the moving-average form of momentum
  (v <- mu v + (1 - mu) g, theta <- theta - eta v; Adam's first moment m_t is this average):
  the same direction, with an effective learning rate eta (1 - mu) of the notes' form.
- `Adam(bias_correction=False)` is the notes' Adam (no bias correction);
  `Adam(bias_correction=True)`, beyond the notes, is Kingma and Ba's Algorithm 1, which matches
  `keras.optimizers.Adam` up to where epsilon sits (see `Adam`).
- `AdamW`, beyond the notes, is Adam with decoupled weight decay (Loshchilov and Hutter, 2019),
  the optimizer of LLM pre-training (chapter 8): theta <- theta - eta lambda theta, then the
  Adam step; it matches `keras.optimizers.AdamW` up to the same placement of epsilon.
"""

from __future__ import annotations

import keras
from keras import ops

__all__ = ["SGD", "SGDMomentum", "Adam", "AdamW"]


def _check_fraction(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}.")
    return float(value)


@keras.saving.register_keras_serializable(package="dlcourse")
class SGD(keras.optimizers.Optimizer):
    """Mini-batch stochastic gradient descent, the notes' update rule.

    Each step moves every variable against its gradient on the current mini-batch:

        theta <- theta - eta grad L(theta).

    Args:
        learning_rate: the step size eta (a float or a
            `keras.optimizers.schedules.LearningRateSchedule`). Defaults to 0.01.
        name: optimizer name.
        **kwargs: base optimizer arguments (`weight_decay`, `clipnorm`, ...).

    Example:

    >>> import keras
    >>> from dlcourse.training import SGD
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
    """Gradient descent with momentum, in the notes' form.

    A velocity v (one slot per variable, starting at zero) smooths the updates; mu is the
    momentum coefficient:

        v     <- mu v - eta grad L(theta),
        theta <- theta + v.

    Steps along a direction in which the gradient keeps its sign build up (to eta / (1 - mu)
    times a constant gradient), and components that flip sign cancel. This is
    `keras.optimizers.SGD(learning_rate=eta, momentum=mu)` (with `nesterov=False`) step for
    step; the tests prove it on a Keras model.

    Beyond the notes, `moving_average=True` keeps the velocity as an exponential moving
    average of the gradients instead, the form of Adam's first moment m_t:

        v     <- mu v + (1 - mu) grad L(theta),
        theta <- theta - eta v.

    Writing u = -eta v turns it into the notes' rule with learning rate eta (1 - mu): the
    steps point the same way, but for the same eta the notes' steps are 1 / (1 - mu) times
    longer (10 times for mu = 0.9). So `SGDMomentum(eta, mu, moving_average=True)` equals
    `SGDMomentum(eta * (1 - mu), mu)` and `keras.optimizers.SGD(eta * (1 - mu), momentum=mu)`.

    Args:
        learning_rate: the step size eta (a float or a schedule). Defaults to 0.01.
        momentum: mu in [0, 1), how much of the old velocity is kept; 0 is plain SGD.
            Defaults to 0.9.
        moving_average: False (default) for the notes' form, True for the moving-average
            form above.
        name: optimizer name.
        **kwargs: base optimizer arguments (`weight_decay`, `clipnorm`, ...).

    Example:

    >>> import keras
    >>> from dlcourse.training import SGDMomentum
    >>> w = keras.Variable([1.0])
    >>> opt = SGDMomentum(learning_rate=0.1, momentum=0.5)
    >>> opt.apply([keras.ops.convert_to_tensor([1.0])], [w])  # v = -0.1, theta = 1 - 0.1
    >>> round(float(w.numpy()[0]), 4)
    0.9
    >>> opt.apply([keras.ops.convert_to_tensor([1.0])], [w])  # v = 0.5 (-0.1) - 0.1 = -0.15
    >>> round(float(w.numpy()[0]), 4)
    0.75
    """

    def __init__(self, learning_rate=0.01, momentum=0.9, moving_average=False, name="SGDMomentum",
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.momentum = _check_fraction("momentum", momentum)
        if not isinstance(moving_average, bool):
            raise ValueError(f"moving_average must be True or False, got {moving_average!r}.")
        self.moving_average = moving_average

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")

    def update_step(self, gradient, variable, learning_rate):
        eta = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        mu = ops.cast(self.momentum, variable.dtype)
        v = self._velocities[self._get_variable_index(variable)]
        if self.moving_average:
            self.assign(v, ops.add(ops.multiply(mu, v), ops.multiply(1.0 - mu, gradient)))
            self.assign_sub(variable, ops.multiply(eta, v))
        else:
            self.assign(v, ops.subtract(ops.multiply(mu, v), ops.multiply(eta, gradient)))
            self.assign_add(variable, v)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum,
                "moving_average": self.moving_average}


@keras.saving.register_keras_serializable(package="dlcourse")
class Adam(keras.optimizers.Optimizer):
    """Adam: momentum on the gradient plus a per-weight step size from its squared average.

    Two slots per variable, m and v, start at zero; the step counter t starts at 1. With
    g = grad L(theta), the notes' moments are

        m_t = beta_1 m_{t-1} + (1 - beta_1) g          (first moment, a moving average of g)
        v_t = beta_2 v_{t-1} + (1 - beta_2) g^2        (second moment, elementwise square)

    The notes' Adam (`bias_correction=False`, the default) steps with the raw moments:

        theta <- theta - eta m_t / (sqrt(v_t) + epsilon).

    Beyond the notes: because m and v start at zero they are biased towards zero in the first
    steps (after one step m = (1 - beta_1) g). The standard Adam of Kingma and Ba
    (`bias_correction=True`) rescales them first:

        m_hat = m_t / (1 - beta_1^t),   v_hat = v_t / (1 - beta_2^t),
        theta <- theta - eta m_hat / (sqrt(v_hat) + epsilon).

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
        bias_correction: False for the notes' Adam, True for the standard one.
        name: optimizer name.
        **kwargs: base optimizer arguments (`weight_decay`, `clipnorm`, ...).

    Example:

    >>> import keras
    >>> from dlcourse.training import Adam
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


@keras.saving.register_keras_serializable(package="dlcourse")
class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2019), beyond the notes.

    The notes' L2 regularization (§2.3.2) adds lambda ||W||^2 to the loss, so with plain SGD
    every step also shrinks the weights by 2 eta lambda W: a weight decay. Put into Adam's
    gradient, however, the penalty's gradient is divided by sqrt(v_t) like every other
    component (this coupled form is "Adam with L2"), so weights with large gradients are hardly
    regularized. AdamW decouples the decay from the gradient: every step first shrinks the
    weights, then takes the Adam step on the loss's own gradient g = grad L(theta),

        theta <- theta - eta lambda theta                          (decoupled weight decay)
        m_t = beta_1 m_{t-1} + (1 - beta_1) g,   v_t = beta_2 v_{t-1} + (1 - beta_2) g^2
        theta <- theta - eta m_hat / (sqrt(v_hat) + epsilon),

    with the notes' moments of §2.2 and, by default, Kingma and Ba's bias correction
    m_hat = m_t / (1 - beta_1^t), v_hat = v_t / (1 - beta_2^t) (`bias_correction=False` uses
    the raw moments, the notes' Adam). The decay is scaled by the current learning rate eta, so
    a schedule (warmup and cosine, `dlcourse.llm.WarmupCosineDecay`) scales it too, as in
    `keras.optimizers.AdamW` and PyTorch's AdamW. `keras.optimizers.AdamW` applies the same
    decay before the same corrected step and differs only in where epsilon sits (see `Adam`):
    the two agree step for step to float tolerance whenever epsilon << sqrt(v_hat).
    `optimizer.exclude_from_weight_decay(var_names=[...])` exempts variables (biases,
    normalization scales) from the decay, as in Keras.

    Args:
        learning_rate: the step size eta (a float or a schedule). Defaults to 0.001.
        weight_decay: the decay rate lambda >= 0. Defaults to 0.004 (Keras' default).
        beta_1: decay of the first moment, in [0, 1). Defaults to 0.9.
        beta_2: decay of the second moment, in [0, 1). Defaults to 0.999.
        epsilon: small positive number added to sqrt(v_hat). Defaults to 1e-7.
        bias_correction: True (default) for the standard corrected Adam step, False for the
            notes' raw moments.
        name: optimizer name.
        **kwargs: base optimizer arguments (`clipnorm`, `global_clipnorm`, ...).

    Example:

    >>> import keras
    >>> from dlcourse.training import AdamW
    >>> w = keras.Variable([1.0])
    >>> AdamW(learning_rate=0.1, weight_decay=0.5).apply([keras.ops.ones((1,))], [w])
    >>> round(float(w.numpy()[0]), 4)  # decay 1 - 0.1 * 0.5 * 1 = 0.95, then a step of eta
    0.85
    """

    def __init__(
        self,
        learning_rate=0.001,
        weight_decay=0.004,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-7,
        bias_correction=True,
        name="AdamW",
        **kwargs,
    ):
        if isinstance(weight_decay, bool) or not isinstance(weight_decay, (int, float)) or weight_decay < 0:
            raise ValueError(f"weight_decay must be a non-negative number, got {weight_decay!r}.")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         bias_correction=bias_correction, name=name, weight_decay=float(weight_decay), **kwargs)

    def _apply_weight_decay(self, variables):
        # Keras' base class decays every variable before the update steps; here the decay is
        # part of `update_step` instead, where it can be read beside the Adam step.
        return

    def update_step(self, gradient, variable, learning_rate):
        if self.weight_decay and self._use_weight_decay(variable):
            eta = ops.cast(learning_rate, variable.dtype)
            lam = ops.cast(self.weight_decay, variable.dtype)
            self.assign_sub(variable, ops.multiply(ops.multiply(eta, lam), variable))
        super().update_step(gradient, variable, learning_rate)
