# %% [markdown]
"""Softmax classifier: finishing the loss and its gradient (5 points)
Lecture: §4.3 Image Classification; §2.4.1 Cross-Entropy Loss

The notes introduce the softmax classifier as the generalization of binary logistic
regression to many classes, and there they stop ("not finished!"). This exercise finishes it
the usual way, from the notes' own pieces. A linear classifier scores C classes for each
flattened image (the notes' score function): with the N images as the rows of X, shape
(N, D) (a column of ones is already appended for the bias), and weights W (D, C), the scores
are S = X W. The softmax turns a row of scores into probabilities p_ij, and the loss is the
notes' cross-entropy (§2.4.1), L = -1/N sum_i sum_j y_ij log p_ij with one-hot labels y_ij,
so only the correct class y_i of each image counts. We add lambda times the notes' penalty
R(W) = sum_k sum_l W_{k,l}^2 (§4.3), as in the SVM exercise:

    p_ij = exp(s_ij) / sum_k exp(s_ik)
    L_i  = -log p_{i, y_i} = -s_{i, y_i} + log sum_k exp(s_ik)
    L    = 1/N sum_i L_i + lambda * R(W),     R(W) = sum_{d, j} W[d, j]^2

Gradient. Differentiate L_i with respect to the score s_ij: the first term gives -1 if
j = y_i, and the log-sum-exp gives exp(s_ij) / sum_k exp(s_ik) = p_ij. So

    dL_i/ds_ij = p_ij - 1[j = y_i],   i.e.   dL/dS = (P - Y) / N

with Y the one-hot matrix of the labels, and by the chain rule through S = X W

    dL/dW = X^T (P - Y) / N + 2 lambda W

Numerical stability: exp(1000) overflows. Subtracting m_i = max_k s_ik from every score of
row i changes nothing mathematically (the factor exp(-m_i) cancels), and keeps every
exponent <= 0; compute log p_{i, y_i} = (s_{i, y_i} - m_i) - log sum_k exp(s_ik - m_i).

Implement with numpy, vectorized (no loops over samples or classes):
1. `softmax(scores)`: row-wise probabilities, shape (N, C), stable for scores of size 1000;
2. `softmax_loss(W, X, y, reg)` -> (loss, dW): a float and an array of W's shape;
3. `predict(W, X)` -> the integer class with the highest score for each row, shape (N,).
y holds the integer labels, shape (N,); reg is lambda.

You may not use keras, tensorflow, scipy, sklearn, torch or dlcourse.cnn.
"""

# %%
import numpy as np


# %%
def softmax(scores):
    """Row-wise softmax of scores (N, C)."""
    ### BEGIN SOLUTION
    scores = np.asarray(scores, dtype=float)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
    ### END SOLUTION


def softmax_loss(W, X, y, reg=0.0):
    """Return (loss, dW) of the softmax classifier with L2 penalty."""
    ### BEGIN SOLUTION
    W, X, y = np.asarray(W, dtype=float), np.asarray(X, dtype=float), np.asarray(y)
    n = X.shape[0]
    scores = X @ W
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(n), y].mean() + reg * np.sum(W * W)
    grad_scores = np.exp(log_p)
    grad_scores[np.arange(n), y] -= 1.0
    dW = X.T @ grad_scores / n + 2.0 * reg * W
    return float(loss), dW
    ### END SOLUTION


def predict(W, X):
    """Return the predicted class of each row of X, shape (N,)."""
    ### BEGIN SOLUTION
    return np.argmax(np.asarray(X, dtype=float) @ np.asarray(W, dtype=float), axis=1)
    ### END SOLUTION
