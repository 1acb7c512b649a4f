"""The perceptron as a Keras layer: a weighted sum followed by an activation.

Lecture: §1 From Perceptron to Neural Network
"""

import keras
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.perceptron.activations import ACTIVATION_NAMES, get_activation


@keras.saving.register_keras_serializable(package="dlcourse")
class Perceptron(keras.layers.Layer):
    """A layer of perceptrons (a dense layer): each unit computes g(x w + b).

    The notes' perceptron weights the inputs x_1 ... x_m, sums them with a bias and applies an
    activation g; their multi-output perceptron (a dense layer) does so for every output i:

        y_hat = g(b + X W^T),      y_hat_i = g(b_i + X W_i^T)

    where W has one row W_i per output, shape (units, n_inputs). With `units=1` this layer is
    the single perceptron, with `units=k` the multi-output one. Its kernel is stored as Keras
    stores a Dense kernel, transposed: our W is the notes' W^T, of shape (n_inputs, units), so
    that for a batch x (one sample per row) the layer computes

        z = x W + b,    y = g(z)        (x W + b = b + X W^T in the notes' W)

    with x of shape (batch, n_inputs), W (n_inputs, units), b (units,). This is the readable
    reference of `keras.layers.Dense`; the tests prove both agree on shared weights.

    Args:
        units: number of perceptrons k (outputs), a positive integer.
        activation: g, one of "sigmoid", "tanh", "relu", "linear".
        use_bias: whether to add the bias b.
        kernel_initializer: initializer of W (name or `keras.initializers.Initializer`).
        bias_initializer: initializer of b.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: tensor of shape (..., n_inputs).

    Returns:
        A tensor of shape (..., units): the activations y = g(x W + b).

    Example:

    >>> import numpy as np
    >>> from dlcourse.perceptron import Perceptron
    >>> layer = Perceptron(units=3, activation="tanh")
    >>> tuple(layer(np.ones((2, 4), dtype="float32")).shape)
    (2, 3)
    """

    def __init__(
        self,
        units,
        activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        units = positive_int("units", units)
        if activation not in ACTIVATION_NAMES:
            raise ValueError(
                f"activation must be one of {', '.join(ACTIVATION_NAMES)}, got {activation!r}."
            )
        self.units = units
        self.activation = activation
        self.use_bias = bool(use_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self._g, _ = get_activation(activation)

    def build(self, input_shape):
        n_inputs = input_shape[-1]
        if n_inputs is None:
            raise ValueError(
                "Perceptron needs a known last input dimension (n_inputs), got shape "
                f"{tuple(input_shape)}; give the Input layer a fixed feature size."
            )
        self.kernel = self.add_weight(
            shape=(n_inputs, self.units), name="kernel", initializer=self.kernel_initializer
        )
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), name="bias", initializer=self.bias_initializer
            )
        else:
            self.bias = None

    def call(self, inputs):
        return self._g(self._weighted_sum(inputs))

    def _weighted_sum(self, inputs):
        z = ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            z = z + self.bias
        return z

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": self.activation,
            "use_bias": self.use_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }
