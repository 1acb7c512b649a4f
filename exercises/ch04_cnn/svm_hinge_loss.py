# %% [markdown]
"""Multi-class SVM loss and its gradient, vectorized (5 points)
Lecture: §4.3 Image Classification

A linear classifier scores C classes for each flattened image (the notes' score function):
with the N images as the rows of X, shape (N, D) (a column of ones is already appended for
the bias), and weights W of shape (D, C), the scores are S = X W, shape (N, C). The notes'
multi-class SVM loss of image i, with s_j its score of class j and y_i its correct class, is

    L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + Delta)

(the notes write the correct class's score s_{y_i} as s_i): a wrong class costs nothing once
the correct score beats it by at least the margin Delta, and s_j - s_{y_i} + Delta otherwise.
The notes' regularization penalty is R(W) = sum_k sum_l W_{k,l}^2. Combining the two into one
training loss is ours (the usual choice), with s_ij the score of class j for image i:

    L_i = sum_{j != y_i} max(0, s_ij - s_{i, y_i} + Delta)
    L   = 1/N sum_i L_i + lambda * R(W),     R(W) = sum_{d, j} W[d, j]^2

Beyond the notes, the gradient. With respect to the scores, a class j != y_i with a positive
margin (s_ij - s_{i, y_i} + Delta > 0) gets dL_i/ds_ij = 1, the correct class gets minus the
number of such classes, every other entry 0. Then

    dL/dW = X^T G / N + 2 lambda W,     G[i, j] = dL_i/ds_ij

Implement `svm_loss(W, X, y, reg, delta)` with numpy WITHOUT loops over samples or classes
(vectorized: build the (N, C) margin matrix at once). y holds the integer labels, shape (N,);
reg is lambda. Return the tuple (loss, dW): a float and an array of W's shape. (Writing a
naive version with two loops first, and comparing, is a good way to debug.)

You may not use keras, tensorflow, sklearn, torch or dlcourse.cnn.
"""

# %%
import numpy as np


# %%
def svm_loss(W, X, y, reg=0.0, delta=1.0):
    """Return (loss, dW) of the multi-class SVM with L2 penalty."""
    # YOUR CODE HERE
    raise NotImplementedError()
