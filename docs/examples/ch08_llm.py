# %% [markdown]
# # Chapter 8: a small GPT, from the tokenizer to samples
#
# `pretrain_demo` runs the chapter end to end: the package's grammar corpus, a byte-level BPE
# tokenizer (`BytePairTokenizer`) trained on it, a small decoder-only `GPT` pre-trained with
# AdamW, warmup and cosine decay and global-norm clipping. Then the same model samples
# continuations greedily and with temperature, top-k and top-p (nucleus) sampling.
# Lecture: §8 Foundation Models: LLM (the notes give the chapter only its heading).

# %% tags=["remove_output"]
# %matplotlib inline
import os

import numpy as np
from IPython.display import display

from dlcourse.llm import (GreedySampler, TemperatureSampler, TopKSampler, TopPSampler, plot_loss_curve,
                          pretrain_demo)

QUICK = os.environ.get("DLCOURSE_DOCS_QUICK") == "1"
STEPS, SENTENCES = (40, 400) if QUICK else (250, 2000)

# %% [markdown]
# ## Pre-training

# %%
run = pretrain_demo(seed=0, num_sentences=SENTENCES, steps=STEPS)
print(f"held-out perplexity {run['validation_perplexity']:.1f} "
      f"(unigram baseline {run['unigram_perplexity']:.1f})")
fig = plot_loss_curve(run["history"])
display(fig)

# %% [markdown]
# ## Samples
#
# Each sampler turns the last position's logits into the next token: the argmax, a softmax at
# temperature tau, the k most likely tokens, or the smallest set whose probability reaches p.

# %%
model, tokenizer = run["model"], run["tokenizer"]
end = tokenizer.token_to_id("<|endoftext|>")
prompt = np.array([end])
for name, sampler in {"greedy": GreedySampler(), "temperature 0.8": TemperatureSampler(0.8),
                      "top-k 10": TopKSampler(10), "top-p 0.9": TopPSampler(0.9)}.items():
    ids = model.generate(prompt, max_new_tokens=24, sampler=sampler, seed=0, eos_id=end)
    text = tokenizer.decode([int(i) for i in ids[1:] if int(i) != end])
    print(f"{name:>16}: {text}")
