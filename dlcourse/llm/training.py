"""Pre-training a language model: the next-token loss, perplexity, AdamW with warmup and cosine.

Lecture: §8 Foundation Models: LLM; §2.4.1 Cross-Entropy Loss; §2.2 Optimization

The notes leave chapter 8 as a heading (and name "pre-training" among the Transformer's open
points in §5.3); this module follows the pre-training part of Stanford CS336's first assignment,
with AdamW from Loshchilov and Hutter (2019) and the warmup-then-cosine schedule of GPT-2/GPT-3
and Chinchilla.

**The loss.** A decoder-only LM reads ids x_0, ..., x_{T-1} and returns logits z_t (V values)
at every position t; the causal mask lets z_t see x_0..x_t only, so z_t scores the *next* token
x_{t+1}. The loss is the notes' cross-entropy, L = -(1/N) sum_i sum_j y_ij log p_ij (§2.4.1),
with one sample i per predicted position, p = softmax(z_t) and the one-hot y of x_{t+1}:

    L = -(1 / (B (T - 1))) sum_b sum_{t=0..T-2} log softmax(z[b, t])_{x[b, t+1]}

(the logits of the last position predict nothing inside the window, and x_0 is never a
target). Beyond the notes: a weight mask m (B, T) aligned with the *targets* -- m[b, t] weights
token x[b, t] as a target, so m[:, 0] is never used -- gives the weighted mean
sum_{b, t>=1} m[b, t] nll[b, t] / sum_{b, t>=1} m[b, t] (padding, or the prompt of a supervised
fine-tuning example, gets weight 0). **Perplexity** = exp(L): the model is as unsure as a
uniform choice among exp(L) tokens; a uniform model over V tokens has perplexity V. The
baseline to beat is the unigram model, which ignores the context (`unigram_perplexity`).

**The optimizer.** Beyond the notes, `dlcourse.training.AdamW`: decoupled weight decay,
theta <- theta - eta lambda theta, then the Adam step of §2.2 (with Kingma and Ba's bias
correction). **The schedule** (`WarmupCosineDecay`), beyond the notes, whose updates (§2.2) use one eta without a schedule: with t the
number of finished updates (Keras' `optimizer.iterations`, 0 at the first update), T_w warmup
steps and T_c the step where the decay ends,

    eta_t = eta_max t / T_w                                                      t < T_w
    eta_t = eta_min + (eta_max - eta_min) (1 + cos(pi (t - T_w) / (T_c - T_w))) / 2    T_w <= t <= T_c
    eta_t = eta_min                                                              t > T_c

**Clipping**, beyond the notes as well (chapter 3's remedy for exploding gradients): every
update clips the gradients by their global norm with `dlcourse.sequence.clip_by_global_norm`
(`train_language_model(clip_norm=...)`).

The loop uses `model.train_on_batch`, so it runs on any Keras backend; the functions here use
`keras.ops` and numpy only.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import non_negative_int, positive_int
from dlcourse.sequence.clipping import clip_by_global_norm
from dlcourse.training.optimizers import AdamW

__all__ = [
    "causal_lm_loss",
    "CausalLMLoss",
    "perplexity",
    "unigram_perplexity",
    "WarmupCosineDecay",
    "LanguageModelWindows",
    "language_model_dataset",
    "train_language_model",
    "mean_negative_log_likelihood",
    "evaluate_perplexity",
    "pretrain_demo",
]


def _rank_check(name, tensor, rank):
    if len(tensor.shape) != rank:
        raise ValueError(f"{name} must have rank {rank}, got shape {tuple(tensor.shape)}.")


def causal_lm_loss(logits, token_ids, mask=None):
    """Mean next-token negative log-likelihood: the logits at position t score token t + 1.

    L = sum_{b, t>=1} m[b, t] (-log softmax(z[b, t-1])_{x[b, t]}) / sum_{b, t>=1} m[b, t], with
    m = 1 everywhere by default (the plain mean over the B (T - 1) predicted tokens). The targets
    are `token_ids[:, 1:]`, predicted by `logits[:, :-1]`; the last position's logits are unused.

    Args:
        logits: float tensor (B, T, V), the model's output on `token_ids`.
        token_ids: int tensor (B, T), the ids the model read (they are also the targets).
        mask: optional float or bool tensor (B, T) aligned with the targets: mask[b, t] weights
            token_ids[b, t] as a target (mask[:, 0] is unused: the first token is never
            predicted). An all-zero mask gives a loss of 0.

    Returns:
        A scalar float tensor, the weighted mean NLL in nats.

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.training import causal_lm_loss
    >>> logits = np.zeros((1, 3, 4), dtype="float32")  # a uniform model over 4 tokens
    >>> round(float(causal_lm_loss(logits, np.array([[1, 2, 3]]))), 4)  # log 4
    1.3863
    """
    logits = ops.convert_to_tensor(logits)
    if "float" not in keras.backend.standardize_dtype(logits.dtype):
        logits = ops.cast(logits, keras.config.floatx())
    token_ids = ops.cast(ops.convert_to_tensor(token_ids), "int32")
    _rank_check("logits", logits, 3)
    _rank_check("token_ids", token_ids, 2)
    for axis, (a, b) in enumerate(zip(logits.shape[:2], token_ids.shape)):
        if a is not None and b is not None and a != b:
            raise ValueError(f"logits (B, T, V) and token_ids (B, T) must share B and T, got shapes "
                             f"{tuple(logits.shape)} and {tuple(token_ids.shape)}.")
    if token_ids.shape[1] is not None and token_ids.shape[1] < 2:
        raise ValueError(f"token_ids must hold T >= 2 ids per row (a token and its successor), got shape "
                         f"{tuple(token_ids.shape)}.")
    log_probs = ops.log_softmax(logits[:, :-1], axis=-1)  # position t scores token t + 1
    targets = token_ids[:, 1:]
    nll = -ops.take_along_axis(log_probs, ops.expand_dims(targets, -1), axis=-1)[..., 0]
    if mask is None:
        return ops.mean(nll)
    weights = ops.cast(ops.convert_to_tensor(mask), nll.dtype)[:, 1:]
    total = ops.sum(weights)
    return ops.where(total > 0, ops.sum(weights * nll) / ops.maximum(total, 1e-12), 0.0)


@keras.saving.register_keras_serializable(package="dlcourse")
class CausalLMLoss(keras.losses.Loss):
    """`causal_lm_loss` as a Keras loss: `model.compile(loss=CausalLMLoss())`, y_true = the ids.

    The model is fitted on (ids, ids): y_true is the batch of ids the model read, y_pred its
    logits, and the loss shifts them itself (logits at t against ids at t + 1). Beyond
    `causal_lm_loss`, `ignore_id` gives weight 0 to the targets equal to it (padding).

    Args:
        ignore_id: optional id whose target positions do not count. Defaults to None.
        name: the loss' name.

    Call arguments:
        y_true: int tensor (B, T), the ids.
        y_pred: float tensor (B, T, V), the logits.

    Returns:
        The scalar mean NLL over the counted targets (sample weights are not supported: pass a
        mask to `causal_lm_loss` instead).

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.training import CausalLMLoss
    >>> ids = np.array([[1, 2, 0]])
    >>> round(float(CausalLMLoss(ignore_id=0)(ids, np.zeros((1, 3, 5)))), 4)  # log 5, one target
    1.6094
    """

    def __init__(self, ignore_id=None, name="causal_lm_loss", **kwargs):
        super().__init__(name=name, **kwargs)
        if ignore_id is not None:
            ignore_id = non_negative_int("ignore_id", ignore_id)
        self.ignore_id = ignore_id

    def call(self, y_true, y_pred):
        token_ids = ops.cast(y_true, "int32")
        mask = None if self.ignore_id is None else ops.not_equal(token_ids, self.ignore_id)
        return causal_lm_loss(y_pred, token_ids, mask)

    def get_config(self):
        return {**super().get_config(), "ignore_id": self.ignore_id}


def perplexity(mean_nll):
    """exp(mean NLL): the size of a uniform choice that is as uncertain as the model.

    Args:
        mean_nll: the mean negative log-likelihood per token in nats (a number or scalar tensor).

    Returns:
        A Python float.

    Example:

    >>> import math
    >>> from dlcourse.llm.training import perplexity
    >>> round(perplexity(math.log(50.0)), 6)  # a uniform model over 50 tokens
    50.0
    """
    return float(np.exp(float(keras.ops.convert_to_numpy(mean_nll))))


def _int_stream(name, token_ids):
    ids = np.asarray(token_ids)
    if ids.ndim != 1 or (ids.size and not np.issubdtype(ids.dtype, np.integer)):
        raise ValueError(f"{name} must be a 1-D sequence of integer token ids, got an array of shape "
                         f"{ids.shape} and dtype {ids.dtype}.")
    if ids.size and ids.min() < 0:
        raise ValueError(f"{name} must hold non-negative token ids, got {int(ids.min())}.")
    return ids.astype(np.int64)


def unigram_perplexity(train_ids, eval_ids, vocabulary_size=None, smoothing=1.0):
    """Perplexity on `eval_ids` of the unigram model fitted to `train_ids` (add-k smoothing).

    The unigram model ignores the context: P(w) = (count(w) + k) / (N + k V), with count(w) the
    number of times w occurs among the N training ids and k = `smoothing` (k = 1 is Laplace's
    add-one rule, so an id never seen in training still has a finite probability). A language
    model that uses its context must beat this baseline.

    Args:
        train_ids: 1-D int array, the training stream.
        eval_ids: 1-D int array, the held-out stream (every id is scored).
        vocabulary_size: V; defaults to 1 + the largest id in either stream.
        smoothing: k >= 0 (k = 0 needs every evaluated id to occur in training). Defaults to 1.

    Returns:
        exp(-mean_w log P(w)) over the held-out ids, a Python float.

    Example:

    >>> from dlcourse.llm.training import unigram_perplexity
    >>> round(unigram_perplexity([0, 0, 1, 1], [0, 1], vocabulary_size=2), 6)
    2.0
    """
    train, held_out = _int_stream("train_ids", train_ids), _int_stream("eval_ids", eval_ids)
    if held_out.size == 0:
        raise ValueError("eval_ids must hold at least one id, got an empty stream.")
    largest = int(max(train.max(initial=0), held_out.max()))
    if vocabulary_size is None:
        vocabulary_size = largest + 1
    vocabulary_size = positive_int("vocabulary_size", vocabulary_size)
    if largest >= vocabulary_size:
        raise ValueError(f"token id {largest} is outside the vocabulary of {vocabulary_size} ids; "
                         "pass a larger vocabulary_size.")
    if isinstance(smoothing, bool) or not isinstance(smoothing, (int, float)) or smoothing < 0:
        raise ValueError(f"smoothing must be a non-negative number, got {smoothing!r}.")
    counts = np.bincount(train, minlength=vocabulary_size).astype(float) + smoothing
    probabilities = counts / counts.sum()
    with np.errstate(divide="ignore"):
        nll = -np.log(probabilities[held_out]).mean()
    return float(np.exp(nll))


@keras.saving.register_keras_serializable(package="dlcourse")
class WarmupCosineDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warmup from 0 to the peak, then a cosine decay to a floor.

    With t the number of finished updates (`optimizer.iterations`: 0 at the first update),

        eta_t = eta_max t / T_w                                               for t < T_w,
        eta_t = eta_min + (eta_max - eta_min) (1 + cos(pi (t - T_w) / (T_c - T_w))) / 2
                                                                              for T_w <= t <= T_c,
        eta_t = eta_min                                                       for t > T_c,

    where T_w = `warmup_steps` and T_c = `total_steps`: the cosine runs over the T_c - T_w steps
    after the warmup, not over all T_c. This is CS336's `get_lr_cosine_schedule` and equals
    `keras.optimizers.schedules.CosineDecay(initial_learning_rate=0.0,
    decay_steps=T_c - T_w, alpha=eta_min / eta_max, warmup_target=eta_max, warmup_steps=T_w)`
    (`to_keras()` builds it; the tests compare the two step by step). The first update
    (t = 0) has eta = 0 when T_w > 0, as in Keras.

    Args:
        peak_learning_rate: eta_max > 0, reached at the end of the warmup.
        warmup_steps: T_w >= 0 (0: no warmup, the decay starts at eta_max).
        total_steps: T_c > T_w, the step at which the floor is reached.
        min_learning_rate: the floor eta_min in [0, eta_max]. Defaults to 0.
        name: the schedule's name.

    Example:

    >>> from dlcourse.llm.training import WarmupCosineDecay
    >>> schedule = WarmupCosineDecay(1.0, warmup_steps=2, total_steps=4, min_learning_rate=0.2)
    >>> [round(float(schedule(t)), 4) for t in range(6)]
    [0.0, 0.5, 1.0, 0.6, 0.2, 0.2]
    """

    def __init__(self, peak_learning_rate, warmup_steps, total_steps, min_learning_rate=0.0,
                 name="WarmupCosineDecay"):
        super().__init__()
        for arg, value in (("peak_learning_rate", peak_learning_rate), ("min_learning_rate", min_learning_rate)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{arg} must be a non-negative number, got {value!r}.")
        if not peak_learning_rate > 0:
            raise ValueError(f"peak_learning_rate must be positive, got {peak_learning_rate!r}.")
        if min_learning_rate > peak_learning_rate:
            raise ValueError(f"min_learning_rate must be at most peak_learning_rate ({peak_learning_rate}), "
                             f"got {min_learning_rate!r}.")
        self.peak_learning_rate = float(peak_learning_rate)
        self.min_learning_rate = float(min_learning_rate)
        self.warmup_steps = non_negative_int("warmup_steps", warmup_steps)
        self.total_steps = positive_int("total_steps", total_steps)
        if self.total_steps <= self.warmup_steps:
            raise ValueError(f"total_steps must be larger than warmup_steps ({self.warmup_steps}), "
                             f"got {total_steps!r}.")
        self.name = name

    def __call__(self, step):
        t = ops.cast(step, "float32")
        peak, floor = self.peak_learning_rate, self.min_learning_rate
        warmup = peak * t / max(self.warmup_steps, 1)
        progress = ops.clip((t - self.warmup_steps) / (self.total_steps - self.warmup_steps), 0.0, 1.0)
        cosine = floor + 0.5 * (peak - floor) * (1.0 + ops.cos(math.pi * progress))
        return ops.where(t < self.warmup_steps, warmup, cosine)

    def to_keras(self):
        """The same schedule as `keras.optimizers.schedules.CosineDecay` (the oracle)."""
        return keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=0.0, decay_steps=self.total_steps - self.warmup_steps,
            alpha=self.min_learning_rate / self.peak_learning_rate, warmup_target=self.peak_learning_rate,
            warmup_steps=self.warmup_steps)

    def get_config(self):
        return {"peak_learning_rate": self.peak_learning_rate, "warmup_steps": self.warmup_steps,
                "total_steps": self.total_steps, "min_learning_rate": self.min_learning_rate, "name": self.name}


def _window_starts(length, sequence_length):
    """Starts of windows of `sequence_length` ids that overlap by one: each id but the first is
    a target exactly once (window k reads ids s..s+L-1 and predicts s+1..s+L-1, s = k (L - 1))."""
    return np.arange(0, max(length - sequence_length, -1) + 1, sequence_length - 1)


class LanguageModelWindows(keras.utils.PyDataset):
    """Batches of windows cut from one token stream, for `model.fit` or `train_on_batch`.

    Window k holds ids[k (L - 1) : k (L - 1) + L]: consecutive windows share one id, so every id
    but the first is a target (under `causal_lm_loss`'s shift) in exactly one window. A trailing
    part shorter than L is dropped, and so is a last batch smaller than `batch_size`. With
    `shuffle=True` the windows are dealt into batches in a fresh seeded order every epoch.

    Items are (x, x): the model reads x (batch_size, L) and `CausalLMLoss` takes its targets
    from x as well.
    """

    def __init__(self, token_ids, sequence_length, batch_size, seed=None, shuffle=True):
        super().__init__()
        self.token_ids = _int_stream("token_ids", token_ids).astype(np.int32)
        self.sequence_length = _sequence_length(sequence_length)
        self.batch_size = positive_int("batch_size", batch_size)
        starts = _window_starts(self.token_ids.size, self.sequence_length)
        if starts.size < self.batch_size:
            raise ValueError(f"a stream of {self.token_ids.size} ids gives {starts.size} windows of "
                             f"{self.sequence_length} ids, fewer than one batch of {self.batch_size}; "
                             "use more text, shorter windows or a smaller batch.")
        self.windows = self.token_ids[starts[:, None] + np.arange(self.sequence_length)]
        self.shuffle = bool(shuffle)
        self._rng = np.random.default_rng(seed)
        self._order = np.arange(len(self.windows))
        self.on_epoch_end()

    def __len__(self):
        return len(self.windows) // self.batch_size

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"batch index {index} is out of range for {len(self)} batches.")
        x = self.windows[self._order[index * self.batch_size:(index + 1) * self.batch_size]]
        return x, x

    def on_epoch_end(self):
        if self.shuffle:
            self._order = self._rng.permutation(len(self.windows))


def _sequence_length(value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 2:
        raise ValueError(f"sequence_length must be an integer >= 2 (a window needs a token and its "
                         f"successor), got {value!r}.")
    return int(value)


def language_model_dataset(token_ids, sequence_length, batch_size, seed=None, shuffle=True):
    """Cut a token stream into windows of `sequence_length` ids and batch them.

    Args:
        token_ids: 1-D int array, the whole training stream (documents joined by an
            end-of-text id).
        sequence_length: L >= 2, the ids per window (the model's context).
        batch_size: windows per batch.
        seed: seed of the shuffling. Defaults to None.
        shuffle: deal the windows in a fresh random order every epoch. Defaults to True.

    Returns:
        A `LanguageModelWindows` (a `keras.utils.PyDataset` of (x, x) batches, x int32
        (batch_size, L)); its `windows` attribute holds all windows in stream order.

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.training import language_model_dataset
    >>> data = language_model_dataset(np.arange(10), sequence_length=4, batch_size=2, shuffle=False)
    >>> data.windows.tolist()  # consecutive windows share one id
    [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]
    >>> len(data), data[0][0].shape
    (1, (2, 4))
    """
    return LanguageModelWindows(token_ids, sequence_length, batch_size, seed=seed, shuffle=shuffle)


def _clip_before_apply(optimizer, max_norm):
    """Route every `optimizer.apply` through chapter 3's `clip_by_global_norm`.

    Keras' trainers of every backend (TensorFlow, JAX, PyTorch) hand the gradients of a step to
    `optimizer.apply` (JAX through `stateless_apply`), so wrapping that one method clips every
    update of `fit` and `train_on_batch` without a backend-specific `train_step`."""
    if getattr(optimizer, "_dlcourse_clip_norm", None) == max_norm:
        return optimizer
    apply = getattr(optimizer, "_dlcourse_unclipped_apply", optimizer.apply)

    def clipped_apply(grads, trainable_variables=None):
        clipped, _ = clip_by_global_norm(list(grads), max_norm)
        return apply(clipped, trainable_variables)

    optimizer._dlcourse_unclipped_apply = apply
    optimizer._dlcourse_clip_norm = max_norm
    optimizer.apply = clipped_apply
    return optimizer


def _windows_with_tail(token_ids, sequence_length):
    """Windows covering every id of the stream (the last one padded), and their target masks."""
    ids = _int_stream("token_ids", token_ids).astype(np.int32)
    if ids.size < 2:
        raise ValueError(f"token_ids must hold at least 2 ids to score a next token, got {ids.size}.")
    sequence_length = _sequence_length(sequence_length)
    starts = _window_starts(ids.size, sequence_length)
    if starts.size == 0:
        starts = np.array([0])
    covered = starts[-1] + sequence_length
    if covered < ids.size:
        starts = np.append(starts, starts[-1] + sequence_length - 1)
    padded = np.concatenate([ids, np.zeros(sequence_length, np.int32)])
    windows = padded[starts[:, None] + np.arange(sequence_length)]
    mask = (starts[:, None] + np.arange(sequence_length)) < ids.size
    return windows, mask.astype("float32")


def mean_negative_log_likelihood(model, token_ids, sequence_length, batch_size=32):
    """The model's mean NLL per token on a held-out stream, every id but the first scored once.

    The stream is cut as in `language_model_dataset` (windows sharing one id), plus a last,
    padded window for the remainder; each target is predicted from the ids before it in its
    window (up to L - 1 of them).

    Args:
        model: a Keras model, ids (B, L) -> logits (B, L, V).
        token_ids: 1-D int array, at least 2 ids.
        sequence_length: L >= 2, the context length of each window.
        batch_size: windows per forward pass. Defaults to 32.

    Returns:
        The mean NLL in nats, a Python float.
    """
    windows, mask = _windows_with_tail(token_ids, sequence_length)
    batch_size = positive_int("batch_size", batch_size)
    total, count = 0.0, 0.0
    for begin in range(0, len(windows), batch_size):
        x, m = windows[begin:begin + batch_size], mask[begin:begin + batch_size]
        logits = model.predict_on_batch(x) if getattr(model, "compiled", False) else model(x, training=False)
        weight = float(m[:, 1:].sum())
        total += float(ops.convert_to_numpy(causal_lm_loss(logits, x, m))) * weight
        count += weight
    return total / count


def evaluate_perplexity(model, token_ids, sequence_length, batch_size=32):
    """exp(`mean_negative_log_likelihood`): the model's perplexity on a held-out stream.

    Args:
        model: a Keras model, ids (B, L) -> logits (B, L, V).
        token_ids: 1-D int array, at least 2 ids.
        sequence_length: L >= 2, the context length of each window.
        batch_size: windows per forward pass. Defaults to 32.

    Returns:
        A Python float.

    Example:

    >>> import numpy as np, keras
    >>> from dlcourse.llm.training import evaluate_perplexity
    >>> uniform = keras.Sequential([keras.layers.Embedding(7, 7, embeddings_initializer="zeros")])
    >>> round(evaluate_perplexity(uniform, np.arange(20) % 7, sequence_length=5), 4)
    7.0
    """
    return perplexity(mean_negative_log_likelihood(model, token_ids, sequence_length, batch_size))


def train_language_model(model, train_ids, validation_ids=None, *, sequence_length=64, batch_size=16,
                         steps=200, optimizer=None, learning_rate=3e-3, warmup_steps=None,
                         min_learning_rate=None, weight_decay=0.1, clip_norm=1.0, eval_every=None,
                         seed=0):
    """Pre-train a causal LM on a token stream: AdamW, warmup + cosine, global-norm clipping.

    Each step takes one batch of windows (`language_model_dataset`), minimises `CausalLMLoss`
    with one optimizer update, the gradients first clipped by their global norm with
    `dlcourse.sequence.clip_by_global_norm` (through `optimizer.apply`, which Keras' trainers
    call on every backend). The model is compiled here (its previous compile is replaced).

    Args:
        model: a Keras model, ids (B, L) -> logits (B, L, V), e.g. `dlcourse.llm.GPT`.
        train_ids: 1-D int array, the training stream.
        validation_ids: optional 1-D int array, the held-out stream, scored every `eval_every`
            steps with `mean_negative_log_likelihood`.
        sequence_length: L, ids per window (at most the model's maximum length). Defaults to 64.
        batch_size: windows per step. Defaults to 16.
        steps: number of updates. Defaults to 200.
        optimizer: a Keras optimizer; None builds `dlcourse.training.AdamW` with a
            `WarmupCosineDecay` over `steps` from the next three arguments.
        learning_rate: eta_max of the default schedule. Defaults to 3e-3.
        warmup_steps: T_w of the default schedule; None: 10% of `steps` (at least 1).
        min_learning_rate: eta_min of the default schedule; None: `learning_rate` / 10.
        weight_decay: lambda of the default AdamW. Defaults to 0.1.
        clip_norm: the global-norm bound c, or None for no clipping. Defaults to 1.0.
        eval_every: steps between two history entries; None: `steps` / 10 (at least 1).
        seed: seed of the order of the windows. Defaults to 0.

    Returns:
        The history, a dict of lists with one entry per evaluation: "step" (updates done),
        "loss" (the mean training loss over the steps since the previous entry),
        "val_loss" (the validation mean NLL, when `validation_ids` is given) and
        "learning_rate" (eta of the last update).
    """
    steps = positive_int("steps", steps)
    eval_every = max(1, steps // 10) if eval_every is None else positive_int("eval_every", eval_every)
    if clip_norm is not None and (isinstance(clip_norm, bool) or not isinstance(clip_norm, (int, float))
                                  or not clip_norm > 0):
        raise ValueError(f"clip_norm must be a positive number or None, got {clip_norm!r}.")
    data = language_model_dataset(train_ids, sequence_length, batch_size, seed=seed)
    if optimizer is None:
        warmup = max(1, steps // 10) if warmup_steps is None else warmup_steps
        floor = learning_rate / 10 if min_learning_rate is None else min_learning_rate
        optimizer = AdamW(WarmupCosineDecay(learning_rate, warmup, max(steps, warmup + 1), floor),
                          weight_decay=weight_decay)
    if clip_norm is not None:
        _clip_before_apply(optimizer, float(clip_norm))
    model.compile(optimizer=optimizer, loss=CausalLMLoss())
    history = {"step": [], "loss": [], "learning_rate": []}
    if validation_ids is not None:
        history["val_loss"] = []
    losses, batch = [], 0
    for step in range(1, steps + 1):
        if batch == len(data):
            data.on_epoch_end()
            batch = 0
        x, y = data[batch]
        batch += 1
        record = step % eval_every == 0 or step == steps
        if record:  # the learning rate of this update (the optimizer's, at its current iteration)
            history["learning_rate"].append(float(ops.convert_to_numpy(optimizer.learning_rate)))
        losses.append(float(model.train_on_batch(x, y, return_dict=True)["loss"]))
        if record:
            history["step"].append(step)
            history["loss"].append(float(np.mean(losses)))
            if validation_ids is not None:
                history["val_loss"].append(mean_negative_log_likelihood(model, validation_ids, sequence_length,
                                                                        batch_size))
            losses = []
    return history


def pretrain_demo(seed=0, num_sentences=2000, validation_sentences=200, vocabulary_size=400, steps=250,
                  sequence_length=32, batch_size=32, hidden_dim=64, num_layers=2, num_heads=4, learning_rate=5e-3,
                  top_p=0.9, sample_tokens=32):
    """The chapter's end-to-end run: grammar corpus -> BPE -> GPT -> AdamW + warmup/cosine.

    Sentences of `dlcourse.data.grammar_corpus` (the first `num_sentences` for training, the
    next `validation_sentences` held out) are tokenized by a `dlcourse.llm.BytePairTokenizer`
    trained on the training sentences, each sentence followed by <|endoftext|>; a small
    `dlcourse.llm.GPT` is pre-trained on the training stream with `train_language_model`
    (AdamW, warmup + cosine, global-norm clipping), its held-out perplexity is compared with the
    unigram baseline's, and one sentence is sampled after <|endoftext|> with
    `dlcourse.llm.sampling.TopPSampler`. Everything is seeded; the README's numbers are
    `pretrain_demo(seed=0)`'s.

    Args:
        seed: seed of the corpus, the weights, the batches and the sample.
        num_sentences, validation_sentences: sentences for training and for validation.
        vocabulary_size: the tokenizer's vocabulary size (256 bytes + merges + 1 special).
        steps, sequence_length, batch_size, learning_rate: as for `train_language_model`.
        hidden_dim, num_layers, num_heads: the GPT's size.
        top_p, sample_tokens: the nucleus of the sampler and the most tokens sampled.

    Returns:
        A dict: "validation_perplexity", "unigram_perplexity" (both on the held-out stream),
        "sample" (the sampled text), "history" (of `train_language_model`), "model",
        "tokenizer".
    """
    from dlcourse.data.text import grammar_corpus
    from dlcourse.llm.bpe import BytePairTokenizer
    from dlcourse.llm.gpt import GPT
    from dlcourse.llm.sampling import TopPSampler

    keras.utils.set_random_seed(seed)
    sentences, _ = grammar_corpus(num_sentences + validation_sentences, seed=seed)
    train_sentences, validation = sentences[:num_sentences], sentences[num_sentences:]
    tokenizer = BytePairTokenizer.train(train_sentences, vocabulary_size=vocabulary_size)
    end = tokenizer.token_to_id("<|endoftext|>")

    def stream(texts):
        return np.array([i for text in texts for i in tokenizer.encode(text) + [end]], dtype=np.int32)

    train_ids, validation_ids = stream(train_sentences), stream(validation)
    model = GPT(tokenizer.vocabulary_size, max_length=sequence_length, hidden_dim=hidden_dim,
                num_layers=num_layers, num_heads=num_heads)
    history = train_language_model(model, train_ids, validation_ids, sequence_length=sequence_length,
                                   batch_size=batch_size, steps=steps, learning_rate=learning_rate, seed=seed)
    sample = model.generate(np.array([[end]]), sample_tokens, sampler=TopPSampler(top_p), seed=seed, eos_id=end)
    text = tokenizer.decode([int(i) for i in sample[0, 1:] if i != end])
    return {
        "validation_perplexity": evaluate_perplexity(model, validation_ids, sequence_length),
        "unigram_perplexity": unigram_perplexity(train_ids, validation_ids, tokenizer.vocabulary_size),
        "sample": text,
        "history": history,
        "model": model,
        "tokenizer": tokenizer,
    }
