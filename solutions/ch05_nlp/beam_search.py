# %% [markdown]
"""Beam search decoding with finished hypotheses and length normalisation (6 points)
Lecture: §5.2 Seq2Seq Model

The notes' translation is the y that maximises P(y|x) = prod_{t=1..T} P(y_t | y_1, ..., y_{t-1}, x).
Trying every y is too expensive, so the notes keep only the k most probable partial
translations at each step, k being the beam size: beam search. A hypothesis is scored by
log P(y|x) = sum_t log P(y_t | y_<t, x).

The decoder is a function step_fn(prefixes) -> log_probs: prefixes is an integer numpy array
(batch, t) whose rows start with bos_id followed by a hypothesis' tokens so far, and
log_probs[i, w] = log P(next token = w | prefixes[i], x), shape (batch, V).

The rules (the notes leave them open; these are ours, close to cs224n's, which sets a finished
hypothesis aside where we keep it in the beam):

1. The beam starts as the single empty hypothesis (no tokens, log-prob 0).
2. At each step, the candidates are: every finished hypothesis of the beam, unchanged, and
   every unfinished one extended by every token w of the vocabulary, with log-prob
   log P(y_<t|x) + log P(w | y_<t, x). The k candidates with the largest log-prob (not
   normalised) form the next beam; fewer if there are fewer than k candidates.
3. A hypothesis is finished once its last token is eos_id (the <eos> stays in its tokens) or
   it has max_length tokens (max_length >= 1). The search stops when every hypothesis of the
   beam is finished (at the latest after max_length steps).
4. The final beam is returned sorted by its score, best first. Beyond the notes, the score is
   length-normalised: score = log P(y|x) / len(y)^alpha, len(y) counting <eos> but not <bos>;
   alpha = 0 is the notes' log P(y|x), alpha = 1 the mean log-prob per token. Normalisation
   only ranks the final beam; it never decides which candidates are kept in step 2 (a raw sum
   of log-probs prefers short translations, which is why the final choice is normalised).

With k = 1 this is greedy decoding; with k at least the number of complete sequences (e.g.
V^max_length) it returns every complete sequence, so its best one is the exact argmax.

Implement `beam_search(step_fn, bos_id, eos_id, beam_size, max_length, alpha=0.0)` with numpy.
It returns the final beam as a list of (tokens, log_prob) pairs sorted by score, best first:
tokens the list of generated ids without <bos>, log_prob its log P(y|x) (not normalised).
Call step_fn with the unfinished hypotheses only. In the tests no two candidates tie.

You may not use dlcourse.nlp (it holds the answer) or keras_hub.
"""

# %%
import numpy as np


# %%
def beam_search(step_fn, bos_id, eos_id, beam_size, max_length, alpha=0.0):
    """The final beam [(tokens, log P(y|x)), ...], best score first."""
    ### BEGIN SOLUTION
    def finished(tokens):
        return len(tokens) == max_length or (len(tokens) > 0 and tokens[-1] == eos_id)

    beam = [([], 0.0)]
    while not all(finished(tokens) for tokens, _ in beam):
        live = [(tokens, lp) for tokens, lp in beam if not finished(tokens)]
        candidates = [(tokens, lp) for tokens, lp in beam if finished(tokens)]
        log_probs = np.asarray(step_fn(np.array([[bos_id] + tokens for tokens, _ in live], dtype=np.int32)))
        for (tokens, lp), row in zip(live, log_probs):
            candidates += [(tokens + [w], lp + float(row[w])) for w in range(len(row))]
        candidates.sort(key=lambda c: c[1], reverse=True)
        beam = candidates[:beam_size]
    return sorted(beam, key=lambda c: c[1] / len(c[0]) ** alpha, reverse=True)
    ### END SOLUTION
