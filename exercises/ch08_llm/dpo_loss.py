# %% [markdown]
"""DPO: the preference loss and its gradient (6 points)
Lecture: §8 Foundation Models: LLM

The notes name "post-training" at the end of §5.3.2 and leave chapter 8 as a heading; this
exercise follows the post-training part of the best LLM courses (CS336) and Direct Preference
Optimization (Rafailov et al., 2023).

For each of N prompts a person preferred one response (chosen) over another (rejected). DPO
trains the policy pi directly on these pairs, against a frozen copy pi_ref of the model it
started from. With the sequence log-probabilities pc = log pi(chosen), pr = log pi(rejected),
rc = log pi_ref(chosen), rr = log pi_ref(rejected) of pair i, the margin and the loss are

    margin_i = (pc_i - rc_i) - (pr_i - rr_i)
    loss     = (1 / N) sum_i -log sigmoid(beta margin_i),       sigmoid(z) = 1 / (1 + exp(-z)),

with beta > 0. The loss falls as the policy raises the chosen response above the rejected one
more than the reference did. Its gradient with respect to the policy's log-probabilities is

    d loss / d pc_i = -(beta / N) sigmoid(-beta margin_i),      d loss / d pr_i = -d loss / d pc_i.

Compute -log sigmoid(z) = log(1 + exp(-z)) stably: for beta |margin| up to 1000 the loss
must stay finite and exact (about -z for z far below 0, about 0 for z far above 0), and the
gradient too.

Implement with numpy:

- `dpo_loss(pc, pr, rc, rr, beta)`: four float arrays of shape (N,) and beta a positive float
  -> the loss, a float;
- `dpo_gradients(pc, pr, rc, rr, beta)`: the same arguments -> (grad_pc, grad_pr), two arrays
  of shape (N,).

You may not use dlcourse.llm, dlcourse.llm.posttraining (they hold the answer), keras,
tensorflow, torch, jax or scipy.special (its log_expit and expit).
"""

# %%
import numpy as np


# %%
def dpo_loss(pc, pr, rc, rr, beta):
    """mean_i -log sigmoid(beta ((pc - rc) - (pr - rr))), stable."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def dpo_gradients(pc, pr, rc, rr, beta):
    """(d loss / d pc, d loss / d pr), each of shape (N,)."""
    # YOUR CODE HERE
    raise NotImplementedError()
