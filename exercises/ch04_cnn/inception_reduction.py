# %% [markdown]
"""1x1 convolutions: Inception's channel reduction (6 points)
Lecture: §4.2.3 Convolution

The notes' 1x1 convolution is a fully connected layer applied at every pixel (i, j) on its
own: it mixes the C_in channels of that pixel into C_out new ones and keeps the spatial
structure,

    y_{i,j,k} = sum_{c=1..C_in} x_{i,j,c} w_{c,k} + b_k

GoogLeNet's Inception modules use it to reduce the number of channels before their expensive
3x3 and 5x5 convolutions. The notes state the idea; the counts below, which show what it
saves, are ours.

A k x k convolution from C_in to C_out channels with stride 1 and "same" padding, on an H x W
feature map (so the output is H x W too), has

    parameters:     k^2 C_in C_out + C_out      (the C_out biases only if use_bias)
    multiply-adds:  H W k^2 C_in C_out          (each of the H W C_out outputs sums k^2 C_in
                                                 products; adding the bias is not counted)

With a 1x1 reduction to C_r channels first (a 1x1 convolution C_in -> C_r, then the k x k one
C_r -> C_out, both with biases if use_bias):

    parameters:     (C_in C_r + C_r) + (k^2 C_r C_out + C_out)
    multiply-adds:  H W C_in C_r + H W k^2 C_r C_out

Example, the 5x5 branch of GoogLeNet's first Inception module on a 28 x 28 x 192 map with 32
outputs: 28 * 28 * 25 * 192 * 32 = 120,422,400 multiply-adds directly, but with a reduction
to 16 channels 28 * 28 * 192 * 16 + 28 * 28 * 25 * 16 * 32 = 12,443,648: almost ten times fewer.

Implement in plain Python and numpy:
1. `conv_cost(height, width, k, c_in, c_out, use_bias=True)` -> the tuple
   (parameters, multiply_adds) of the k x k convolution, two ints;
2. `reduced_conv_cost(height, width, k, c_in, c_reduce, c_out, use_bias=True)` -> the tuple
   (parameters, multiply_adds) of the 1x1 reduction to c_reduce channels followed by the k x k
   convolution;
3. `pointwise_conv(x, w, b)` -> y, the notes' formula for a batch of feature maps: x of shape
   (N, H, W, C_in), w of shape (C_in, C_out) (the notes' w_{c,k} is w[c, k]), b of shape
   (C_out,) or None (no bias); y has shape (N, H, W, C_out). It is one matrix product of x
   reshaped to (N * H * W, C_in) -- a dense layer over all pixels at once.

All sizes are positive integers.

You may not use keras, tensorflow, scipy, torch or dlcourse.cnn.
"""

# %%
import numpy as np


# %%
def conv_cost(height, width, k, c_in, c_out, use_bias=True):
    """(parameters, multiply_adds) of a k x k "same" convolution, stride 1, on a height x width map."""
    # YOUR CODE HERE
    raise NotImplementedError()


def reduced_conv_cost(height, width, k, c_in, c_reduce, c_out, use_bias=True):
    """(parameters, multiply_adds) of a 1x1 convolution to c_reduce channels, then the k x k one."""
    # YOUR CODE HERE
    raise NotImplementedError()


def pointwise_conv(x, w, b=None):
    """y[n, i, j, k] = sum_c x[n, i, j, c] w[c, k] + b[k], shape (N, H, W, C_out)."""
    # YOUR CODE HERE
    raise NotImplementedError()
