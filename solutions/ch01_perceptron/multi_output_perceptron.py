# %% [markdown]
"""Multi-output perceptron as a Keras layer (6 points)
Lecture: §1 From Perceptron to Neural Network

A multi-output perceptron is `units` perceptrons that see the same inputs, all inputs densely
connected to all outputs. The notes write output i as

    y_hat_i = g(b_i + X W_i^T)

where W_i, row i of the weight matrix W of shape (units, n_inputs), holds the weights of output
i. Our layer stores that matrix transposed, as Keras stores the kernel of a Dense layer: the
kernel K = W^T has shape (n_inputs, units), one column per output. For a batch x of shape
(batch, n_inputs), one sample per row, all outputs at once are

    z = x K + b,    y = g(z)            (x K + b is the notes' b + X W^T)

with b of shape (units,) and g one of the notes' activations, or the identity (ours, for a
regression output):

    "sigmoid":  g(z) = 1 / (1 + exp(-z))
    "tanh":     g(z) = tanh(z)
    "relu":     g(z) = max(0, z)
    "linear":   g(z) = z

With units=1 it is the notes' single perceptron, y_hat = g(b + X W^T).

Write the Keras layer `MultiOutputPerceptron(units, activation="sigmoid", **kwargs)`:

- `__init__` raises ValueError when `units` is not a positive integer or `activation` is not
  one of the four names; it creates no weights.
- `build(input_shape)` creates, with `self.add_weight`, first the kernel K
  (n_inputs, units), then the bias b (units,) -- in that order, so that
  `layer.set_weights([K, b])` works.
- `call(inputs)` returns y of shape (batch, units), using `keras.ops` only.
- `get_config()` returns the base config plus "units" and "activation", so that
  `MultiOutputPerceptron.from_config(layer.get_config())` rebuilds the same layer.

You may not use keras.layers.Dense, keras.layers.Activation, keras.activations or
dlcourse.perceptron.
"""

# %%
import keras
from keras import ops


# %%
class MultiOutputPerceptron(keras.layers.Layer):
    """`units` perceptrons y = g(x W + b) on the same inputs."""

    def __init__(self, units, activation="sigmoid", **kwargs):
        super().__init__(**kwargs)
        ### BEGIN SOLUTION
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise ValueError(f"units must be a positive integer, got {units!r}.")
        if activation not in ("sigmoid", "tanh", "relu", "linear"):
            raise ValueError(
                f"activation must be sigmoid, tanh, relu or linear, got {activation!r}."
            )
        self.units = units
        self.activation = activation
        ### END SOLUTION

    def build(self, input_shape):
        ### BEGIN SOLUTION
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="glorot_uniform", name="kernel"
        )
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        ### END SOLUTION

    def call(self, inputs):
        ### BEGIN SOLUTION
        z = ops.matmul(inputs, self.kernel) + self.bias
        if self.activation == "sigmoid":
            return ops.sigmoid(z)
        if self.activation == "tanh":
            return ops.tanh(z)
        if self.activation == "relu":
            return ops.maximum(z, 0.0)
        return z
        ### END SOLUTION

    def get_config(self):
        ### BEGIN SOLUTION
        return {**super().get_config(), "units": self.units, "activation": self.activation}
        ### END SOLUTION
