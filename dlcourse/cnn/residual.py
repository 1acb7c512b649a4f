"""The residual block of ResNet: two convolutions plus a shortcut.

Lecture: §4.2.4 Residual Connection; §2.3.3 Batch Normalization

The notes' residual connection is y = F(x, {W_i}) + x: a stack of layers learns the residual F
and the input is added back. `ResidualBlock` is that form by default; the ReLU after the sum
of the original ResNet block and the 1x1 projection shortcut are its options (beyond the notes).
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.cnn.convolution import Conv2D, _pair_of_ints
from dlcourse.training.normalization import BatchNormalization

__all__ = ["ResidualBlock"]


@keras.saving.register_keras_serializable(package="dlcourse")
class ResidualBlock(keras.layers.Layer):
    """A residual block (He et al., 2016): the layers learn a residual F(x) added to x.

    The notes' form (the default):

        y = F(x, {W_i}) + x,     F(x) = BN(conv2(ReLU(BN(conv1(x)))))

    F is ResNet's basic block: conv1 is a kernel_size convolution with the block's stride, conv2
    one with stride 1, both "same" padded and without bias (batch normalization's beta takes its
    place). Because the gradient flows unchanged through the added x, very deep stacks of such
    blocks still train, and F = 0 makes the block the identity.

    Beyond the notes, two choices of the ResNet paper:

    - `post_activation=True` applies a ReLU after the sum, y = ReLU(F(x) + shortcut(x)), as the
      original ResNet block does (the "post-activation" of He et al.'s follow-up paper, which
      drops it again);
    - the shortcut is the identity x when the shape is kept; when the stride is not 1 or the
      channels change, x cannot be added as it is, and the shortcut is a projection: a 1x1
      convolution with the block's stride, followed by batch normalization.

    Sublayers, in the order of `get_weights()`: conv1 (kernel), bn1 (gamma, beta, moving mean,
    moving variance), conv2, bn2, then -- with a projection -- shortcut_conv and shortcut_bn.

    Args:
        filters: output channels, a positive integer.
        kernel_size: kernel of the two main convolutions, an int or a pair. Defaults to 3.
        strides: stride of conv1 and of the projection. Defaults to 1.
        projection: True or False to force a projection shortcut or the identity; None (the
            default) uses a projection exactly when the shape changes.
        post_activation: whether a ReLU follows the sum (the original ResNet block). Defaults
            to False, the notes' y = F(x) + x. A saved block from before this option existed
            had the ReLU, and loads with post_activation=True.
        momentum, epsilon: of the batch normalizations.
        kernel_initializer: initializer of the convolution kernels. Defaults to "he_normal".
        **kwargs: base layer arguments.

    Call arguments:
        inputs: a tensor of shape (batch, height, width, c_in).
        training: True to normalise with batch statistics (and update the moving ones).

    Returns:
        A tensor of shape (batch, ceil(height / strides), ceil(width / strides), filters).

    Example:

    >>> import keras
    >>> from dlcourse.cnn import ResidualBlock
    >>> block = ResidualBlock(8, strides=2)
    >>> tuple(block(keras.ops.zeros((2, 6, 6, 4))).shape), block.uses_projection
    ((2, 3, 3, 8), True)
    >>> same = ResidualBlock(3)
    >>> tuple(same(keras.ops.ones((1, 4, 4, 3))).shape), same.uses_projection, same.post_activation
    ((1, 4, 4, 3), False, False)
    """

    def __init__(self, filters, kernel_size=3, strides=1, projection=None, post_activation=False, momentum=0.99,
                 epsilon=1e-3, kernel_initializer="he_normal", **kwargs):
        super().__init__(**kwargs)
        filters = positive_int("filters", filters)
        if projection not in (None, True, False):
            raise ValueError(f"projection must be True, False or None (automatic), got {projection!r}.")
        self.filters = filters
        self.kernel_size = _pair_of_ints(kernel_size, "kernel_size")
        self.strides = _pair_of_ints(strides, "strides")
        if not isinstance(post_activation, bool):
            raise ValueError(f"post_activation must be True or False, got {post_activation!r}.")
        self.projection = projection
        self.post_activation = post_activation
        self.momentum = momentum
        self.epsilon = epsilon
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        conv = dict(padding="same", use_bias=False, kernel_initializer=kernel_initializer)
        norm = dict(momentum=momentum, epsilon=epsilon)
        self.conv1 = Conv2D(filters, self.kernel_size, strides=self.strides, name="conv1", **conv)
        self.bn1 = BatchNormalization(name="bn1", **norm)
        self.conv2 = Conv2D(filters, self.kernel_size, name="conv2", **conv)
        self.bn2 = BatchNormalization(name="bn2", **norm)
        self.shortcut_conv = self.shortcut_bn = None
        self.uses_projection = None

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(
                f"ResidualBlock needs inputs of shape (batch, height, width, channels), got {tuple(input_shape)}."
            )
        shape_changes = input_shape[-1] != self.filters or self.strides != (1, 1)
        if self.projection is False and shape_changes:
            raise ValueError(
                f"projection=False needs the block to keep the input's shape, but it maps {input_shape[-1]} "
                f"channels to {self.filters} with strides {self.strides}; use projection=None."
            )
        self.uses_projection = shape_changes if self.projection is None else self.projection
        self.conv1.build(input_shape)
        hidden = self.conv1.compute_output_shape(input_shape)
        self.bn1.build(hidden)
        self.conv2.build(hidden)
        self.bn2.build(hidden)
        if self.uses_projection:
            self.shortcut_conv = Conv2D(
                self.filters, 1, strides=self.strides, use_bias=False,
                kernel_initializer=self.kernel_initializer, name="shortcut_conv",
            )
            self.shortcut_bn = BatchNormalization(momentum=self.momentum, epsilon=self.epsilon, name="shortcut_bn")
            self.shortcut_conv.build(input_shape)
            self.shortcut_bn.build(hidden)

    def call(self, inputs, training=None):
        residual = ops.relu(self.bn1(self.conv1(inputs), training=training))
        residual = self.bn2(self.conv2(residual), training=training)
        shortcut = inputs
        if self.uses_projection:
            shortcut = self.shortcut_bn(self.shortcut_conv(inputs), training=training)
        outputs = residual + shortcut
        return ops.relu(outputs) if self.post_activation else outputs

    def compute_output_shape(self, input_shape):
        return self.conv1.compute_output_shape(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "projection": self.projection,
            "post_activation": self.post_activation,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
        }

    @classmethod
    def from_config(cls, config):
        # A config without the key was saved when every block had the ReLU after the sum.
        return super().from_config({"post_activation": True, **config})
