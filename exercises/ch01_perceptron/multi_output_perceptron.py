# %% [markdown]
"""Multi-output perceptron as a Keras layer (6 points)

A multi-output perceptron is `units` perceptrons that see the same inputs. For a batch x of
shape (batch, n_inputs) it computes

    z = x W + b,    y = g(z)

with W of shape (n_inputs, units), b of shape (units,) and g one of

    "sigmoid":  g(z) = 1 / (1 + exp(-z))
    "tanh":     g(z) = tanh(z)
    "relu":     g(z) = max(0, z)
    "linear":   g(z) = z

With units=1 it is the single perceptron of the lecture.

Write the Keras layer `MultiOutputPerceptron(units, activation="sigmoid", **kwargs)`:

- `__init__` raises ValueError when `units` is not a positive integer or `activation` is not
  one of the four names; it creates no weights.
- `build(input_shape)` creates, with `self.add_weight`, first the kernel W
  (n_inputs, units), then the bias b (units,) -- in that order, so that
  `layer.set_weights([W, b])` works.
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
        # YOUR CODE HERE
        raise NotImplementedError()

    def build(self, input_shape):
        # YOUR CODE HERE
        raise NotImplementedError()

    def call(self, inputs):
        # YOUR CODE HERE
        raise NotImplementedError()

    def get_config(self):
        # YOUR CODE HERE
        raise NotImplementedError()
