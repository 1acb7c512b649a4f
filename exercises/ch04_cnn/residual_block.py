# %% [markdown]
"""Residual block as a Keras layer (7 points)
Lecture: §4.2.4 Residual Connection; §2.3.3 Batch Normalization

The notes' residual connection: instead of learning a mapping H(x) directly, a block learns a
residual function F and adds its input x back,

    y = F(x, {W_i}) + x

Our F is the basic block of ResNet, a stack of two 3x3 convolutions with batch normalization
(§2.3.3) after each:

    F(x) = BN2(conv2(ReLU(BN1(conv1(x)))))
    y    = F(x) + x                         (the notes' form: the default)

- conv1: `filters` kernels of size 3x3 with stride `strides`, padding "same", no bias;
- conv2: `filters` kernels of size 3x3 with stride 1, padding "same", no bias;
- BN1, BN2: batch normalization over the channels (Keras' defaults: momentum 0.99,
  epsilon 1e-3); its beta replaces the convolutions' bias.

Beyond the notes, two choices of the ResNet paper, both graded after the notes' form:
- `post_activation=True` puts a ReLU after the sum, y = ReLU(F(x) + shortcut(x)), as the
  original ResNet block does;
- the projection shortcut: x can be added as it is only when the block keeps the shape
  (c_in == filters and strides == 1: then shortcut(x) = x, the notes' identity). Otherwise
  shortcut(x) is a 1x1 convolution with `filters` kernels and stride `strides`, no bias,
  followed by batch normalization, and y = F(x) + shortcut(x).

Images are channels-last: inputs (batch, H, W, c_in), outputs (batch, ceil(H / strides),
ceil(W / strides), filters).

Write the Keras layer `ResidualBlock(filters, strides=1, post_activation=False)`:
1. `__init__` stores the arguments; it raises ValueError unless filters is a positive integer
   (1 is the smallest block: one channel);
2. `build(input_shape)` creates the sublayers as attributes with exactly these names:
   `conv1`, `bn1`, `conv2`, `bn2`, and `shortcut_conv`, `shortcut_bn` (both None for an
   identity shortcut), using keras.layers.Conv2D and keras.layers.BatchNormalization, and
   builds each of them (the checks set their weights with `set_weights`);
3. `call(inputs, training=None)` computes y, passing `training` to the batch normalizations
   (batch statistics in training, moving statistics at inference);
4. `get_config()` returns the base config plus `filters`, `strides` and `post_activation`, so
   that `ResidualBlock.from_config(block.get_config())` makes the same block.

You may not use keras.applications, torch or dlcourse.cnn.
"""

# %%
import keras
from keras import ops


# %%
class ResidualBlock(keras.layers.Layer):
    """y = F(x) + shortcut(x) with F(x) = BN2(conv2(ReLU(BN1(conv1(x))))); ReLU(y) if post_activation."""

    def __init__(self, filters, strides=1, post_activation=False, **kwargs):
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
