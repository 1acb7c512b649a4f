# %% [markdown]
"""Residual block as a Keras layer (6 points)

ResNet stacks residual blocks: instead of learning a mapping H(x) directly, two convolutions
learn the residual F(x) = H(x) - x, and a shortcut adds x back:

    F(x) = BN2(conv2(ReLU(BN1(conv1(x)))))
    y    = ReLU(F(x) + shortcut(x))

- conv1: `filters` kernels of size 3x3 with stride `strides`, padding "same", no bias;
- conv2: `filters` kernels of size 3x3 with stride 1, padding "same", no bias;
- BN1, BN2: batch normalization over the channels (Keras' defaults: momentum 0.99,
  epsilon 1e-3); its beta replaces the convolutions' bias;
- shortcut: the identity when the block keeps the shape (c_in == filters and strides == 1);
  otherwise a projection: a 1x1 convolution with `filters` kernels and stride `strides`, no
  bias, followed by batch normalization.

Images are channels-last: inputs (batch, H, W, c_in), outputs (batch, ceil(H / strides),
ceil(W / strides), filters).

Write the Keras layer `ResidualBlock(filters, strides=1)`:
1. `__init__` stores the arguments (raise ValueError if filters is not a positive integer);
2. `build(input_shape)` creates the sublayers as attributes with exactly these names:
   `conv1`, `bn1`, `conv2`, `bn2`, and `shortcut_conv`, `shortcut_bn` (both None for an
   identity shortcut), using keras.layers.Conv2D and keras.layers.BatchNormalization, and
   builds each of them (the checks set their weights with `set_weights`);
3. `call(inputs, training=None)` computes y, passing `training` to the batch normalizations
   (batch statistics in training, moving statistics at inference);
4. `get_config()` returns the base config plus `filters` and `strides`, so that
   `ResidualBlock.from_config(block.get_config())` makes the same block.

You may not use keras.applications, torch or dlcourse.cnn.
"""

# %%
import keras
from keras import ops


# %%
class ResidualBlock(keras.layers.Layer):
    """y = ReLU(BN2(conv2(ReLU(BN1(conv1(x))))) + shortcut(x))."""

    def __init__(self, filters, strides=1, **kwargs):
        super().__init__(**kwargs)
        # YOUR CODE HERE
        raise NotImplementedError()

    def build(self, input_shape):
        # YOUR CODE HERE
        raise NotImplementedError()

    def call(self, inputs, training=None):
        # YOUR CODE HERE
        raise NotImplementedError()

    def get_config(self):
        # YOUR CODE HERE
        raise NotImplementedError()
