# %% [markdown]
"""Adam, with and without bias correction (7 points)
Lecture: §2.2 Optimization

Adam combines momentum with a learning rate adapted to every parameter. The notes' Adam keeps
two moving averages per parameter, both starting at zero: the first moment m (an average of the
gradient, as in momentum) and the second moment v (an average of the squared gradient). At
step t = 1, 2, 3, ...

    m_t = beta_1 m_{t-1} + (1 - beta_1) grad L(theta)
    v_t = beta_2 v_{t-1} + (1 - beta_2) (grad L(theta))^2        (squared elementwise)
    theta <- theta - eta m_t / (sqrt(v_t) + epsilon)

That is `bias_correction=False`. Beyond the notes: since m and v start at zero they
underestimate the moments in the first steps. The standard Adam (Kingma and Ba,
`bias_correction=True`) divides them by the weight that the moving averages have accumulated
so far:

    m_hat = m_t / (1 - beta_1^t),     v_hat = v_t / (1 - beta_2^t)
    theta <- theta - eta m_hat / (sqrt(v_hat) + epsilon)

Note where epsilon goes: it is added to the square root, not under it. m and v themselves are
stored without correction.

Implement with numpy only. Below w is the notes' theta and g = grad L(theta); w, m, v, g are
float arrays of the same, arbitrary shape, and `learning_rate` is eta:

- `adam_step(w, m, v, g, t, learning_rate, beta_1, beta_2, epsilon, bias_correction)`
  -> the tuple (new w, new m, new v) of step number t (t = 1 for the first step);
- `adam_descent(gradient, w0, steps, learning_rate, beta_1, beta_2, epsilon, bias_correction)`
  -> an array of shape (steps + 1, *w0.shape): w0 and the weights after each step, starting
  from m = v = 0 at t = 1, where `gradient(w)` returns grad L at w.

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
