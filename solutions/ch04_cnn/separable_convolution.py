# %% [markdown]
"""Depthwise-separable convolution and its parameter count (6 points)
Lecture: §4.2.5 Advanced Techniques; §4.2.3 Convolution

A standard convolution mixes space and channels in one step. The notes' depthwise separable
convolution (MobileNet) splits it into a depthwise (per-channel) convolution and a pointwise
(1x1) one, which costs much less computation. The formulas below are ours; the
pointwise step is the notes' 1x1 convolution y_{i,j,k} = sum_c x_{i,j,c} w_{c,k} + b_k at
every pixel. Images are channels-last, x of shape (N, H, W, C_in).

1. Depthwise convolution: each input channel c is convolved with its own M kernels
   (M = depth multiplier); channels are not mixed. The depthwise kernel dk (argument
   depthwise_kernel) has shape (KH, KW, C_in, M); output channel number c * M + q (q < M) is

       z[n, i, j, c*M + q] = sum_{u < KH, v < KW} x_pad[n, i*s + u, j*s + v, c] * dk[u, v, c, q]

   with stride s and x_pad = x with p zeros on every side of the height and width axes, so
   z has shape (N, oh, ow, C_in * M) with oh = floor((H + 2p - KH) / s) + 1 (likewise ow).
2. Pointwise convolution: a 1x1 convolution, i.e. a dense layer applied to every pixel, with
   kernel pk (argument pointwise_kernel) of shape (1, 1, C_in * M, C_out) (the notes' w_{c,k}
   is pk[0, 0, c, k]) and bias b of shape (C_out,):

       y[n, i, j, o] = b[o] + sum_r z[n, i, j, r] * pk[0, 0, r, o]

Parameter counts (biases only if use_bias):

    standard convolution:  KH * KW * C_in * C_out + C_out
    separable convolution: KH * KW * C_in * M + C_in * M * C_out + C_out

Implement with numpy (Keras' weight layouts, so your results match
keras.layers.SeparableConv2D):
1. `depthwise_conv2d(x, depthwise_kernel, stride, padding)` -> z;
2. `pointwise_conv2d(z, pointwise_kernel, bias)` -> y (`bias` may be None);
3. `separable_conv2d(x, depthwise_kernel, pointwise_kernel, bias, stride, padding)` -> y;
4. `conv_param_count(kh, kw, c_in, c_out, use_bias)` and
   `separable_param_count(kh, kw, c_in, c_out, depth_multiplier, use_bias)` -> ints.

`stride` and `padding` (p >= 0) are integers used for both axes. Loops over output pixels or
channels are fine.

You may not use keras, tensorflow, scipy, torch or dlcourse.cnn.
"""

# %%
import numpy as np


# %%
def depthwise_conv2d(x, depthwise_kernel, stride=1, padding=0):
    """Return z of shape (N, oh, ow, C_in * M)."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    dk = np.asarray(depthwise_kernel, dtype=float)
    kh, kw, c_in, m = dk.shape
    x_pad = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    oh = (x_pad.shape[1] - kh) // stride + 1
    ow = (x_pad.shape[2] - kw) // stride + 1
    z = np.zeros((x.shape[0], oh, ow, c_in, m))
    for i in range(oh):
        for j in range(ow):
            field = x_pad[:, i * stride : i * stride + kh, j * stride : j * stride + kw, :]  # (N, kh, kw, C_in)
            z[:, i, j] = np.einsum("nuvc,uvcq->ncq", field, dk)
    return z.reshape(x.shape[0], oh, ow, c_in * m)
    ### END SOLUTION


def pointwise_conv2d(z, pointwise_kernel, bias=None):
    """Return y of shape (N, oh, ow, C_out)."""
    ### BEGIN SOLUTION
    y = np.asarray(z, dtype=float) @ np.asarray(pointwise_kernel, dtype=float)[0, 0]
    if bias is not None:
        y = y + np.asarray(bias, dtype=float)
    return y
    ### END SOLUTION


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, bias=None, stride=1, padding=0):
    """Return y of shape (N, oh, ow, C_out): depthwise, then pointwise."""
    ### BEGIN SOLUTION
    return pointwise_conv2d(depthwise_conv2d(x, depthwise_kernel, stride, padding), pointwise_kernel, bias)
    ### END SOLUTION


def conv_param_count(kh, kw, c_in, c_out, use_bias=True):
    """Parameters of a standard convolution."""
    ### BEGIN SOLUTION
    return kh * kw * c_in * c_out + (c_out if use_bias else 0)
    ### END SOLUTION


def separable_param_count(kh, kw, c_in, c_out, depth_multiplier=1, use_bias=True):
    """Parameters of a depthwise-separable convolution."""
    ### BEGIN SOLUTION
    m = depth_multiplier
    return kh * kw * c_in * m + c_in * m * c_out + (c_out if use_bias else 0)
    ### END SOLUTION
