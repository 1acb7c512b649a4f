# %% [markdown]
"""Max pooling and global average pooling, forward and backward (6 points)
Lecture: §4.2.2 Pooling

Pooling downsamples feature maps. Inputs are channels-last, x of shape (N, H, W, C); every
channel is pooled on its own.

Max pooling keeps the largest value of each pooling window (the notes). With a P x P window
and stride s (no padding; the window geometry is ours) that is

    y[n, i, j, c] = max_{u < P, v < P} x[n, i*s + u, j*s + v, c]
    out = floor((H - P) / s) + 1   (likewise for W)

Global average pooling averages each feature map; the notes' formula for a map z of size
H x W is

    y_k = 1 / (H W) * sum_{i=1..H} sum_{j=1..W} z_{i,j,k}

which, for image n of a batch with z = x[n] and channel k = c, reads
y[n, c] = 1 / (H W) * sum_{i, j} x[n, i, j, c].

Beyond the notes, the backward passes. Max pooling routes each upstream gradient
dy[n, i, j, c] = dL/dy[n, i, j, c] to the input pixel that was the maximum of window (i, j);
every other pixel of the window gets 0. When windows overlap (s < P), one pixel can be the
maximum of several windows: its gradients add up. Global average pooling gives every pixel
dL/dx[n, i, j, c] = dy[n, c] / (H W).

Implement with numpy:
1. `max_pool_forward(x, pool_size, stride)` -> y, shape (N, out_h, out_w, C);
2. `max_pool_backward(dy, x, pool_size, stride)` -> dx, shape of x, for dy of the forward
   output's shape (N, out_h, out_w, C);
3. `global_average_pool_forward(x)` -> y, shape (N, C);
4. `global_average_pool_backward(dy, x_shape)` -> dx of shape x_shape, for dy of shape (N, C).

Loops over the output pixels (i, j) are fine. The checks use random inputs, so there are no
ties between window values.

You may not use keras, tensorflow, scipy, skimage, torch or dlcourse.cnn.
"""

# %%
import numpy as np


# %%
def max_pool_forward(x, pool_size=2, stride=2):
    """Return y of shape (N, out_h, out_w, C)."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    n, h, w, c = x.shape
    oh, ow = (h - pool_size) // stride + 1, (w - pool_size) // stride + 1
    y = np.empty((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            window = x[:, i * stride : i * stride + pool_size, j * stride : j * stride + pool_size, :]
            y[:, i, j, :] = window.max(axis=(1, 2))
    return y
    ### END SOLUTION


def max_pool_backward(dy, x, pool_size=2, stride=2):
    """Return dL/dx, shape of x."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    dy = np.asarray(dy, dtype=float)
    dx = np.zeros_like(x)
    _, oh, ow, _ = dy.shape
    for i in range(oh):
        for j in range(ow):
            rows = slice(i * stride, i * stride + pool_size)
            cols = slice(j * stride, j * stride + pool_size)
            window = x[:, rows, cols, :]
            is_max = window == window.max(axis=(1, 2), keepdims=True)
            dx[:, rows, cols, :] += is_max * dy[:, i : i + 1, j : j + 1, :]
    return dx
    ### END SOLUTION


def global_average_pool_forward(x):
    """Return y of shape (N, C)."""
    ### BEGIN SOLUTION
    return np.asarray(x, dtype=float).mean(axis=(1, 2))
    ### END SOLUTION


def global_average_pool_backward(dy, x_shape):
    """Return dL/dx of shape x_shape = (N, H, W, C)."""
    ### BEGIN SOLUTION
    n, h, w, c = x_shape
    dy = np.asarray(dy, dtype=float)
    return np.broadcast_to(dy[:, None, None, :] / (h * w), (n, h, w, c)).copy()
    ### END SOLUTION
