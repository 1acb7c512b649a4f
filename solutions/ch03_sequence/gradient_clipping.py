# %% [markdown]
"""Gradient clipping (5 points)
Lecture: §3.1 Recurrent Neural Network(RNN); §2.1 Initialization

Beyond the notes: gradient clipping is not in the notes; this exercise adds it beside their
question in §3.1, why the gradient of an RNN vanishes. For the notes' RNN,
h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t), backpropagation through time multiplies one Jacobian
dh_t/dh_{t-1} = diag(1 - h_t^2) W_hh^T per step back. When these factors are small the
product shrinks (the vanishing gradient the notes discuss); when they are large it grows
geometrically -- the exploding gradient, which §2.1 names next to the vanishing one. The notes'
remedies (ReLU, a careful initialization, gated cells) address the vanishing side. For the
exploding side the usual practice is to bound the gradient before the optimizer applies it, so
that one step cannot throw the weights far away. Three common forms (those of Keras' optimizer
options clipvalue, clipnorm and global_clipnorm), for a gradient g (an array of any shape) or a
list of gradients g_1, ..., g_n (one per weight tensor):

    by value:        every component clipped to [-v, v]:   g <- min(max(g, -v), v)
    by norm:         g <- g * c / max(||g||, c)
    by global norm:  N = sqrt(||g_1||^2 + ... + ||g_n||^2)
                     g_k <- g_k * c / max(N, c)          (the same factor for every k)

where ||g|| is the L2 (Frobenius) norm of all entries of g. Clipping by norm leaves a gradient
whose norm is at most c unchanged and otherwise rescales it to norm c, keeping its direction;
clipping by global norm does this for all gradients together, so the direction of the whole
update is kept.

Implement with numpy only, without modifying the arrays you are given in place:

- `clip_by_value(g, v)` -> an array of the shape of g;
- `clip_by_norm(g, c)` -> an array of the shape of g;
- `clip_by_global_norm(gradients, c)` -> the tuple (clipped, N): the list of clipped arrays
  (in the same order and shapes) and the global norm N before clipping (a float).

You may not use keras, tensorflow or dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def clip_by_value(g, v):
    """Clip every component of g to [-v, v]."""
    ### BEGIN SOLUTION
    return np.minimum(np.maximum(np.asarray(g, dtype=float), -v), v)
    ### END SOLUTION


def clip_by_norm(g, c):
    """Rescale g to L2 norm c if its norm is larger than c."""
    ### BEGIN SOLUTION
    g = np.asarray(g, dtype=float)
    return g * (c / max(np.sqrt(np.sum(g**2)), c))
    ### END SOLUTION


def clip_by_global_norm(gradients, c):
    """Rescale all gradients by the same factor so that their global norm is at most c."""
    ### BEGIN SOLUTION
    gradients = [np.asarray(g, dtype=float) for g in gradients]
    norm = float(np.sqrt(sum(np.sum(g**2) for g in gradients)))
    scale = c / max(norm, c)
    return [g * scale for g in gradients], norm
    ### END SOLUTION
