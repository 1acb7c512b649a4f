"""A decoder-only Transformer language model (GPT), with RoPE, RMSNorm, SwiGLU and a KV cache.

Lecture: §8 Foundation Models: LLM; §5.3.2 Transformer Variants; §5.3 Transformer; §3.3 Attention Mechanism

The notes leave chapter 8 as a heading; this model follows GPT-2 (Radford et al., 2019) and
the Transformer LM of CS336's first assignment, built from chapter 5's pieces. It is the notes'
decoder-only variant (§5.3.2, "for generative tasks"), beyond the notes read as
P(x) = prod_t P(x_t | x_<t): token ids are embedded (plus a
learned position table, or no table and RoPE inside the attention), passed through
`num_layers` pre-LN blocks,

    h <- h + MultiHead(Norm_1(h); causal mask)       (§3.3's attention in matrix form, M the -inf of §5.3.1)
    h <- h + FFN(Norm_2(h))                          (GELU, or SwiGLU)

then a final Norm, and the logits of the next token are h E^T with E the token embedding table
(weight tying) or h W_out (a separate head). Norm is LayerNorm or RMSNorm
(`dlcourse.llm.normalization`). The blocks are chapter 5's `TransformerDecoderBlock`
(`normalize_first=True`, no cross-attention); `CausalSelfAttention` is chapter 5's
`MultiHeadAttention` with RoPE on the queries and keys and a key/value cache.

**KV cache.** Generating token by token, the keys and values of the positions already seen do
not change (the causal mask keeps them from seeing later tokens), so each block keeps them:
a step embeds only the new token(s), appends their k, v to the cache and attends from the new
queries over all cached keys. The logits equal those of recomputing the whole prefix, at O(T)
cost per step instead of O(T^2). `call_with_cache` is that step, eager, with a growing cache;
`generate` runs a fixed-shape version compiled by Keras (an internal `keras.Model` run through
`predict_on_batch`, so tf.function on TensorFlow, jax.jit on JAX): each block's cache is
preallocated as (batch, heads, S, head_dim) zeros, the new keys and values are written at the
current index with `ops.slice_update`, and keys beyond the query's position are masked, so
every step has the same shapes and one trace serves them all.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import non_negative_int, optional_seed, positive_int
import dlcourse.llm.normalization  # noqa: F401  registers normalization="rms"
from dlcourse.llm.rope import apply_rope
from dlcourse.nlp.attention import MultiHeadAttention
from dlcourse.nlp.transformer import NORMALIZATIONS, TokenAndPositionEmbedding, TransformerDecoderBlock, _rate

__all__ = ["gelu_tanh", "default_intermediate_dim", "CausalSelfAttention", "GPTBlock", "GPT"]

POSITION_ENCODINGS = ("learned", "rope")
FEEDFORWARDS = ("gelu", "swiglu")
NORMALIZATION_NAMES = {"layer": "layer_norm", "rms": "rms"}


@keras.saving.register_keras_serializable(package="dlcourse")
def gelu_tanh(x):
    """GELU's tanh approximation, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), GPT-2's.

    Example:

    >>> import keras
    >>> from dlcourse.llm.gpt import gelu_tanh
    >>> round(float(gelu_tanh(keras.ops.convert_to_tensor(1.0))), 4)
    0.8412
    """
    return keras.activations.gelu(x, approximate=True)


def default_intermediate_dim(hidden_dim, feedforward="gelu"):
    """The FFN width when none is given: 4 d for GELU (GPT-2); for SwiGLU 8/3 d rounded up to a
    multiple of 64 (LLaMA, CS336), so that its three matrices cost about as much as GELU's two.

    Example:

    >>> from dlcourse.llm.gpt import default_intermediate_dim
    >>> default_intermediate_dim(64), default_intermediate_dim(64, "swiglu")
    (256, 192)
    """
    hidden_dim = positive_int("hidden_dim", hidden_dim)
    if feedforward not in FEEDFORWARDS:
        raise ValueError(f"feedforward must be one of {FEEDFORWARDS}, got {feedforward!r}.")
    if feedforward == "gelu":
        return 4 * hidden_dim
    return 64 * math.ceil(8 * hidden_dim / 3 / 64)


@keras.saving.register_keras_serializable(package="dlcourse")
class CausalSelfAttention(MultiHeadAttention):
    """Causal multi-head self-attention with optional RoPE and a key/value cache.

    Chapter 5's `MultiHeadAttention` (the same weights, Keras' layout), run as self-attention
    with the causal mask: head h computes the notes' alpha_{1,i} = q^1 . k^i / sqrt(d), b_1 =
    sum_i alpha_hat_{1,i} v^i (§3.3) for every query at once, softmax(Q_h K_h^T / sqrt(key_dim) + M) V_h
    (the matrix form and M, the -inf scores of future words of §5.3.1, are beyond the notes' symbols). With `rotary=True` Q_h and K_h are first rotated by RoPE at their positions
    (`dlcourse.llm.rope.apply_rope`, "halves" pairing). Given a cache (K, V) of the
    `start_index` earlier positions, the new keys and values are appended to it and the new
    queries (positions start_index ..) attend over all of them; query t sees key s iff
    s <= start_index + t.

    Args:
        num_heads, key_dim, and the rest: as for `dlcourse.nlp.MultiHeadAttention`.
        rotary: whether to rotate queries and keys with RoPE. Defaults to False.
        max_wavelength: RoPE's base. Defaults to 10000.

    Call arguments:
        inputs: x, shape (batch, T, d_model).
        cache: optional pair (keys, values), each (batch, heads, start_index, key_dim).
        start_index: the position of the first token of `inputs` (the cache's length).
        training: whether dropout is active.

    Returns:
        (output (batch, T, d_model), (keys, values) (batch, heads, start_index + T, key_dim)).

    Example:

    >>> import keras
    >>> from dlcourse.llm.gpt import CausalSelfAttention
    >>> out, (k, v) = CausalSelfAttention(2, 4, rotary=True)(keras.ops.ones((1, 3, 8)))
    >>> tuple(out.shape), tuple(k.shape)
    ((1, 3, 8), (1, 2, 3, 4))
    """

    def __init__(self, num_heads, key_dim, rotary=False, max_wavelength=10000, **kwargs):
        super().__init__(num_heads, key_dim, **kwargs)
        self.rotary = bool(rotary)
        self.max_wavelength = float(max_wavelength)
        if self.rotary and self.key_dim % 2:
            raise ValueError(f"RoPE rotates pairs of features: key_dim must be even, got {self.key_dim}; "
                             "choose hidden_dim / num_heads even.")

    def build(self, inputs_shape, *unused_shapes):
        super().build(inputs_shape, inputs_shape)

    def _rotate(self, heads, start_index):
        # (batch, H, T, d) -> (batch, T, H, d), rotate, and back
        rotated = apply_rope(ops.transpose(heads, (0, 2, 1, 3)), start_index=start_index,
                             max_wavelength=self.max_wavelength)
        return ops.transpose(rotated, (0, 2, 1, 3))

    def call(self, inputs, cache=None, start_index=0, training=None):
        query = self._project_heads(inputs, "q")
        key = self._project_heads(inputs, "k")
        value = self._project_heads(inputs, "v")
        if self.rotary:
            query, key = self._rotate(query, start_index), self._rotate(key, start_index)
        if cache is not None:
            key = ops.concatenate([cache[0], key], axis=2)
            value = ops.concatenate([cache[1], value], axis=2)
        steps, keys = ops.shape(query)[2], ops.shape(key)[2]
        rows = ops.expand_dims(ops.arange(steps) + (keys - steps), 1)  # the queries' positions
        mask = ops.expand_dims(ops.greater_equal(rows, ops.expand_dims(ops.arange(keys), 0)), 0)
        context, _ = self._attend(query, key, value, mask, training=training)
        return self._merge_heads(context), (key, value)

    def decode_step(self, inputs, keys, values, index):
        """The fixed-shape cached step: write the new keys/values into preallocated buffers.

        Args:
            inputs: x (batch, T, d_model), the tokens at positions index .. index + T - 1.
            keys, values: (batch, heads, S, key_dim) buffers, S the longest sequence decoded;
                positions >= index hold anything (zeros) and are masked out.
            index: int32 scalar (a tensor inside a compiled step), the number of positions seen.

        Returns:
            (output (batch, T, d_model), (keys, values) with positions index .. written), every
            shape independent of index, so one trace serves every step.
        """
        query = self._project_heads(inputs, "q")
        key = self._project_heads(inputs, "k")
        value = self._project_heads(inputs, "v")
        if self.rotary:
            query, key = self._rotate(query, index), self._rotate(key, index)
        index = ops.cast(index, "int32")
        zero = ops.zeros((), "int32")
        start = (zero, zero, index, zero)
        keys = ops.slice_update(keys, start, ops.cast(key, keys.dtype))
        values = ops.slice_update(values, start, ops.cast(value, values.dtype))
        rows = ops.expand_dims(ops.arange(ops.shape(query)[2], dtype="int32") + index, 1)  # the queries' positions
        mask = ops.greater_equal(rows, ops.expand_dims(ops.arange(ops.shape(keys)[2], dtype="int32"), 0))
        context, _ = self._attend(query, keys, values, ops.expand_dims(mask, 0))
        return self._merge_heads(context), (keys, values)

    def compute_output_shape(self, input_shape, *args, **kwargs):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rotary": self.rotary, "max_wavelength": self.max_wavelength}


@keras.saving.register_keras_serializable(package="dlcourse")
class GPTBlock(TransformerDecoderBlock):
    """One pre-LN GPT block: h + Attn(Norm_1(h)), then + FFN(Norm_2(.)), with a KV cache.

    Chapter 5's `TransformerDecoderBlock(normalize_first=True, use_cross_attention=False)` (the
    same sub-layers and weights, equal to keras_hub's `TransformerDecoder` in that setting),
    whose self-attention is `CausalSelfAttention`, so that it can rotate queries and keys (RoPE)
    and decode from a cache.

    Args:
        intermediate_dim, num_heads, and the rest: as for `TransformerDecoderBlock`
            (`normalize_first` and `use_cross_attention` are fixed).
        rotary: whether the attention uses RoPE. Defaults to False.
        max_wavelength: RoPE's base. Defaults to 10000.

    Call arguments:
        inputs: h, shape (batch, T, d_model).
        cache: optional (keys, values) of this block's attention for the earlier positions.
        start_index: the position of the first token of `inputs`.
        training: whether dropout is active.

    Returns:
        (h, (keys, values)): the block's output and its updated cache.

    Example:

    >>> import keras
    >>> from dlcourse.llm.gpt import GPTBlock
    >>> h, (k, v) = GPTBlock(16, 2)(keras.ops.ones((1, 3, 8)))
    >>> tuple(h.shape), tuple(v.shape)
    ((1, 3, 8), (1, 2, 3, 4))
    """

    def __init__(self, intermediate_dim, num_heads, rotary=False, max_wavelength=10000, **kwargs):
        kwargs.pop("normalize_first", None)
        kwargs.pop("use_cross_attention", None)
        super().__init__(intermediate_dim, num_heads, use_cross_attention=False, normalize_first=True, **kwargs)
        self.rotary = bool(rotary)
        self.max_wavelength = float(max_wavelength)

    def build(self, inputs_shape, *unused_shapes):
        super().build(inputs_shape)

    def _attention(self, hidden_dim, name):
        return CausalSelfAttention(self.num_heads, self._key_dim(hidden_dim), rotary=self.rotary,
                                   max_wavelength=self.max_wavelength, dropout=self.dropout, kernel_initializer=self.kernel_initializer,
                                   bias_initializer=self.bias_initializer, seed=self.seed, name=name)

    def call(self, inputs, cache=None, start_index=0, training=None):
        new_cache = []

        def attend(x):
            out, kv = self.self_attention(x, cache=cache, start_index=start_index, training=training)
            new_cache.append(kv)
            return out

        x = self._residual(inputs, self.self_attention_norm, self.self_attention_dropout, attend, training)
        x = self._residual(x, self.feed_forward_norm, self.feed_forward_dropout, self.feed_forward, training)
        return x, new_cache[0]

    def decode_step(self, inputs, keys, values, index):
        """The block with `CausalSelfAttention.decode_step` (fixed-shape cache, no dropout)."""
        new_cache = []

        def attend(x):
            out, kv = self.self_attention.decode_step(x, keys, values, index)
            new_cache.append(kv)
            return out

        x = self._residual(inputs, self.self_attention_norm, self.self_attention_dropout, attend, False)
        x = self._residual(x, self.feed_forward_norm, self.feed_forward_dropout, self.feed_forward, False)
        return x, new_cache[0]

    def compute_output_shape(self, input_shape, *args, **kwargs):
        return input_shape

    def get_config(self):
        config = super().get_config()
        for key in ("normalize_first", "use_cross_attention"):
            config.pop(key, None)
        return {**config, "rotary": self.rotary, "max_wavelength": self.max_wavelength}


def _choice(name, value, allowed):
    if value not in allowed:
        raise ValueError(f"{name} must be one of {tuple(allowed)}, got {value!r}.")
    return value


class _DecodeStep(keras.Model):
    """GPT's fixed-shape cached decoding step as a Keras model, so that `predict_on_batch` runs it
    compiled (tf.function on TensorFlow, jax.jit on JAX, Keras' choice): call([token (B, 1),
    index (), k_1, v_1, ..., k_L, v_L]) -> [logits (B, V), k_1, v_1, ...], every cache
    (B, heads, S, head_dim). Internal to `GPT.generate`, never saved; `traces` counts how often
    `call` ran in Python (once per shape when compiled)."""

    def __init__(self, gpt):
        super().__init__(name=f"{gpt.name}_decode_step")
        self.gpt = gpt
        self.traces = 0
        self.built = True

    def call(self, inputs):
        self.traces += 1
        token, index, *caches = inputs
        gpt = self.gpt
        index = ops.cast(ops.reshape(index, ()), "int32")
        x = gpt.embedding(token, start_index=index)
        new_caches = []
        for i, block in enumerate(gpt.blocks):
            x, (keys, values) = block.decode_step(x, caches[2 * i], caches[2 * i + 1], index)
            new_caches += [keys, values]
        logits = gpt.logits_from_hidden(gpt.final_norm(x))[:, -1]
        return [logits, *new_caches]


class _RecomputeStep(keras.Model):
    """The no-cache step at a fixed shape, compiled like `_DecodeStep`: call([tokens (B, S),
    index ()]) -> the logits (B, V) at position index, from the whole (zero-padded) sequence;
    the causal mask keeps the padding after index from mattering."""

    def __init__(self, gpt):
        super().__init__(name=f"{gpt.name}_recompute_step")
        self.gpt = gpt
        self.traces = 0
        self.built = True

    def call(self, inputs):
        self.traces += 1
        tokens, index = inputs
        logits = self.gpt(tokens, training=False)
        return ops.take(logits, ops.cast(ops.reshape(index, (1,)), "int32"), axis=1)[:, 0]


def _bucket(length, multiple=64):
    return multiple * math.ceil(length / multiple)


@keras.saving.register_keras_serializable(package="dlcourse")
class GPT(keras.Model):
    """A decoder-only Transformer LM: token ids -> logits of the next token at every position.

    logits = Norm_f(Block_L(... Block_1(E[x] + P) ...)) E^T with tied weights (else a separate
    head W_out of shape (d, V), no bias); P is a learned position table ("learned", GPT-2's) or
    absent ("rope": the attention rotates queries and keys instead). Unlike chapter 5's models,
    the embeddings are not scaled by sqrt(d) (GPT-2's choice) and there is no padding mask: the
    causal mask already keeps every real token from seeing the padding after it, and the loss
    ignores the pad targets. Beyond the notes (chapter 8 is a heading there): GPT-2 and CS336.

    Args:
        vocabulary_size: the number of token ids V.
        max_length: the longest sequence (the learned position table's length). Defaults to 128.
        hidden_dim: d, the width of every position's vector. Defaults to 64.
        num_layers: the number of blocks. Defaults to 2.
        num_heads: heads per attention (hidden_dim must be a multiple). Defaults to 4.
        intermediate_dim: FFN width. Defaults to `default_intermediate_dim(hidden_dim, feedforward)`.
        position_encoding: "learned" (the default) or "rope".
        feedforward: "gelu" (the default) or "swiglu" (`FeedForward(gated=True, activation="silu")`).
        normalization: "layer" (LayerNorm, the default) or "rms" (RMSNorm).
        tie_weights: whether the output head is the token table's transpose. Defaults to True.
        dropout: dropout rate of the embeddings, the attention weights and every sub-layer.
        gelu_approximate: use GELU's tanh approximation (GPT-2's). Defaults to False (exact GELU).
        layer_norm_epsilon: eps of every normalization. Defaults to 1e-5 (GPT-2's).
        max_wavelength: RoPE's base. Defaults to 10000.
        seed: optional seed of the dropout.
        **kwargs: base model arguments (`name`, ...).

    Call arguments:
        token_ids: int tensor (batch, T), T <= max_length with learned positions.
        training: whether dropout is active.

    Returns:
        Logits of shape (batch, T, vocabulary_size): row t scores the token at t + 1.

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm import GPT
    >>> model = GPT(20, max_length=16, hidden_dim=8, num_layers=1, num_heads=2)
    >>> tuple(model(np.array([[1, 2, 3]])).shape)
    (1, 3, 20)
    >>> model.generate(np.array([[1, 2, 3]]), max_new_tokens=4).shape
    (1, 7)
    """

    def __init__(self, vocabulary_size, max_length=128, hidden_dim=64, num_layers=2, num_heads=4,
                 intermediate_dim=None, position_encoding="learned", feedforward="gelu", normalization="layer",
                 tie_weights=True, dropout=0.0, gelu_approximate=False, layer_norm_epsilon=1e-5,
                 max_wavelength=10000, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size = positive_int("vocabulary_size", vocabulary_size)
        self.max_length = positive_int("max_length", max_length)
        self.hidden_dim = positive_int("hidden_dim", hidden_dim)
        self.num_layers = positive_int("num_layers", num_layers)
        self.num_heads = positive_int("num_heads", num_heads)
        if self.hidden_dim % self.num_heads:
            raise ValueError(f"hidden_dim = {hidden_dim} must be a multiple of num_heads = {num_heads}, so that "
                             "every head gets hidden_dim // num_heads features.")
        self.position_encoding = _choice("position_encoding", position_encoding, POSITION_ENCODINGS)
        self.feedforward = _choice("feedforward", feedforward, FEEDFORWARDS)
        self.normalization = _choice("normalization", normalization, NORMALIZATION_NAMES)
        self.intermediate_dim = default_intermediate_dim(self.hidden_dim, self.feedforward) \
            if intermediate_dim is None else positive_int("intermediate_dim", intermediate_dim)
        self.tie_weights = bool(tie_weights)
        self.dropout = _rate("dropout", dropout)
        self.gelu_approximate = bool(gelu_approximate)
        self.layer_norm_epsilon = float(layer_norm_epsilon)
        self.max_wavelength = float(max_wavelength)
        self.seed = optional_seed("seed", seed)
        rotary = self.position_encoding == "rope"
        self.embedding = TokenAndPositionEmbedding(
            self.vocabulary_size, self.hidden_dim, self.max_length,
            position_encoding=None if rotary else "learned", scale=False, name="embedding")
        self.embedding_dropout = keras.layers.Dropout(self.dropout, seed=self.seed, name="embedding_dropout")
        if self.feedforward == "swiglu":
            activation = "silu"
        else:
            activation = gelu_tanh if self.gelu_approximate else "gelu"
        norm = NORMALIZATION_NAMES[self.normalization]
        self.blocks = [GPTBlock(self.intermediate_dim, self.num_heads, rotary=rotary,
                                max_wavelength=self.max_wavelength, dropout=self.dropout,
                                activation=activation, layer_norm_epsilon=self.layer_norm_epsilon,
                                normalization=norm, gated_feed_forward=self.feedforward == "swiglu",
                                seed=self.seed, name=f"block_{i}") for i in range(self.num_layers)]
        self.final_norm = NORMALIZATIONS[norm](self.layer_norm_epsilon, "final_norm")
        self.lm_head = None if self.tie_weights else keras.layers.Dense(self.vocabulary_size, use_bias=False,
                                                                        name="lm_head")

    def build(self, ids_shape):
        self.embedding.build(ids_shape)
        shape = (*ids_shape, self.hidden_dim)
        for block in self.blocks:
            block.build(shape)
        self.final_norm.build(shape)
        if self.lm_head is not None:
            self.lm_head.build(shape)

    @property
    def token_embeddings(self):
        """E, the (vocabulary_size, hidden_dim) token table (the tied output head's transpose)."""
        return self.embedding.tokens.embeddings

    def _check_length(self, length):
        if self.position_encoding == "learned" and isinstance(length, int) and length > self.max_length:
            raise ValueError(f"this GPT has learned positions for max_length = {self.max_length} tokens, got "
                             f"{length}; raise max_length or shorten the sequence.")

    def _forward(self, token_ids, cache=None, start_index=0, training=None):
        token_ids = ops.convert_to_tensor(token_ids)
        if not self.built:
            self.build(tuple(token_ids.shape))
        length = token_ids.shape[1]
        self._check_length(None if length is None else start_index + length if isinstance(start_index, int)
                           else length)
        x = self.embedding(token_ids, start_index=start_index)
        x = self.embedding_dropout(x, training=training)
        new_cache = []
        for i, block in enumerate(self.blocks):
            x, kv = block(x, cache=None if cache is None else cache[i], start_index=start_index, training=training)
            new_cache.append(kv)
        return self.final_norm(x), new_cache

    def hidden_states(self, token_ids, training=None):
        """The final-normalized states h (batch, T, hidden_dim), before the output head."""
        return self._forward(token_ids, training=training)[0]

    def logits_from_hidden(self, hidden):
        """h E^T (tied) or h W_out: (batch, T, hidden_dim) -> (batch, T, vocabulary_size)."""
        if self.lm_head is not None:
            return self.lm_head(hidden)
        return ops.matmul(hidden, ops.transpose(ops.cast(self.token_embeddings, hidden.dtype)))

    def call(self, token_ids, training=None):
        return self.logits_from_hidden(self._forward(token_ids, training=training)[0])

    def call_with_cache(self, token_ids, cache=None, start_index=0):
        """Logits of new tokens given the cache of the `start_index` tokens before them.

        Args:
            token_ids: int (batch, T_new), the tokens at positions start_index ...
            cache: None (nothing seen yet, start_index 0) or the list, one per block, of
                (keys, values) of shape (batch, heads, start_index, head_dim) that this method
                returned before.
            start_index: the number of tokens already in the cache.

        Returns:
            (logits (batch, T_new, V), cache with the new positions appended).
        """
        if cache is None and start_index != 0:
            raise ValueError(f"call_with_cache: start_index = {start_index} needs the cache of those tokens; "
                             "start with cache=None and start_index=0.")
        hidden, cache = self._forward(token_ids, cache=cache, start_index=start_index, training=False)
        return self.logits_from_hidden(hidden), cache

    def generate(self, prompt_ids, max_new_tokens, sampler=None, seed=None, use_cache=True, eos_id=None):
        """Extend the prompt token by token: greedy, or with a sampler.

        Each step scores the next token from the logits of the last position and picks it with
        `sampler(logits, rng)` (numpy logits (batch, V) and a `numpy.random.Generator` in,
        int ids (batch,) out, e.g. `dlcourse.llm.sampling.TopPSampler`), or the argmax when
        `sampler` is None. With `use_cache` (the default) each step feeds only the new token
        and the blocks' key/value cache; without, it recomputes the whole sequence (the same
        tokens, slower). Both run compiled at a fixed shape (see the module's docstring): the
        cache, or the zero-padded sequence, has the final length rounded up to a multiple of 64
        (the prompt enters the cache one token a step), so a step traces once per length, not
        once per token.

        Args:
            prompt_ids: int array (batch, T0) (or (T0,) for one prompt), T0 >= 1.
            max_new_tokens: how many tokens to add (a non-negative integer).
            sampler: None (greedy) or a callable `sampler(logits, rng) -> ids`.
            seed: seed of the numpy Generator passed to the sampler.
            use_cache: whether to decode from the key/value cache. Defaults to True.
            eos_id: optional end-of-sequence id: a row that produced it continues with eos_id
                only, and generation stops early once every row has.

        Returns:
            An int32 numpy array (batch, T0 + n) (or (T0 + n,)), n <= max_new_tokens (fewer only
            when every row stopped at eos_id).
        """
        tokens = np.asarray(prompt_ids)
        single = tokens.ndim == 1
        tokens = tokens.reshape(1, -1) if single else tokens
        if tokens.ndim != 2 or tokens.shape[1] < 1 or tokens.dtype.kind not in "iu":
            raise ValueError(f"prompt_ids must be integer token ids of shape (batch, T0) with T0 >= 1, got "
                             f"shape {np.shape(prompt_ids)} and dtype {np.asarray(prompt_ids).dtype}.")
        tokens = tokens.astype("int32")
        max_new_tokens = non_negative_int("max_new_tokens", max_new_tokens)
        self._check_length(tokens.shape[1] + max(max_new_tokens - 1, 0))
        rng = np.random.default_rng(seed)
        done = np.zeros(tokens.shape[0], dtype=bool)
        if max_new_tokens and not self.built:
            self.build(tokens.shape)
        batch, total = tokens.shape[0], tokens.shape[1] + max(max_new_tokens - 1, 0)  # the positions fed
        if use_cache:
            head_dim = self.hidden_dim // self.num_heads
            shape = (batch, self.num_heads, _bucket(total), head_dim)
            caches = [np.zeros(shape, dtype=self.compute_dtype) for _ in range(2 * self.num_layers)]
        else:
            size = _bucket(total)
            size = min(size, self.max_length) if self.position_encoding == "learned" else size
        fed = 0
        for step in range(max_new_tokens):
            if use_cache:  # the tokens not yet in the cache, one compiled fixed-shape step each
                while fed < tokens.shape[1]:
                    outputs = self._compiled_step("decode").predict_on_batch(
                        [tokens[:, fed:fed + 1], np.asarray(fed, dtype="int32"), *caches])
                    last, caches = outputs[0], list(outputs[1:])
                    fed += 1
            else:  # the whole sequence, zero-padded to a fixed length, recomputed
                padded = np.zeros((batch, size), dtype="int32")
                padded[:, :tokens.shape[1]] = tokens
                last = self._compiled_step("recompute").predict_on_batch(
                    [padded, np.asarray(tokens.shape[1] - 1, dtype="int32")])
            last = np.asarray(last).astype("float64")
            if sampler is None:
                ids = np.argmax(last, axis=-1)
            else:
                ids = np.asarray(sampler(last, rng)).reshape(-1)
            ids = ids.astype("int32")
            if eos_id is not None:
                ids = np.where(done, eos_id, ids).astype("int32")
                done |= ids == eos_id
            tokens = np.concatenate([tokens, ids[:, None]], axis=1)
            if eos_id is not None and done.all():
                break
        return tokens[0] if single else tokens

    def _compiled_step(self, kind):
        """The internal `_DecodeStep` ("decode") or `_RecomputeStep` ("recompute") of this model,
        made once and kept outside Keras' tracking (not a sub-layer, not saved)."""
        steps = self.__dict__.get("_compiled_steps")
        if steps is None:
            steps = {}
            object.__setattr__(self, "_compiled_steps", steps)
        if kind not in steps:
            steps[kind] = (_DecodeStep if kind == "decode" else _RecomputeStep)(self)
        return steps[kind]

    def get_config(self):
        return {
            **super().get_config(),
            "vocabulary_size": self.vocabulary_size,
            "max_length": self.max_length,
            "hidden_dim": self.hidden_dim,
            "num_layers": self.num_layers,
            "num_heads": self.num_heads,
            "intermediate_dim": self.intermediate_dim,
            "position_encoding": self.position_encoding,
            "feedforward": self.feedforward,
            "normalization": self.normalization,
            "tie_weights": self.tie_weights,
            "dropout": self.dropout,
            "gelu_approximate": self.gelu_approximate,
            "layer_norm_epsilon": self.layer_norm_epsilon,
            "max_wavelength": self.max_wavelength,
            "seed": self.seed,
        }
