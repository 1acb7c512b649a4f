# %% [markdown]
"""Backpropagation through a convolution (5 points)
Lecture: §4.1 Basic structure and components; §1 From Perceptron to Neural Network

The notes train a network by backward propagation and gradient descent, W <- W - eta dJ(W)/dW
(§1), and a CNN's convolution layers learn the weights of their kernel set (§4.1); the notes
do not work out the gradients of a convolution, which this exercise does. The forward pass of a 2-D convolution
is our formula of the conv2d_naive exercise: with channels-last images x of shape
(N, H, W, C_in), kernel k of shape (KH, KW, C_in, C_out), bias b of shape (C_out,), stride s
and p zeros of padding on every side of the height and width axes,

    y[n, i, j, o] = b[o] + sum_{u, v, c} x_pad[n, i*s + u, j*s + v, c] * k[u, v, c, o]

with y of shape (N, oh, ow, C_out), oh = floor((H + 2p - KH) / s) + 1 (likewise ow). Given
the upstream gradient dy = dL/dy, of the shape of y, (N, oh, ow, C_out), the chain rule
gives, summing over every output pixel that used the weight or the input pixel:

    dL/db[o]          = sum_{n, i, j} dy[n, i, j, o]
    dL/dk[u, v, c, o] = sum_{n, i, j} x_pad[n, i*s + u, j*s + v, c] * dy[n, i, j, o]
    dL/dx_pad[n, r, q, c] = sum over all (i, j, u, v) with i*s + u = r and j*s + v = q
                            of  sum_o k[u, v, c, o] * dy[n, i, j, o]

i.e. output pixel (i, j) sends k * dy back to every pixel of its receptive field, and a pixel
read by several output pixels (overlapping fields) adds up what each sends. dL/dx is
dL/dx_pad without the padded border (a padding pixel is not an input).

Implement `conv2d_backward(dy, x, kernel, stride, padding)` with numpy; `stride` and `padding`
are integers used for both axes. Return the tuple (dx, dkernel, dbias) with the shapes of x,
kernel and (C_out,). Loops over the output pixels (i, j) are fine; inside, use whole-array
numpy operations (e.g. np.tensordot, np.einsum).

You may not use keras, tensorflow, scipy, autograd, jax, torch or dlcourse.cnn.
"""

# %%
import numpy as np


# %%
def conv2d_backward(dy, x, kernel, stride=1, padding=0):
    """Return (dx, dkernel, dbias) of a convolution with the given stride and padding."""
    # YOUR CODE HERE
    raise NotImplementedError()
