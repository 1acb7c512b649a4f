# %% [markdown]
"""AdamW with a linear warmup and a cosine decay (7 points)
Lecture: §8 Foundation Models: LLM; §2.2 Optimization

The notes leave chapter 8 as a heading; this exercise follows the optimizer of LLM
pre-training as CS336's first assignment builds it: AdamW (Loshchilov and Hutter, 2019) on a
warmup-then-cosine learning-rate schedule (GPT-3, Chinchilla).

Learning-rate schedule. Let `step` be the number of updates already made (0 before the first
update, as Keras' optimizer.iterations), T_w = warmup_steps >= 0 and T_c = total_steps > T_w:

    eta = eta_max step / T_w                                                   step < T_w
    eta = eta_min + (eta_max - eta_min) (1 + cos(pi (step - T_w) / (T_c - T_w))) / 2
                                                                               T_w <= step <= T_c
    eta = eta_min                                                              step > T_c

So the first update (step 0) has eta = 0 when T_w > 0, the peak eta_max is reached at
step = T_w (with T_w = 0 the schedule starts at the peak), and the cosine runs over the
T_c - T_w steps AFTER the warmup, reaching eta_min at step = T_c.

AdamW. The notes' Adam (§2.2) on the gradient g = grad L(theta):

    m_t = beta_1 m_{t-1} + (1 - beta_1) g,     v_t = beta_2 v_{t-1} + (1 - beta_2) g^2,
    theta <- theta - eta m_t / (sqrt(v_t) + epsilon).

Beyond the notes, two changes. First, Kingma and Ba's bias correction, with t = 1, 2, ... the
number of THIS update: m_hat = m_t / (1 - beta_1^t), v_hat = v_t / (1 - beta_2^t), and the step
uses m_hat / (sqrt(v_hat) + epsilon). Second, decoupled weight decay with rate lambda: before the
Adam step, the current weights are shrunk, theta <- theta - eta lambda theta; the decay is NOT
added to the gradient (that would be Adam with an L2 penalty, whose decay Adam would rescale by
1 / sqrt(v)), and it is scaled by the current learning rate eta. One AdamW update is therefore

    theta' = theta - eta lambda theta
    theta_new = theta' - eta m_hat / (sqrt(v_hat) + epsilon)         (m_t, v_t from g, not from theta)

Implement with numpy:

- `warmup_cosine_learning_rate(step, peak_learning_rate, min_learning_rate, warmup_steps,
  total_steps)`: step a non-negative integer -> eta, a float;
- `adamw_step(theta, gradient, m, v, t, learning_rate, weight_decay, beta_1=0.9, beta_2=0.999,
  epsilon=1e-8)`: theta (P,) float, gradient (P,), m (P,) and v (P,) the moments m_{t-1} and
  v_{t-1}, t >= 1 an integer -> the tuple (theta_new, m_t, v_t) of new arrays of shape (P,).
  Do not modify the arrays passed in.

You may not use dlcourse.llm, dlcourse.llm.training, dlcourse.training,
dlcourse.training.optimizers (they hold the answer), keras, tensorflow, torch or jax.
"""

# %%
import numpy as np


# %%
def warmup_cosine_learning_rate(step, peak_learning_rate, min_learning_rate, warmup_steps, total_steps):
    """eta after `step` finished updates: linear warmup, cosine decay, then the floor."""
    ### BEGIN SOLUTION
    if step < warmup_steps:
        return peak_learning_rate * step / warmup_steps
    if step > total_steps:
        return min_learning_rate
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_learning_rate + 0.5 * (peak_learning_rate - min_learning_rate) * (1 + np.cos(np.pi * progress))
    ### END SOLUTION


# %%
def adamw_step(theta, gradient, m, v, t, learning_rate, weight_decay, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
    """One AdamW update: decoupled decay, then the bias-corrected Adam step; (theta, m, v)."""
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    g = np.asarray(gradient, dtype=float)
    theta = theta - learning_rate * weight_decay * theta  # decoupled weight decay
    m = beta_1 * np.asarray(m, dtype=float) + (1 - beta_1) * g
    v = beta_2 * np.asarray(v, dtype=float) + (1 - beta_2) * g ** 2
    m_hat = m / (1 - beta_1 ** t)
    v_hat = v / (1 - beta_2 ** t)
    theta = theta - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)
    return theta, m, v
    ### END SOLUTION
