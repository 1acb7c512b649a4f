# %% [markdown]
"""L1 and L2 regularization (5 points)
Lecture: §2.3.1 L1 Regularization; §2.3.2 L2 Regularization

Regularization adds a penalty on the weights W to the data loss. The notes' two penalties,
with strength lambda:

    L1:  L = L_data + lambda ||W||_1,    ||W||_1 = sum_{i,j} |W_ij|
    L2:  L = L_data + lambda ||W||^2,    ||W||^2 = sum_{i,j} W_ij^2  (squared Frobenius norm)

L1 drives many weights to exactly zero (sparse weights); L2 shrinks large weights. Here W is a
list of weight arrays (e.g. the kernels of all layers), and the penalty sums over every entry
of every array. Their gradients, which gradient descent adds to the data-loss gradient, are

    L1:  d(lambda ||W||_1)/dw = lambda * sign(w)          (with sign(0) = 0)
    L2:  d(lambda ||W||^2)/dw = 2 * lambda * w

Beyond the notes: a gradient-descent step on the loss with both penalties (the "elastic net"),
data-loss gradient g, learning rate eta and strengths lambda_1, lambda_2 is

    w <- w - eta * (g + lambda_1 * sign(w) + 2 * lambda_2 * w)

Implement with numpy only (`weights` is a list of float arrays of any shapes):

- `l1_penalty(weights, lam)` and `l2_penalty(weights, lam)` -> a float;
- `l1_gradient(weights, lam)` and `l2_gradient(weights, lam)` -> a list of arrays, one per
  weight array and of the same shape;
- `regularized_step(w, g, learning_rate, l1, l2)` -> the new w (one array w of any shape, its
  data-loss gradient g of the same shape).

You may not use keras, tensorflow or dlcourse.training.
"""

# %%
import numpy as np


# %%
def l1_penalty(weights, lam):
    """lam * sum of |w| over every entry of every array in `weights`."""
    ### BEGIN SOLUTION
    return float(lam * sum(np.abs(np.asarray(w, dtype=float)).sum() for w in weights))
    ### END SOLUTION


# %%
def l2_penalty(weights, lam):
    """lam * sum of w^2 over every entry of every array in `weights`."""
    ### BEGIN SOLUTION
    return float(lam * sum(np.square(np.asarray(w, dtype=float)).sum() for w in weights))
    ### END SOLUTION


# %%
def l1_gradient(weights, lam):
    """[lam * sign(w) for each array w]."""
    ### BEGIN SOLUTION
    return [lam * np.sign(np.asarray(w, dtype=float)) for w in weights]
    ### END SOLUTION


# %%
def l2_gradient(weights, lam):
    """[2 * lam * w for each array w]."""
    ### BEGIN SOLUTION
    return [2.0 * lam * np.asarray(w, dtype=float) for w in weights]
    ### END SOLUTION


# %%
def regularized_step(w, g, learning_rate, l1, l2):
    """One gradient step on data loss + l1 * sum|w| + l2 * sum w^2: return the new w."""
    ### BEGIN SOLUTION
    w = np.asarray(w, dtype=float)
    penalty_gradient = l1_gradient([w], l1)[0] + l2_gradient([w], l2)[0]
    return w - learning_rate * (np.asarray(g, dtype=float) + penalty_gradient)
    ### END SOLUTION
