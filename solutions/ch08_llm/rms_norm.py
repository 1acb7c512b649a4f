# %% [markdown]
"""RMSNorm (5 points)
Lecture: §8 Foundation Models: LLM; §5.3 Transformer

The course's chapter 5 code (`dlcourse.nlp.transformer`; the notes have only §2.3.3's batch
normalization) normalises each position's feature vector with LayerNorm,
gamma * (x - mean(x)) / sqrt(var(x) + eps) + beta. The notes leave chapter 8 as a heading;
this exercise follows Zhang and Sennrich (2019), "Root Mean Square Layer Normalization", the
normalization of LLaMA-style models and of CS336's Transformer LM. RMSNorm drops the centring
and the bias and divides by the root mean square of the features:

    RMSNorm(x) = g * x / sqrt(mean_j(x_j^2) + eps)

with one gain g_j per feature, the mean over the d features of one vector, and eps inside the
square root (it keeps an all-zero vector at 0 instead of dividing by zero).

Implement with numpy `rms_norm(x, g, eps=1e-6)` for x (..., d) (any number of leading axes:
(d,), (T, d) or (batch, T, d); every vector along the last axis normalised on its own) and a
gain g (d,), returning a new float array of the shape of x. Do not modify x.

You may not use dlcourse.llm, dlcourse.llm.normalization (they hold the answer), keras, tensorflow, torch or jax.
"""

# %%
import numpy as np


# %%
def rms_norm(x, g, eps=1e-6):
    """g * x / sqrt(mean(x^2) + eps) over the last axis."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    mean_square = np.mean(x ** 2, axis=-1, keepdims=True)
    return np.asarray(g, dtype=float) * x / np.sqrt(mean_square + eps)
    ### END SOLUTION
