"""The LSTM encoder-decoder (seq2seq), with or without attention over the encoder states.

Lecture: §5.2 Seq2Seq Model; §5.3 Transformer; §5.3.1 Self-Attention and Encoder-Decoder Structure

The notes' seq2seq model reads the source x with one RNN (the encoder) and writes the target y
with another (the decoder), the two joined by the encoder's state at the end of the sentence,
and scores a translation by

    P(y|x) = prod_{t=1..T} P(y_t | y_1, ..., y_{t-1}, x).

Here both RNNs are LSTMs (§3.2): the encoder's final (h, c) is the decoder's initial state, and
the decoder's h_t goes through a Dense layer to the logits of P(y_t | y_<t, x) over the target
vocabulary. Training maximises log P(y|x) of the reference translations, i.e. minimises the
negative log-likelihood (the notes' §5.1 remark, left unfinished there). With teacher forcing
(ours, as cs224n and d2l train it) the decoder reads the reference prefix <bos>, y_1, ...,
y_{T-1} rather than its own guesses, so all T steps are one parallel pass; padding (id 0) is
masked out of the encoder, the decoder and the loss, so a batch of sentences of different
lengths trains as if each were alone. `MaskedSequenceCrossEntropy` is that loss per real token.

The notes (§5.3) list three weaknesses of this model. The second, that a single squeezed
middle state cannot carry everything a long source says, is what `attention=True` addresses,
as in Luong et al. (2015): at every decoder step the decoder state asks all encoder states
h^enc_1..h^enc_S which to read (the link from every decoder step to the encoder that §5.3.1
describes),

    q_t        = h_t W_q
    alpha_t    = softmax over s of (q_t . h^enc_s / sqrt(units))      (padding masked out)
    context_t  = sum_s alpha_{t,s} h^enc_s
    logits_t   = tanh([h_t, context_t] W_c + b_c) W_out + b_out

with chapter 3's `scaled_dot_product_attention` (no second attention is written here). The
weights alpha_{t,s} are the alignment of target word t with source word s
(`plot_alignment` in `dlcourse.nlp.plots`). `tests/test_nlp_seq2seq.py` shows the weakness:
the plain model's BLEU falls with source length and the attention model's does not.

The recurrent layer is `keras.layers.LSTM` by default (`cell="keras"`, the production form:
one fused kernel, the fastest on CPU for the tests' time budget), or chapter 3's
`dlcourse.sequence.LSTMCell` in `keras.layers.RNN` (`cell="dlcourse"`, the notes' gates); the
two compute the same function on the same weights (tested).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import non_negative_int, positive_int
from dlcourse.sequence.attention import scaled_dot_product_attention

__all__ = [
    "Seq2Seq",
    "MaskedSequenceCrossEntropy",
    "masked_sequence_cross_entropy",
    "teacher_forcing_inputs",
    "translation_arrays",
]

_CELLS = ("keras", "dlcourse")


def teacher_forcing_inputs(targets, bos_id, pad_id=0):
    """The decoder's inputs under teacher forcing: the targets shifted right behind <bos>.

    For a target row y_1, ..., y_T (ending with <eos>, then padding), the decoder reads
    <bos>, y_1, ..., y_{T-1} and is trained to output y_1, ..., y_T: input t is the target
    before it. Where the target is padding the input is padding too.

    Args:
        targets: int array (batch, T) of target ids, padded with `pad_id` on the right.
        bos_id: the id of <bos>.
        pad_id: the id of <pad>. Defaults to 0.

    Returns:
        An int32 numpy array (batch, T).

    Example:

    >>> teacher_forcing_inputs(np.array([[5, 6, 3, 0]]), bos_id=2).tolist()
    [[2, 5, 6, 0]]
    """
    targets = np.asarray(targets)
    if targets.ndim != 2:
        raise ValueError(f"targets must have shape (batch, T), got shape {targets.shape}.")
    shifted = np.concatenate([np.full((len(targets), 1), bos_id), targets[:, :-1]], axis=1)
    return np.where(targets == pad_id, pad_id, shifted).astype(np.int32)


def translation_arrays(pairs, source_vocabulary, target_vocabulary, source_length=None, target_length=None):
    """Encode (source, target) string pairs for `Seq2Seq.fit`.

    Args:
        pairs: a list of (source, target) strings of space-separated tokens, as
            `dlcourse.data.text.translation_pairs` returns them.
        source_vocabulary, target_vocabulary: `dlcourse.nlp.tokenizer.Vocabulary` objects.
        source_length, target_length: pad (or cut) to these lengths; the longest by default.
            The target length counts the <eos> every target ends with.

    Returns:
        ((source_ids, decoder_inputs), targets): int32 arrays (N, S), (N, T) and (N, T).
    """
    sources, targets = zip(*pairs)
    source_ids = source_vocabulary.encode(list(sources), max_length=source_length)
    target_ids = target_vocabulary.encode(list(targets), max_length=target_length, eos=True)
    bos_id = target_vocabulary.token_to_id("<bos>")
    pad_id = target_vocabulary.token_to_id("<pad>")
    return (source_ids.astype(np.int32), teacher_forcing_inputs(target_ids, bos_id, pad_id)), target_ids.astype(np.int32)


def masked_sequence_cross_entropy(targets, logits, pad_id=0):
    """-(1 / #real tokens) sum over real tokens of log P(y_t | y_<t, x): the loss per token.

    Summed over a sentence instead, the same terms are -log P(y|x), the notes' P(y|x) as a
    negative log-likelihood. Positions where the target is `pad_id` count for nothing.

    Args:
        targets: int tensor (batch, T).
        logits: float tensor (batch, T, V) of the decoder.
        pad_id: the padding id. Defaults to 0.

    Returns:
        A scalar tensor.

    Example:

    >>> logits = np.log(np.array([[[0.5, 0.5], [0.9, 0.1]]]))
    >>> round(float(masked_sequence_cross_entropy(np.array([[1, 0]]), logits)), 4)  # only log 0.5 counts
    0.6931
    """
    nll, mask = _token_nll(targets, logits, pad_id)
    return ops.sum(nll * mask) / ops.maximum(ops.sum(mask), 1.0)


def _token_nll(targets, logits, pad_id):
    targets = ops.convert_to_tensor(targets, dtype="int32")
    logits = ops.convert_to_tensor(logits)
    nll = keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    return nll, ops.cast(ops.not_equal(targets, pad_id), nll.dtype)


@keras.saving.register_keras_serializable(package="dlcourse")
class MaskedSequenceCrossEntropy(keras.losses.Loss):
    """The masked sequence cross-entropy as a Keras loss: the mean -log P(y_t | y_<t, x) per token.

    With the default reduction the result is `masked_sequence_cross_entropy` of the batch:
    every real (non-padding) token of the batch weighs the same, however the tokens are
    spread over the sentences. It equals
    `keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=pad_id)`.

    Args:
        pad_id: the target id that is padding (not a token). Defaults to 0.
        name, reduction, dtype: as for every Keras loss.

    Example:

    >>> loss = MaskedSequenceCrossEntropy()
    >>> logits = np.log(np.array([[[0.5, 0.5], [0.9, 0.1]]]))
    >>> round(float(loss(np.array([[1, 0]]), logits)), 4)
    0.6931
    """

    def __init__(self, pad_id=0, name="masked_sequence_cross_entropy", reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.pad_id = non_negative_int("pad_id", pad_id)

    def call(self, y_true, y_pred):
        nll, mask = _token_nll(y_true, y_pred, self.pad_id)
        # weights total / valid on the real tokens: the "sum over batch size" (sum / (batch T))
        # of the result is then the sum over real tokens divided by their number
        total = ops.cast(ops.size(mask), nll.dtype)
        return nll * mask * total / ops.maximum(ops.sum(mask), 1.0)

    def get_config(self):
        return {**super().get_config(), "pad_id": self.pad_id}


@keras.saving.register_keras_serializable(package="dlcourse")
class Seq2Seq(keras.Model):
    """An LSTM encoder-decoder: P(y|x) = prod_t P(y_t | y_<t, x), optionally with attention.

    The encoder embeds the source ids and runs an LSTM over them; its final state (h, c)
    starts the decoder LSTM, which reads the embedded decoder inputs (<bos>, y_1, ..., y_{T-1}
    under teacher forcing) and gives the logits of y_1..y_T. With `attention=True` every decoder
    step also attends over all encoder states (module docstring) and the model can return the
    attention (alignment) weights.

    Args:
        source_vocabulary_size: number of source ids (`len(source_vocabulary)`).
        target_vocabulary_size: number of target ids V.
        embedding_dim: size of the source and target word embeddings. Defaults to 32.
        units: size of the LSTM states h and c. Defaults to 64.
        attention: whether the decoder attends over the encoder states. Defaults to False.
        cell: "keras" (`keras.layers.LSTM`, the default) or "dlcourse"
            (`keras.layers.RNN(dlcourse.sequence.LSTMCell)`).
        pad_id: the padding id of both vocabularies (masked out). Defaults to 0.
        bos_id: the target id of <bos>. Defaults to 2 (`dlcourse.nlp.tokenizer.BOS_ID`).
        eos_id: the target id of <eos>. Defaults to 3.
        seed: optional integer seed of the weight initializers.
        **kwargs: base model arguments (`name`, ...).

    Call arguments:
        inputs: the pair (source_ids (batch, S), decoder_inputs (batch, T)), int tensors padded
            with `pad_id`.
        return_attention: whether to also return the attention weights (batch, T, S) (only
            with `attention=True`).

    Returns:
        The logits (batch, T, V) of P(y_t | y_<t, x), or (logits, weights).

    Example:

    >>> model = Seq2Seq(10, 12, embedding_dim=4, units=8, attention=True)
    >>> source, decoder_in = np.array([[4, 5, 6, 0]]), np.array([[2, 7, 8]])
    >>> logits, weights = model((source, decoder_in), return_attention=True)
    >>> tuple(logits.shape), tuple(weights.shape), float(weights[0, 0, 3])  # padding gets no weight
    ((1, 3, 12), (1, 3, 4), 0.0)
    """

    def __init__(self, source_vocabulary_size, target_vocabulary_size, embedding_dim=32, units=64, attention=False,
                 cell="keras", pad_id=0, bos_id=2, eos_id=3, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.source_vocabulary_size = positive_int("source_vocabulary_size", source_vocabulary_size)
        self.target_vocabulary_size = positive_int("target_vocabulary_size", target_vocabulary_size)
        self.embedding_dim = positive_int("embedding_dim", embedding_dim)
        self.units = positive_int("units", units)
        self.attention = bool(attention)
        if cell not in _CELLS:
            raise ValueError(f"cell must be 'keras' (keras.layers.LSTM) or 'dlcourse' "
                             f"(dlcourse.sequence.LSTMCell), got {cell!r}.")
        self.cell = cell
        self.pad_id = non_negative_int("pad_id", pad_id)
        self.bos_id = non_negative_int("bos_id", bos_id)
        self.eos_id = non_negative_int("eos_id", eos_id)
        self.seed = None if seed is None else non_negative_int("seed", seed)
        init = self._initializers()
        self.source_embedding = keras.layers.Embedding(self.source_vocabulary_size, self.embedding_dim,
                                                       embeddings_initializer=init(), name="source_embedding")
        self.target_embedding = keras.layers.Embedding(self.target_vocabulary_size, self.embedding_dim,
                                                       embeddings_initializer=init(), name="target_embedding")
        self.encoder = self._lstm("encoder", init)
        self.decoder = self._lstm("decoder", init)
        if self.attention:
            self.query_projection = keras.layers.Dense(self.units, use_bias=False, kernel_initializer=init(),
                                                       name="query_projection")
            self.combine = keras.layers.Dense(self.units, activation="tanh", kernel_initializer=init(),
                                              name="combine")
        self.output_projection = keras.layers.Dense(self.target_vocabulary_size, kernel_initializer=init(),
                                                    name="output_projection")
        self._compiled_step = None

    def _initializers(self):
        counter = iter(range(1000))

        def make():
            return keras.initializers.GlorotUniform(seed=None if self.seed is None else self.seed + next(counter))

        return make

    def _lstm(self, name, init):
        if self.cell == "keras":
            return keras.layers.LSTM(self.units, return_sequences=True, return_state=True, kernel_initializer=init(),
                                     recurrent_initializer=init(), name=name)
        from dlcourse.sequence.lstm import LSTMCell

        return keras.layers.RNN(LSTMCell(self.units, kernel_initializer=init()), return_sequences=True,
                                return_state=True, name=name)

    def build(self, input_shape):
        source_shape, target_shape = input_shape
        self.source_embedding.build(source_shape)
        self.target_embedding.build(target_shape)
        self.encoder.build(tuple(source_shape) + (self.embedding_dim,))
        self.decoder.build(tuple(target_shape) + (self.embedding_dim,))
        if self.attention:
            self.query_projection.build((None, None, self.units))
            self.combine.build((None, None, 2 * self.units))
        self.output_projection.build((None, None, self.units))
        self.built = True

    def encode(self, source_ids):
        """Run the encoder: (encoder states (batch, S, units), [h_S, c_S], source mask (batch, S))."""
        source_ids = ops.convert_to_tensor(source_ids, dtype="int32")
        mask = ops.not_equal(source_ids, self.pad_id)
        outputs, h, c = self.encoder(self.source_embedding(source_ids), mask=mask)
        return outputs, [h, c], mask

    def decode(self, decoder_inputs, states, encoder_outputs=None, source_mask=None):
        """Run the decoder from `states` over `decoder_inputs` (batch, T).

        Returns:
            (logits (batch, T, V), [h, c] after the last step, attention weights
            (batch, T, S) or None).
        """
        decoder_inputs = ops.convert_to_tensor(decoder_inputs, dtype="int32")
        mask = ops.not_equal(decoder_inputs, self.pad_id)
        outputs, h, c = self.decoder(self.target_embedding(decoder_inputs), initial_state=states, mask=mask)
        weights = None
        if self.attention:
            context, weights = scaled_dot_product_attention(
                self.query_projection(outputs), encoder_outputs, encoder_outputs,
                mask=ops.expand_dims(source_mask, 1))
            outputs = self.combine(ops.concatenate([outputs, context], axis=-1))
        return self.output_projection(outputs), [h, c], weights

    def call(self, inputs, return_attention=False):
        source_ids, decoder_inputs = inputs
        encoder_outputs, states, source_mask = self.encode(source_ids)
        logits, _, weights = self.decode(decoder_inputs, states, encoder_outputs, source_mask)
        if return_attention:
            if not self.attention:
                raise ValueError("return_attention=True needs a model built with attention=True.")
            return logits, weights
        return logits

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[1]) + (self.target_vocabulary_size,)

    def step_function(self, source_ids):
        """The decoder as `step_fn(prefixes) -> log-probabilities (batch, V)` for one source.

        `dlcourse.nlp.decoding.greedy_decode`, `beam_search` and `exhaustive_search` decode
        with it. The source is encoded once; the decoder state after each prefix is cached, so
        that extending a prefix by one token costs one decoder step.

        Args:
            source_ids: the ids of one source sentence, shape (S,) or (1, S).

        Returns:
            A function of prefixes (an int array (batch, t) starting with <bos>) that returns
            the numpy array log P(y_t | prefix, x) of shape (batch, V).
        """
        source_ids = np.asarray(source_ids).reshape(1, -1)
        return _StepFunction(self, source_ids)

    def translate(self, source_ids, max_length):
        """Greedy translations of a batch of sources, each cut before its <eos>.

        Args:
            source_ids: int array (batch, S) padded with `pad_id`.
            max_length: the largest number of target tokens (a positive integer).

        Returns:
            A list of `batch` lists of target ids (no <bos>, no <eos>).
        """
        max_length = positive_int("max_length", max_length)
        source_ids = np.asarray(source_ids)
        encoder_outputs, (h, c), source_mask = self.encode(source_ids)
        tokens = np.full((len(source_ids), 1), self.bos_id, dtype=np.int32)
        done = np.zeros(len(source_ids), dtype=bool)
        out = [[] for _ in range(len(source_ids))]
        for _ in range(max_length):
            logits, h, c = self._decoder_step()(ops.convert_to_tensor(tokens), h, c, encoder_outputs, source_mask)
            tokens = np.argmax(ops.convert_to_numpy(logits), axis=-1).astype(np.int32)[:, None]
            for i, token in enumerate(tokens[:, 0]):
                if not done[i]:
                    if token == self.eos_id:
                        done[i] = True
                    else:
                        out[i].append(int(token))
            if done.all():
                break
        return out

    def _decoder_step(self):
        """One decoder step (tokens (n, 1), h, c, encoder states, source mask) -> (logits, h, c),
        traced once with `tf.function` under TensorFlow: beam search calls it once per step, and
        an eager call of the layers costs more than the arithmetic of a small model."""
        if self._compiled_step is None:
            def step(tokens, h, c, encoder_outputs, source_mask):
                logits, (h, c), _ = self.decode(tokens, [h, c], encoder_outputs, source_mask)
                return logits[:, 0], h, c

            if keras.backend.backend() == "tensorflow":  # the one tf.* of this module: Keras has no tracing op
                import tensorflow as tf

                units, dtype = self.units, self.compute_dtype
                step = tf.function(step, input_signature=[
                    tf.TensorSpec((None, 1), "int32"), tf.TensorSpec((None, units), dtype),
                    tf.TensorSpec((None, units), dtype), tf.TensorSpec((None, None, units), dtype),
                    tf.TensorSpec((None, None), "bool")])
            self._compiled_step = step
        return self._compiled_step

    def get_config(self):
        return {**super().get_config(), "source_vocabulary_size": self.source_vocabulary_size,
                "target_vocabulary_size": self.target_vocabulary_size, "embedding_dim": self.embedding_dim,
                "units": self.units, "attention": self.attention, "cell": self.cell, "pad_id": self.pad_id,
                "bos_id": self.bos_id, "eos_id": self.eos_id, "seed": self.seed}


class _StepFunction:
    """`step_fn(prefixes)` of one encoded source, with the decoder state of each prefix cached."""

    def __init__(self, model, source_ids):
        self.model = model
        self.encoder_outputs, (h, c), self.source_mask = model.encode(source_ids)
        self.cache = {(): (ops.convert_to_numpy(h)[0], ops.convert_to_numpy(c)[0], None)}

    def __call__(self, prefixes):
        prefixes = np.asarray(prefixes)
        if prefixes.ndim != 2 or prefixes.shape[1] < 1:
            raise ValueError(f"prefixes must have shape (batch, t) with t >= 1, got shape {prefixes.shape}.")
        for depth in range(1, prefixes.shape[1] + 1):
            missing = sorted({tuple(int(t) for t in row[:depth]) for row in prefixes} - set(self.cache))
            if missing:
                self._advance(missing)
        return np.stack([self.cache[tuple(int(t) for t in row)][2] for row in prefixes])

    def _advance(self, keys):
        """One decoder step for every key (a prefix) from the cached state of its parent."""
        parents = [self.cache[key[:-1]] for key in keys]
        h = np.stack([p[0] for p in parents])
        c = np.stack([p[1] for p in parents])
        n = len(keys)
        encoder_outputs = ops.repeat(self.encoder_outputs, n, axis=0)
        source_mask = ops.repeat(self.source_mask, n, axis=0)
        tokens = ops.convert_to_tensor(np.array([[key[-1]] for key in keys], dtype=np.int32))
        logits, h, c = self.model._decoder_step()(tokens, ops.convert_to_tensor(h), ops.convert_to_tensor(c),
                                                   encoder_outputs, source_mask)
        logits = ops.convert_to_numpy(logits).astype(np.float64)
        log_probs = logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)
        h, c = ops.convert_to_numpy(h), ops.convert_to_numpy(c)
        for i, key in enumerate(keys):
            self.cache[key] = (h[i], c[i], log_probs[i])

