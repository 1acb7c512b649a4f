# %% [markdown]
"""2-D convolution with loops: stride and padding (7 points)
Lecture: §4.1 Basic structure and components

The notes describe convolution in words: each neuron of the next layer is connected to one
patch of the input (its receptive field) and sees only that patch, and the same kernel is slid
over the whole image, one output feature map per kernel. They give no formula for it; the one
below is ours, the usual one of deep-learning libraries. Images are channels-last, a batch x
of shape (N, H, W, C_in); the kernel k has shape (KH, KW, C_in, C_out) (Keras' layout) and
the bias b shape (C_out,). Like every deep-learning library we compute the cross-correlation
(the kernel is not flipped). Output pixel (i, j) of channel o of image n is

    y[n, i, j, o] = b[o] + sum_{u < KH, v < KW, c < C_in} x_pad[n, i*s + u, j*s + v, c] * k[u, v, c, o]

where s is the stride and x_pad is x with zero padding around the height and width axes
(never the batch or channel axes). With P_before + P_after padding pixels on an axis of
length L, the output length is

    out = floor((L + P_before + P_after - K) / s) + 1

`padding` is one of
- "valid": no padding;
- an integer p >= 0: p zeros on every side (before and after, on both axes);
- "same": TensorFlow's rule, per axis: out = ceil(L / s), total padding
  P = max((out - 1) * s + K - L, 0), split as P_before = P // 2 and P_after = P - P_before
  (the extra pixel goes after). With s = 1 the output has the input's size.

Implement `conv2d_naive(x, kernel, bias, stride, padding)` with numpy. Loops over the output
pixels (i, j) are fine -- that is the point of this exercise; inside the loop, sum over the
receptive field with numpy (e.g. `np.tensordot` or `np.einsum`). `stride` is one integer used
for both axes. `bias` may be None (no bias). Return a float array of shape
(N, out_height, out_width, C_out).

You may not use keras, tensorflow, scipy, torch or dlcourse.cnn.
"""

# %%
import numpy as np


# %%
def conv2d_naive(x, kernel, bias=None, stride=1, padding="valid"):
    """Return y = conv(x, kernel) + bias, shape (N, out_height, out_width, C_out)."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw, _, c_out = kernel.shape
    pads = []
    for size, k in ((x.shape[1], kh), (x.shape[2], kw)):
        if padding == "valid":
            pads.append((0, 0))
        elif padding == "same":
            out = -(-size // stride)
            total = max((out - 1) * stride + k - size, 0)
            pads.append((total // 2, total - total // 2))
        else:
            pads.append((padding, padding))
    x_pad = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    oh = (x_pad.shape[1] - kh) // stride + 1
    ow = (x_pad.shape[2] - kw) // stride + 1
    y = np.zeros((x.shape[0], oh, ow, c_out))
    for i in range(oh):
        for j in range(ow):
            field = x_pad[:, i * stride : i * stride + kh, j * stride : j * stride + kw, :]
            y[:, i, j, :] = np.tensordot(field, kernel, axes=([1, 2, 3], [0, 1, 2]))
    if bias is not None:
        y = y + np.asarray(bias, dtype=float)
    return y
    ### END SOLUTION
