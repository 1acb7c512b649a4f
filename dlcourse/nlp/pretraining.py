"""Transformer variants and pre-training: encoder-only masked LM, decoder-only causal LM, fine-tuning.

Lecture: §5.3.2 Transformer Variants; §5.3 Transformer

The notes: pre-training builds strong representations of language, a good initialization of
the parameters, and a probability distribution over language to sample from; one can pre-train

- an **encoder only** (BERT): it sees the context on both sides, so it cannot generate text;
  it is pre-trained by hiding tokens and predicting them (masked language modelling);
- a **decoder only** (GPT): causal self-attention, for generation; pre-trained by predicting
  the next token, P(x) = prod_t P(x_t | x_<t);
- an **encoder-decoder** (T5, and `dlcourse.nlp.Transformer`).

The notes name BERT but not its recipe; what follows is Devlin et al.'s (2019), ours beyond the
notes. **Masked LM**: of the tokens that are not special (pad, bos, eos, ...) each is *chosen*
with probability 0.15; a chosen token is replaced by the mask token <mask> with probability
0.8, by a random token with probability 0.1, and left unchanged with probability 0.1; the loss
is the cross-entropy of the original token at the chosen positions only. The 10% random and
10% unchanged keep the encoder from learning that only <mask> positions matter, since <mask>
never occurs when the model is later fine-tuned. **Fine-tuning**: the pre-trained encoder gets
a small task head (here mean pooling and a dense layer) and all of it is trained on a labelled
task, typically with few labels.

The notes leave post-training and continuous training (their last line) for later; chapter 8
(`dlcourse.llm`) takes them up on top of `CausalLanguageModel`.
"""

from __future__ import annotations

import warnings

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.nlp.attention import padding_mask
from dlcourse.nlp.transformer import TransformerDecoderStack, TransformerEncoderStack

__all__ = [
    "MASK",
    "add_mask_token",
    "apply_bert_masking",
    "bert_masking",
    "MaskedLanguageModel",
    "CausalLanguageModel",
    "SequenceClassifier",
]

MASK = "<mask>"
IGNORE_ID = -1  # the label of a position that is not predicted (Keras' `ignore_class`)


def add_mask_token(vocabulary):
    """The vocabulary with `<mask>` appended (if it lacks one), and the mask token's id.

    Args:
        vocabulary: a `dlcourse.nlp.tokenizer.Vocabulary`.

    Returns:
        (vocabulary, mask_id).
    """
    from dlcourse.nlp.tokenizer import Vocabulary

    if MASK not in vocabulary:
        vocabulary = Vocabulary(vocabulary.tokens + [MASK])
    return vocabulary, vocabulary.token_to_id(MASK)


def _probability(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}.")
    return float(value)


def apply_bert_masking(ids, choose_draws, action_draws, random_tokens, mask_id, special_ids,
                       mask_rate=0.15, ignore_id=IGNORE_ID):
    """BERT's masking rule on given uniform draws: the deterministic core of `bert_masking`.

    A position is *chosen* when its token is not special and choose_draws < mask_rate; a chosen
    position becomes `mask_id` when action_draws < 0.8, `random_tokens` when
    0.8 <= action_draws < 0.9, and keeps its token when action_draws >= 0.9. The labels hold
    the original token at the chosen positions and `ignore_id` elsewhere.

    Args:
        ids: int array (batch, T) of token ids.
        choose_draws, action_draws: float arrays of ids' shape, uniform in [0, 1).
        random_tokens: int array of ids' shape, the replacements for the 10% random case.
        mask_id: the id of <mask>.
        special_ids: ids never chosen (padding, <bos>, <eos>, <unk>, <mask>, ...).
        mask_rate: the chance of a regular token being chosen. Defaults to 0.15.
        ignore_id: the label of positions that are not chosen. Defaults to -1.

    Returns:
        (inputs, labels), int arrays of ids' shape.

    Example:

    >>> ids = np.array([[2, 7, 8, 9, 3]])
    >>> inputs, labels = apply_bert_masking(ids, np.array([[0.0, 0.1, 0.5, 0.1, 0.0]]),
    ...     np.array([[0.0, 0.5, 0.5, 0.95, 0.0]]), np.full((1, 5), 6), mask_id=4, special_ids=(2, 3))
    >>> inputs.tolist(), labels.tolist()
    ([[2, 4, 8, 9, 3]], [[-1, 7, -1, 9, -1]])
    """
    ids = np.asarray(ids)
    mask_rate = _probability("mask_rate", mask_rate)
    chosen = (choose_draws < mask_rate) & ~np.isin(ids, np.asarray(list(special_ids)))
    inputs = np.where(chosen & (action_draws < 0.8), mask_id, ids)
    inputs = np.where(chosen & (action_draws >= 0.8) & (action_draws < 0.9), random_tokens, inputs)
    labels = np.where(chosen, ids, ignore_id)
    return inputs.astype(ids.dtype), labels.astype(ids.dtype)


def bert_masking(ids, vocab_size, mask_id, special_ids=(0, 1, 2, 3), mask_rate=0.15, seed=None,
                 ignore_id=IGNORE_ID):
    """BERT's masked-LM inputs and labels: choose 15% of the regular tokens, then 80/10/10.

    Every regular (non-special) token is chosen with probability `mask_rate`; a chosen token
    becomes <mask> (80%), a random regular token (10%) or stays (10%); only the chosen positions
    carry a label (see `apply_bert_masking`, which this calls with fresh draws).

    Args:
        ids: int array (batch, T).
        vocab_size: the number of ids; random tokens are drawn uniformly from the regular ids
            (those in [0, vocab_size) that are not special and not `mask_id`).
        mask_id: the id of <mask>.
        special_ids: ids never chosen. Defaults to the tokenizer's pad, unk, bos and eos.
        mask_rate: the chance of a regular token being chosen. Defaults to 0.15.
        seed: an int, a `numpy.random.Generator`, or None.
        ignore_id: the label of positions not chosen. Defaults to -1.

    Returns:
        (inputs, labels), int arrays of ids' shape; train with
        `keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=ignore_id)`.

    Example:

    >>> inputs, labels = bert_masking(np.full((4, 50), 7), vocab_size=10, mask_id=4, seed=0)
    >>> bool(((labels == 7) == (labels != -1)).all()), bool((inputs[labels == -1] == 7).all())
    (True, True)
    """
    ids = np.asarray(ids)
    vocab_size = positive_int("vocab_size", vocab_size)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    special = set(int(i) for i in special_ids) | {int(mask_id)}
    regular = np.array([i for i in range(vocab_size) if i not in special])
    if regular.size == 0:
        raise ValueError(f"a vocabulary of {vocab_size} ids has no regular token to draw at random besides "
                         f"the special ids {sorted(special)}.")
    choose, action = rng.random(ids.shape), rng.random(ids.shape)
    random_tokens = regular[rng.integers(len(regular), size=ids.shape)]
    return apply_bert_masking(ids, choose, action, random_tokens, mask_id, tuple(special), mask_rate, ignore_id)


def _stack_config(stack):
    return {key: value for key, value in stack.get_config().items()
            if key in ("vocab_size", "d_model", "num_heads", "intermediate_dim", "num_layers", "max_length",
                       "dropout", "position_encoding", "normalize_first", "activation", "pad_id", "seed")}


@keras.saving.register_keras_serializable(package="dlcourse")
class MaskedLanguageModel(keras.Model):
    """Encoder-only (BERT-style) masked language model: `TransformerEncoderStack` + a vocabulary head.

    Logits of P(x_t | the whole input with some tokens masked) at every position t; the
    self-attention is bidirectional (no causal mask), the notes' encoder-only variant. Train it
    on `bert_masking` outputs with a cross-entropy that ignores the unlabelled positions.

    Args:
        vocab_size: number of token ids (with <mask>).
        **stack_options: the encoder's options (`d_model`, `num_heads`, `intermediate_dim`,
            `num_layers`, `max_length`, `dropout`, `position_encoding` (default "learned",
            BERT's), `normalize_first`, `activation`, `pad_id`, `seed`).

    Call arguments:
        ids: int tensor (batch, T).

    Returns:
        Logits (batch, T, vocab_size).

    Example:

    >>> model = MaskedLanguageModel(12, d_model=8, num_heads=2, num_layers=1, max_length=16)
    >>> tuple(model(np.array([[2, 5, 4, 3]])).shape)
    (1, 4, 12)
    """

    def __init__(self, vocab_size, position_encoding="learned", **stack_options):
        base = {k: stack_options.pop(k) for k in ("name", "trainable", "dtype") if k in stack_options}
        super().__init__(**base)
        self.encoder = TransformerEncoderStack(vocab_size, position_encoding=position_encoding, **stack_options,
                                               name="encoder")
        self.lm_head = keras.layers.Dense(self.encoder.vocab_size, name="lm_head")

    def build(self, ids_shape):
        self.encoder.build(ids_shape)
        self.lm_head.build((*ids_shape, self.encoder.d_model))

    def call(self, ids, training=None):
        return self.lm_head(self.encoder(ids, training=training))

    def get_config(self):
        return {**super().get_config(), **_stack_config(self.encoder)}


@keras.saving.register_keras_serializable(package="dlcourse")
class CausalLanguageModel(keras.Model):
    """Decoder-only (GPT-style) language model: causal `TransformerDecoderStack` + a vocabulary head.

    Logits of P(x_{t+1} | x_1..x_t) at every position t (the causal mask hides the future), the
    notes' decoder-only variant, for generation: P(x) = prod_t P(x_t | x_<t). Train it on
    (ids[:, :-1], ids[:, 1:]) with a cross-entropy that ignores padding. Chapter 8 builds its
    LLM on this model.

    Args:
        vocab_size: number of token ids.
        **stack_options: the decoder's options (as for `MaskedLanguageModel`; position
            encoding "learned" by default, GPT-2's).

    Call arguments:
        ids: int tensor (batch, T).

    Returns:
        Logits (batch, T, vocab_size).

    Example:

    >>> model = CausalLanguageModel(12, d_model=8, num_heads=2, num_layers=1, max_length=16)
    >>> tuple(model(np.array([[2, 5, 6]])).shape)
    (1, 3, 12)
    """

    def __init__(self, vocab_size, position_encoding="learned", **stack_options):
        base = {k: stack_options.pop(k) for k in ("name", "trainable", "dtype") if k in stack_options}
        super().__init__(**base)
        self.decoder = TransformerDecoderStack(vocab_size, use_cross_attention=False,
                                               position_encoding=position_encoding, **stack_options, name="decoder")
        self.lm_head = keras.layers.Dense(self.decoder.vocab_size, name="lm_head")

    def build(self, ids_shape):
        self.decoder.build(ids_shape)
        self.lm_head.build((*ids_shape, self.decoder.d_model))

    def call(self, ids, training=None):
        return self.lm_head(self.decoder(ids, training=training))

    def step_function(self):
        """`step_fn(prefixes) -> log P(next token | prefix)` (rows, V), for `greedy_decode` /
        `beam_search` of `dlcourse.nlp.decoding` (prefixes start with <bos>)."""

        def step_fn(prefixes):
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "You are using a softmax over axis")  # a 1-token prefix
                logits = self(np.asarray(prefixes, dtype="int32"))
            return keras.ops.convert_to_numpy(ops.log_softmax(logits[:, -1], axis=-1))

        return step_fn

    def get_config(self):
        return {**super().get_config(), **_stack_config(self.decoder)}


@keras.saving.register_keras_serializable(package="dlcourse")
class SequenceClassifier(keras.Model):
    """A Transformer encoder with a classification head, for fine-tuning a pre-trained encoder.

    logits = W mean_{t real} z_t + b: the encoder's states are averaged over the non-padding
    positions and mapped to the classes. `load_encoder(masked_lm)` copies a pre-trained
    `MaskedLanguageModel`'s encoder into this one (the same options are needed), after which
    the whole model is trained on the labelled task: the pre-train -> fine-tune flow.

    Args:
        num_classes: number of classes.
        vocab_size: number of token ids.
        **stack_options: the encoder's options, as for `MaskedLanguageModel`.

    Call arguments:
        ids: int tensor (batch, T).

    Returns:
        Logits (batch, num_classes).

    Example:

    >>> model = SequenceClassifier(3, 12, d_model=8, num_heads=2, num_layers=1, max_length=16)
    >>> tuple(model(np.array([[2, 5, 0]])).shape)
    (1, 3)
    """

    def __init__(self, num_classes, vocab_size, position_encoding="learned", **stack_options):
        base = {k: stack_options.pop(k) for k in ("name", "trainable", "dtype") if k in stack_options}
        super().__init__(**base)
        self.num_classes = positive_int("num_classes", num_classes)
        self.encoder = TransformerEncoderStack(vocab_size, position_encoding=position_encoding, **stack_options,
                                               name="encoder")
        self.classifier = keras.layers.Dense(self.num_classes, name="classifier")

    def build(self, ids_shape):
        self.encoder.build(ids_shape)
        self.classifier.build((ids_shape[0], self.encoder.d_model))

    def call(self, ids, training=None):
        states = self.encoder(ids, training=training)
        real = ops.cast(ops.expand_dims(padding_mask(ids, self.encoder.pad_id), -1), states.dtype)
        pooled = ops.sum(states * real, axis=1) / ops.maximum(ops.sum(real, axis=1), 1.0)
        return self.classifier(pooled)

    def load_encoder(self, masked_lm):
        """Copy the encoder weights of a pre-trained `MaskedLanguageModel` into this model."""
        mine, theirs = _stack_config(self.encoder), _stack_config(masked_lm.encoder)
        if mine != theirs:
            differ = sorted(k for k in mine if mine[k] != theirs.get(k))
            raise ValueError(f"the pre-trained encoder has other options than this classifier's ({', '.join(differ)}); "
                             "build the classifier with the masked LM's options.")
        if not masked_lm.encoder.built:
            raise ValueError("the masked language model is not built yet: call or train it first.")
        if not self.encoder.built:
            self.encoder.build((None, None))
            self.classifier.build((None, self.encoder.d_model))
        self.encoder.set_weights(masked_lm.encoder.get_weights())

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, **_stack_config(self.encoder)}
