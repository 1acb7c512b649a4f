# %% [markdown]
# # Chapter 3: deep sequence modeling
#
# Why plain RNNs forget (the norm of dh_t/dh_0 along time for a tanh RNN, with small and with
# identity-like recurrent weights) and what self-attention looks at (a heatmap of the notes'
# softmax(Q K^T / sqrt(d_k)) with a causal mask). Lecture: §3.1 Recurrent Neural Network(RNN);
# §3.3 Attention Mechanism.

# %% tags=["remove_output"]
# %matplotlib inline
import numpy as np
from IPython.display import display

from dlcourse.sequence import (causal_mask, plot_attention, plot_gradient_norms, recurrent_jacobian_norms,
                               scaled_dot_product_attention)

rng = np.random.default_rng(0)
T, D, H = 30, 4, 16

# %% [markdown]
# ## Gradient flow through time
#
# h_t = tanh(W_hh h_(t-1) + W_xh x_t): dh_t/dh_0 is a product of t Jacobians, which shrinks
# geometrically when W_hh is small.

# %%
x = rng.normal(size=(1, T, D))
h0 = np.zeros((1, H))
W_xh = rng.normal(scale=0.3, size=(D, H))
norms = {}
for label, scale in (("W_hh scale 0.5", 0.5), ("W_hh scale 1.0", 1.0), ("W_hh scale 1.5", 1.5)):
    W_hh = rng.normal(scale=scale / np.sqrt(H), size=(H, H))
    norms[label] = np.asarray(recurrent_jacobian_norms(x, h0, W_xh, W_hh))[0]
fig = plot_gradient_norms(norms, title="||dh_t / dh_0|| along time")
display(fig)

# %% [markdown]
# ## Causal self-attention
#
# Each token attends only to itself and earlier tokens: the upper triangle of the weights is zero.

# %%
tokens = "the cat sat on the mat".split()
q = rng.normal(size=(len(tokens), 8))
k = rng.normal(size=(len(tokens), 8))
v = rng.normal(size=(len(tokens), 8))
_, weights = scaled_dot_product_attention(q, k, v, mask=causal_mask(len(tokens)))
fig = plot_attention(np.asarray(weights), tokens, tokens, title="causal self-attention weights")
display(fig)
