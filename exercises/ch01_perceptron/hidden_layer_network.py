# %% [markdown]
"""Forward propagation in a network with one hidden layer (6 points)
Lecture: §1 From Perceptron to Neural Network

A hidden layer between the inputs and the outputs turns perceptrons into a neural network.
The notes' forward propagation of inputs X (one sample per row) is

    Hidden layer:  Z = b(1) + X W(1)^T
    Output layer:  Y_hat = g(b(2) + g(Z) W(2)^T)

where W(1) has one row per hidden unit and W(2) one row per output. As Keras stores Dense
kernels, our model keeps these matrices transposed, W1 = W(1)^T of shape
(n_inputs, hidden_units) and W2 = W(2)^T of shape (hidden_units, output_units), so that for a
batch x of shape (batch, n_inputs)

    a1 = g1(x W1 + b1)          hidden layer, shape (batch, hidden_units); x W1 + b1 = Z
    y_hat = g2(a1 W2 + b2)      output layer, shape (batch, output_units)

with b1 = b(1) of shape (hidden_units,) and b2 = b(2) of shape (output_units,). The notes allow
a different activation on each layer; ours, g1 and g2, are each one of

    "sigmoid": 1 / (1 + exp(-z)),   "tanh": tanh(z),   "relu": max(0, z),   "linear": z

(the identity "linear" is ours, for regression outputs).

Write the Keras model `HiddenLayerNetwork(hidden_units, output_units=1,
hidden_activation="sigmoid", output_activation="sigmoid", **kwargs)`:

- it holds exactly four trainable weights, created with `add_weight` when the model is
  built, and `model.get_weights()` returns them in the order [W1, b1, W2, b2] (so
  `model.set_weights([W1, b1, W2, b2])` sets them);
- `call(inputs)` returns y_hat of shape (batch, output_units), computed with `keras.ops`,
  so that the model trains with `model.compile(...)` and `model.fit(...)`.

You may not use keras.layers.Dense, keras.Sequential, keras.models.Sequential,
keras.activations or dlcourse.perceptron.
"""

# %%
import keras
from keras import ops


# %%
def _activation(name, z):
    """g(z) for the activation called `name`."""
    # YOUR CODE HERE
    raise NotImplementedError()


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
        # YOUR CODE HERE
        raise NotImplementedError()

    def call(self, inputs):
        # YOUR CODE HERE
        raise NotImplementedError()
