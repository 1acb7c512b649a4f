# %% [markdown]
"""Convolution as a matrix multiply: im2col with stride, padding and dilation (7 points)
Lecture: §4.1 Basic structure and components; §4.2.5 Advanced Techniques

The notes' convolution slides a kernel over patches of the image (§4.1); their dilated
convolutions (§4.2.5) widen the receptive field without adding parameters. Loops over output
pixels are slow in Python. im2col ("image to columns", beyond the notes) rearranges the input
so that the whole convolution becomes ONE matrix multiply. Images are channels-last, x of shape
(N, H, W, C_in); the kernel has shape (KH, KW, C_in, C_out). A dilated kernel (dilation d)
looks at every d-th pixel, so it covers KH_eff = (KH - 1) * d + 1 rows (likewise columns) with
the same KH * KW weights:

    y[n, i, j, o] = b[o] + sum_{u, v, c} x_pad[n, i*s + u*d, j*s + v*d, c] * k[u, v, c, o]

with stride s and x_pad = x with p zeros on every side of the height and width axes. The
output size per axis is

    out = floor((L + 2 p - KH_eff) / s) + 1

1. `im2col(x, kh, kw, stride, padding, dilation)` returns the tuple (cols, (oh, ow)). cols has
   shape (N * oh * ow, kh * kw * C_in): row number n * oh * ow + i * ow + j holds the receptive
   field of output pixel (i, j) of image n, i.e. the values x_pad[n, i*s + u*d, j*s + v*d, c],
   flattened in (u, v, c) order -- u slowest, c fastest -- which is the order of
   `kernel.reshape(kh * kw * C_in, C_out)`.
2. `conv2d_im2col(x, kernel, bias, stride, padding, dilation)` returns y of shape
   (N, oh, ow, C_out) computed as `im2col(...) @ kernel.reshape(-1, C_out) + bias`, reshaped.
   `bias`, of shape (C_out,), may be None.

`stride`, `padding` (an integer p >= 0) and `dilation` are single integers used for both axes.
Use numpy slicing: a loop over the kh * kw kernel taps is fine, a loop over output pixels is
not what this exercise is about.

You may not use keras, tensorflow, scipy, torch or dlcourse.cnn.
"""

# %%
import numpy as np


# %%
def im2col(x, kh, kw, stride=1, padding=0, dilation=1):
    """Return (cols, (oh, ow)); cols of shape (N * oh * ow, kh * kw * C_in)."""
    # YOUR CODE HERE
    raise NotImplementedError()


def conv2d_im2col(x, kernel, bias=None, stride=1, padding=0, dilation=1):
    """Return y of shape (N, oh, ow, C_out)."""
    # YOUR CODE HERE
    raise NotImplementedError()
