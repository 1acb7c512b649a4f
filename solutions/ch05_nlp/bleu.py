# %% [markdown]
"""Corpus BLEU: clipped n-gram precision and the brevity penalty (7 points)
Lecture: §5.2 Seq2Seq Model

The notes evaluate a machine translation with BLEU, which compares it with human translations,
and leave the definition there. Here is the standard one (Papineni et al., 2002, as cs224n
and sacrebleu compute it). A corpus has hypotheses (machine translations), each with one or
more references (human translations); all are lists of tokens (strings).

1. Modified n-gram precision. For a hypothesis h with references R_1..R_m and an n-gram g
   (a tuple of n consecutive tokens), the hypothesis' count of g is clipped by the largest
   count of g in any single reference:

       matches_n(h) = sum over the distinct n-grams g of h of min(count_h(g), max_j count_{R_j}(g))
       total_n(h)   = the number of n-grams of h = max(len(h) - n + 1, 0)

   ("the the the the" against "the cat" and "the the dog": 2 unigram matches out of 4.)
   Corpus precision sums both over the hypotheses before dividing:
   p_n = sum_h matches_n(h) / sum_h total_n(h).

2. Brevity penalty. Precision cannot see missing words, so short output is penalised. Each
   hypothesis takes the reference length closest to its own length, the shorter one on a tie;
   c = sum of the hypothesis lengths, r = sum of those closest reference lengths, and

       BP = 1 if c >= r,   exp(1 - r / c) if 0 < c < r,   0 if c = 0.

3. BLEU = 100 * BP * exp( (1/N) * sum_{n=1..N} log p_n ), with N = max_order.

Edge cases (as sacrebleu): BLEU is 0 if p_n = 0 for some n; in particular if sum_h total_n(h)
is 0 for some n <= N (every hypothesis is shorter than n), and if no n-gram of any order
matches at all, BLEU is 0 whatever the smoothing.

Smoothing (beyond the notes): with smooth="exp", the j-th order (j = 1, 2, ... counting only
orders whose matches are 0) with sum_h matches_n(h) = 0 but sum_h total_n(h) > 0 gets
p_n = 1 / (2^j * sum_h total_n(h)) instead of 0; smooth="none" leaves it 0.

Implement, in plain Python or numpy:

- `modified_precision(hypothesis, references, n)` -> the pair (matches_n, total_n) of one
  hypothesis, two integers;
- `brevity_penalty(hypothesis_length, reference_lengths)` -> BP of one hypothesis of that
  length against references of the given lengths (a non-empty list), as a float;
- `corpus_bleu(hypotheses, references, max_order=4, smooth="none")` -> BLEU of the corpus,
  a float in [0, 100]; references[i] is the list of references of hypotheses[i] (each a list
  of tokens; their number may differ from one hypothesis to the next), smooth is "none" or
  "exp", and max_order is a positive integer (max_order = 1 is unigram BLEU).

You may not use dlcourse.nlp (it holds the answer), sacrebleu, nltk, keras_hub or torchmetrics.
"""

# %%
import math
from collections import Counter


# %%
def _ngrams(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def modified_precision(hypothesis, references, n):
    """(clipped n-gram matches, number of n-grams) of one hypothesis."""
    ### BEGIN SOLUTION
    counts = _ngrams(list(hypothesis), n)
    most = Counter()
    for reference in references:
        for gram, count in _ngrams(list(reference), n).items():
            most[gram] = max(most[gram], count)
    matches = sum(min(count, most[gram]) for gram, count in counts.items())
    return matches, sum(counts.values())
    ### END SOLUTION


# %%
def brevity_penalty(hypothesis_length, reference_lengths):
    """BP against the closest reference length (the shorter one on a tie)."""
    ### BEGIN SOLUTION
    c = hypothesis_length
    r = min(reference_lengths, key=lambda length: (abs(length - c), length))
    if c >= r:
        return 1.0
    return math.exp(1.0 - r / c) if c > 0 else 0.0
    ### END SOLUTION


# %%
def corpus_bleu(hypotheses, references, max_order=4, smooth="none"):
    """Corpus BLEU on the 0-100 scale."""
    ### BEGIN SOLUTION
    matches, totals = [0] * max_order, [0] * max_order
    c = r = 0
    for hypothesis, refs in zip(hypotheses, references):
        c += len(hypothesis)
        r += min((len(ref) for ref in refs), key=lambda length: (abs(length - len(hypothesis)), length))
        for n in range(1, max_order + 1):
            m, t = modified_precision(hypothesis, refs, n)
            matches[n - 1] += m
            totals[n - 1] += t
    if sum(matches) == 0:
        return 0.0
    log_sum, zeros = 0.0, 0
    for m, t in zip(matches, totals):
        if t == 0:
            return 0.0
        if m > 0:
            log_sum += math.log(m / t)
        elif smooth == "exp":
            zeros += 1
            log_sum += math.log(1.0 / (2 ** zeros * t))
        else:
            return 0.0
    bp = 1.0 if c >= r else (math.exp(1.0 - r / c) if c > 0 else 0.0)
    return 100.0 * bp * math.exp(log_sum / max_order)
    ### END SOLUTION
