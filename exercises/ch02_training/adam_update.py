# %% [markdown]
"""Adam, with and without bias correction (7 points)

Adam keeps two moving averages per weight, both starting at zero: the first moment m (the
average gradient, as in momentum) and the second moment v (the average squared gradient).
At step t = 1, 2, 3, ... with gradient g = dL/dw:

    m <- beta_1 m + (1 - beta_1) g
    v <- beta_2 v + (1 - beta_2) g^2                 (g^2 elementwise)

The lecture's Adam (`bias_correction=False`) then steps with the raw moments:

    w <- w - eta m / (sqrt(v) + epsilon)

Since m and v start at zero they underestimate the moments in the first steps. The standard
Adam (Kingma and Ba, `bias_correction=True`) divides them by the weight that the moving
averages have accumulated so far:

    m_hat = m / (1 - beta_1^t),     v_hat = v / (1 - beta_2^t)
    w <- w - eta m_hat / (sqrt(v_hat) + epsilon)

Note where epsilon goes: it is added to the square root, not under it. m and v themselves are
stored without correction.

Implement with numpy only (w, m, v, g are float arrays of the same, arbitrary shape):

- `adam_step(w, m, v, g, t, learning_rate, beta_1, beta_2, epsilon, bias_correction)`
  -> the tuple (new w, new m, new v) of step number t (t = 1 for the first step);
- `adam_descent(gradient, w0, steps, learning_rate, beta_1, beta_2, epsilon, bias_correction)`
  -> an array of shape (steps + 1, *w0.shape): w0 and the weights after each step, starting
  from m = v = 0 at t = 1, where `gradient(w)` returns dL/dw at w.

Do not modify the arrays you are given in place.

You may not use keras, tensorflow or dlcourse.training.
"""

# %%
import numpy as np


# %%
def adam_step(w, m, v, g, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
              bias_correction=False):
    """Adam step number t (from 1): return (new w, new m, new v)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def adam_descent(gradient, w0, steps, learning_rate=0.001, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, bias_correction=False):
    """Run `steps` Adam steps from w0; return the weights, shape (steps + 1, ...)."""
    # YOUR CODE HERE
    raise NotImplementedError()
