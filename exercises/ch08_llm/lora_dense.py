# %% [markdown]
"""LoRA: a frozen dense layer plus a trainable low-rank change (6 points)
Lecture: §8 Foundation Models: LLM

The notes name "post-training" at the end of §5.3.2 and leave chapter 8 as a heading; this
exercise follows the post-training part of the best LLM courses (CS336) and LoRA (Hu et al.,
2021), in the weight layout of Keras 3's own `Dense.enable_lora`.

Fine-tuning every weight of a large model is costly. LoRA keeps a pre-trained weight frozen and
learns a change of low rank r. The paper writes it for a column input x: h = W0 x + B A x with
W0 (d, k), B (d, r), A (r, k), B = 0 at the start (so training starts from the pre-trained
model), and the change scaled by alpha / r. Keras, like this exercise, uses rows: x has shape
(N, d_in) and a dense layer computes x W + b with W (d_in, d_out). Its LoRA weights are
A = lora_kernel_a (d_in, r) and B = lora_kernel_b (r, d_out), the paper's A and B transposed,
and the adapted layer computes

    y = x W + b + (alpha / r) (x A) B,

where A is applied first, then B. The rank r is A's number of columns. Only A and B are
trained; W and b stay frozen.

Implement with numpy:

- `lora_forward(x, W, b, A, B, alpha)`: x (N, d_in), W (d_in, d_out), b (d_out,),
  A (d_in, r), B (r, d_out), alpha a positive float -> y (N, d_out);
- `lora_merge(W, A, B, alpha)`: W (d_in, d_out), A (d_in, r), B (r, d_out) -> the merged
  kernel W + (alpha / r) A B (d_in, d_out), so that x merged + b equals lora_forward (after
  training LoRA costs nothing at inference);
- `lora_trainable_count(d_in, d_out, r)`: the number of trained numbers of one adapted layer
  (A and B; W and b are frozen), an int.

You may not use dlcourse.llm, dlcourse.llm.posttraining (they hold the answer), keras,
tensorflow, torch or jax.
"""

# %%
import numpy as np


# %%
def lora_forward(x, W, b, A, B, alpha):
    """x W + b + (alpha / r) (x A) B, r = A.shape[1]."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def lora_merge(W, A, B, alpha):
    """W + (alpha / r) A B."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def lora_trainable_count(d_in, d_out, r):
    """r (d_in + d_out): A has d_in r numbers, B has r d_out."""
    # YOUR CODE HERE
    raise NotImplementedError()
