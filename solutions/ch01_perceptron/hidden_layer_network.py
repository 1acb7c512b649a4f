# %% [markdown]
"""Forward propagation in a network with one hidden layer (6 points)

Stacking two layers of perceptrons gives a neural network. Forward propagation of a batch
x of shape (batch, n_inputs) computes

    a1 = g1(x W1 + b1)          hidden layer, shape (batch, hidden_units)
    y_hat = g2(a1 W2 + b2)      output layer, shape (batch, output_units)

with W1 (n_inputs, hidden_units), b1 (hidden_units,), W2 (hidden_units, output_units),
b2 (output_units,). Each activation is one of

    "sigmoid": 1 / (1 + exp(-z)),   "tanh": tanh(z),   "relu": max(0, z),   "linear": z

Write the Keras model `HiddenLayerNetwork(hidden_units, output_units=1,
hidden_activation="sigmoid", output_activation="sigmoid", **kwargs)`:

- it holds exactly four trainable weights, created with `add_weight` when the model is
  built, and `model.get_weights()` returns them in the order [W1, b1, W2, b2] (so
  `model.set_weights([W1, b1, W2, b2])` sets them);
- `call(inputs)` returns y_hat of shape (batch, output_units), computed with `keras.ops`,
  so that the model trains with `model.compile(...)` and `model.fit(...)`.

You may not use keras.layers.Dense, keras.Sequential, keras.activations or
dlcourse.perceptron.
"""

# %%
import keras
from keras import ops


# %%
def _activation(name, z):
    """g(z) for the activation called `name`."""
    ### BEGIN SOLUTION
    if name == "sigmoid":
        return ops.sigmoid(z)
    if name == "tanh":
        return ops.tanh(z)
    if name == "relu":
        return ops.maximum(z, 0.0)
    if name == "linear":
        return z
    raise ValueError(f"activation must be sigmoid, tanh, relu or linear, got {name!r}.")
    ### END SOLUTION


class HiddenLayerNetwork(keras.Model):
    """x -> g1(x W1 + b1) -> g2(a1 W2 + b2)."""

    def __init__(self, hidden_units, output_units=1, hidden_activation="sigmoid",
                 output_activation="sigmoid", **kwargs):
        super().__init__(**kwargs)
        self.hidden_units = hidden_units
        self.output_units = output_units
        self.hidden_activation = hidden_activation
        self.output_activation = output_activation

    def build(self, input_shape):
        ### BEGIN SOLUTION
        n_inputs = input_shape[-1]
        self.w1 = self.add_weight(shape=(n_inputs, self.hidden_units), name="W1",
                                  initializer="glorot_uniform")
        self.b1 = self.add_weight(shape=(self.hidden_units,), name="b1", initializer="zeros")
        self.w2 = self.add_weight(shape=(self.hidden_units, self.output_units), name="W2",
                                  initializer="glorot_uniform")
        self.b2 = self.add_weight(shape=(self.output_units,), name="b2", initializer="zeros")
        ### END SOLUTION

    def call(self, inputs):
        ### BEGIN SOLUTION
        a1 = _activation(self.hidden_activation, ops.matmul(inputs, self.w1) + self.b1)
        return _activation(self.output_activation, ops.matmul(a1, self.w2) + self.b2)
        ### END SOLUTION
