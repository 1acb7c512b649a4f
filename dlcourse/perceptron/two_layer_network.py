"""A neural network with one hidden layer, as a Keras model built from perceptron layers.

Lecture: §1 From Perceptron to Neural Network
"""

import keras

from dlcourse.arguments import positive_int
from dlcourse.perceptron.activations import ACTIVATION_NAMES
from dlcourse.perceptron.perceptron import Perceptron


@keras.saving.register_keras_serializable(package="dlcourse")
class TwoLayerNetwork(keras.Model):
    """A neural network with one hidden layer: forward propagation through two perceptron layers.

    A hidden layer between inputs and outputs gives the notes' first neural network. Their
    forward propagation is

        Hidden layer:  Z = b(1) + X W(1)^T
        Output layer:  Y_hat = g(b(2) + g(Z) W(2)^T)

    with one row of W(1) per hidden unit and one row of W(2) per output. As Keras stores Dense
    kernels, our W1 = W(1)^T and W2 = W(2)^T, and each layer may have its own activation (the
    notes allow it):

        a1 = g1(x W1 + b1)          hidden layer, shape (batch, hidden_units); x W1 + b1 = Z
        y_hat = g2(a1 W2 + b2)      output layer, shape (batch, output_units)

    The weights, in order, are W1 (n_inputs, hidden_units), b1 (hidden_units,),
    W2 (hidden_units, output_units), b2 (output_units,) -- the same order as
    `keras.Sequential([Dense(hidden_units), Dense(output_units)])`, so `set_weights` moves
    weights between the two.

    Args:
        hidden_units: size of the hidden layer, a positive integer.
        output_units: number of outputs, a positive integer.
        hidden_activation: g1, one of "sigmoid", "tanh", "relu", "linear".
        output_activation: g2, one of "sigmoid", "tanh", "relu", "linear".
        kernel_initializer: initializer of W1 and W2.
        bias_initializer: initializer of b1 and b2.
        **kwargs: base model arguments (`name`, `dtype`, ...); `dtype` reaches both layers.

    Call arguments:
        inputs: tensor of shape (batch, n_inputs).

    Returns:
        A tensor of shape (batch, output_units): the network's output y_hat.

    Example:

    >>> import numpy as np
    >>> from dlcourse.perceptron import TwoLayerNetwork
    >>> net = TwoLayerNetwork(hidden_units=3, output_units=1)
    >>> tuple(net(np.zeros((4, 2), dtype="float32")).shape)
    (4, 1)
    >>> net.count_params()  # 2*3 + 3 + 3*1 + 1
    13
    """

    def __init__(
        self,
        hidden_units,
        output_units=1,
        hidden_activation="sigmoid",
        output_activation="sigmoid",
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        hidden_units, output_units = positive_int("hidden_units", hidden_units), positive_int("output_units", output_units)
        for argument, value in (
            ("hidden_activation", hidden_activation),
            ("output_activation", output_activation),
        ):
            if value not in ACTIVATION_NAMES:
                raise ValueError(
                    f"{argument} must be one of {', '.join(ACTIVATION_NAMES)}, got {value!r}."
                )
        self.hidden_units = hidden_units
        self.output_units = output_units
        self.hidden_activation = hidden_activation
        self.output_activation = output_activation
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        # Each layer gets its own copy: a seeded initializer instance shared by two layers
        # would hand both the same random stream.
        self.hidden_layer = Perceptron(
            hidden_units,
            hidden_activation,
            kernel_initializer=_copy(self.kernel_initializer),
            bias_initializer=_copy(self.bias_initializer),
            dtype=self.dtype_policy,
            name="hidden_layer",
        )
        self.output_layer = Perceptron(
            output_units,
            output_activation,
            kernel_initializer=_copy(self.kernel_initializer),
            bias_initializer=_copy(self.bias_initializer),
            dtype=self.dtype_policy,
            name="output_layer",
        )

    def build(self, input_shape):
        # Built explicitly so that `load_model` can create W1..b2 before restoring them.
        self.hidden_layer.build(input_shape)
        self.output_layer.build(tuple(input_shape[:-1]) + (self.hidden_units,))

    def call(self, inputs):
        return self.output_layer(self.hidden_layer(inputs))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.output_units,)

    def get_config(self):
        return {
            **super().get_config(),
            "hidden_units": self.hidden_units,
            "output_units": self.output_units,
            "hidden_activation": self.hidden_activation,
            "output_activation": self.output_activation,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


def _copy(initializer):
    return keras.initializers.deserialize(keras.initializers.serialize(initializer))
