"""Post-training a language model: the SFT loss mask, LoRA adapters and the DPO preference loss.

Lecture: §8 Foundation Models: LLM; §5.3.2 Transformer Variants; §2.4.1 Cross-Entropy Loss

The notes end §5.3.2 with "pre-training, post-training and continuous training" and give
chapter 8 only its heading, so everything here is beyond the notes; it follows the best
LLM-from-scratch courses (CS336) and the papers named below. Post-training starts from a
pre-trained causal LM, whose loss is the notes' cross-entropy (§2.4.1,
L = -(1/N) sum_i sum_j y_ij log p_ij) with the next token as the label of each position,
-sum_t log P(x_{t+1} | x_1..x_t), and changes either what is counted or what is trained:

- **Supervised fine-tuning (SFT)** trains on (prompt, response) pairs laid out as one
  sequence, prompt tokens then response tokens then padding. Only the response is the model's
  to produce, so the loss counts the response tokens only: `sft_loss_mask` is 1 on the
  response's positions of `token_ids` and 0 on the prompt and the padding. The mask is
  aligned with `token_ids`, as the loss mask of `dlcourse.llm.causal_lm_loss`: mask[b, t] = 1
  says token t is a target, predicted by the logits at position t - 1 (position 0 is never a
  target).
- **LoRA** (Hu et al., 2021) freezes a pre-trained weight W and learns a low-rank change:
  h = W x + (alpha / r) B A x with A (r, k), B (d, r), B = 0 at the start, so the adapted
  model starts as the base model and trains r (k + d) numbers per matrix instead of d k.
  `LoRADense` keeps Keras' layout (x is a row, y = x W + b): `lora_kernel_a` (in, r) is the
  paper's A transposed, `lora_kernel_b` (r, out) its B transposed, y = x (W + (alpha/r) A B) + b,
  exactly Keras' `Dense.enable_lora`. After training the change merges into W (no extra cost at
  inference): `LoRADense.to_dense()`.
- **DPO** (Rafailov et al., 2023) fits preferences without a reward model: with sequence
  log-probabilities log pi(y | x) of the chosen (y_w) and rejected (y_l) responses under the
  policy pi and a frozen reference pi_ref,
  loss = -log sigmoid(beta ((log pi(y_w) - log pi_ref(y_w)) - (log pi(y_l) - log pi_ref(y_l)))),
  averaged over the pairs. Its gradient in log pi(y_w) is -beta sigmoid(-beta margin) / N.

Everything is `keras.ops` (backend-neutral), numpy for the data layout.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import non_negative_int, optional_seed, positive_int

__all__ = [
    "sft_loss_mask",
    "sft_examples",
    "LoRADense",
    "trainable_parameter_count",
    "apply_lora",
    "sequence_log_probabilities",
    "dpo_loss",
]


# --- supervised fine-tuning ------------------------------------------------------------------

def _lengths(name, values):
    values = np.asarray(values)
    if values.ndim != 1 or values.size == 0 or not np.issubdtype(values.dtype, np.integer):
        raise ValueError(f"{name} must be a non-empty 1-D array of integers, one per example, got {values!r}.")
    return values.astype(np.int64)


def sft_loss_mask(prompt_lengths, sequence_lengths, length):
    """The SFT loss mask: 1 on the response tokens of each row, 0 on its prompt and padding.

    Row b of the batch holds prompt_lengths[b] prompt tokens, then the response up to
    sequence_lengths[b] tokens in all, then padding up to `length`. mask[b, t] = 1 exactly when
    prompt_lengths[b] <= t < sequence_lengths[b]: token t is a response token, the target of
    the logits at position t - 1. Used as the `mask` of `dlcourse.llm.causal_lm_loss`, the loss
    is the next-token NLL of the response given its prompt, nothing of the prompt or padding.

    Args:
        prompt_lengths: int array (B,), each >= 1 (a response token needs a position before it).
        sequence_lengths: int array (B,), prompt plus response, prompt_lengths < it <= length.
        length: T, the padded length of the batch.

    Returns:
        float32 array (B, T).

    Example:

    >>> from dlcourse.llm.posttraining import sft_loss_mask
    >>> sft_loss_mask([2, 1], [4, 3], 5).astype(int).tolist()
    [[0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
    """
    prompt_lengths = _lengths("prompt_lengths", prompt_lengths)
    sequence_lengths = _lengths("sequence_lengths", sequence_lengths)
    length = positive_int("length", length)
    if prompt_lengths.shape != sequence_lengths.shape:
        raise ValueError(f"prompt_lengths and sequence_lengths must have one entry per example, got "
                         f"{prompt_lengths.size} and {sequence_lengths.size}.")
    if (prompt_lengths < 1).any():
        raise ValueError("every prompt needs at least one token (the first response token is predicted from "
                         f"the position before it), got prompt_lengths {prompt_lengths.tolist()}.")
    if (sequence_lengths <= prompt_lengths).any() or (sequence_lengths > length).any():
        raise ValueError(f"each sequence length must exceed its prompt length and be at most length={length}, got "
                         f"prompt_lengths {prompt_lengths.tolist()} and sequence_lengths {sequence_lengths.tolist()}.")
    positions = np.arange(length)[None, :]
    inside = (positions >= prompt_lengths[:, None]) & (positions < sequence_lengths[:, None])
    return inside.astype("float32")


def _ids(name, value, tokenizer):
    if isinstance(value, str):
        if tokenizer is None:
            raise ValueError(f"{name} holds text, {value!r}: pass a tokenizer with an encode method, or token ids.")
        return [int(i) for i in tokenizer.encode(value)]
    return [int(i) for i in value]


def sft_examples(prompts, responses, tokenizer=None, eos_id=None, pad_id=0, length=None):
    """Padded SFT inputs: each prompt followed by its response, and the loss mask of the responses.

    Args:
        prompts, responses: equally long lists; each item a string (encoded with `tokenizer`)
            or a list of token ids. Every prompt and response must have at least one token.
        tokenizer: anything with `encode(text) -> list of ids` (`dlcourse.llm.BytePairTokenizer`);
            needed only for string items.
        eos_id: if given, appended to every response (and counted in the loss), so that the
            model learns where a response ends.
        pad_id: the id put after each sequence. Defaults to 0.
        length: T; defaults to the longest prompt plus response. A longer example is an error.

    Returns:
        (token_ids, mask): int32 array (B, T) and float32 array (B, T), `sft_loss_mask` of the
        examples' lengths.

    Example:

    >>> from dlcourse.llm.posttraining import sft_examples
    >>> ids, mask = sft_examples([[5, 6], [7]], [[8], [9, 10]], eos_id=1)
    >>> ids.tolist(), mask.astype(int).tolist()
    ([[5, 6, 8, 1], [7, 9, 10, 1]], [[0, 0, 1, 1], [0, 1, 1, 1]])
    """
    prompts, responses = list(prompts), list(responses)
    if len(prompts) != len(responses) or not prompts:
        raise ValueError(f"prompts and responses must be non-empty lists of equal length, got {len(prompts)} "
                         f"and {len(responses)}.")
    rows, prompt_lengths = [], []
    for index, (prompt, response) in enumerate(zip(prompts, responses)):
        prompt = _ids("prompts", prompt, tokenizer)
        response = _ids("responses", response, tokenizer) + ([int(eos_id)] if eos_id is not None else [])
        if not prompt or not response:
            raise ValueError(f"example {index} has an empty prompt or response: each needs at least one token.")
        rows.append(prompt + response)
        prompt_lengths.append(len(prompt))
    longest = max(len(row) for row in rows)
    length = longest if length is None else positive_int("length", length)
    if longest > length:
        raise ValueError(f"an example has {longest} tokens, more than length={length}: raise length or shorten it.")
    token_ids = np.full((len(rows), length), non_negative_int("pad_id", pad_id), dtype="int32")
    for b, row in enumerate(rows):
        token_ids[b, :len(row)] = row
    mask = sft_loss_mask(np.array(prompt_lengths), np.array([len(row) for row in rows]), length)
    return token_ids, mask


# --- LoRA ------------------------------------------------------------------------------------

@keras.saving.register_keras_serializable(package="dlcourse")
class LoRADense(keras.layers.Layer):
    """A dense layer with a frozen kernel and a trainable low-rank change (LoRA, Hu et al. 2021).

    y = x (W + (alpha / r) A B) + b, with W (in, units) and b frozen, A = `lora_kernel_a`
    (in, r) and B = `lora_kernel_b` (r, units) trained, B initialised to zero so that the layer
    starts equal to the dense layer x W + b. This is Keras' layout and Keras'
    `Dense.enable_lora(r, lora_alpha=alpha)`; in the paper's column layout, h = W0 x + B A x,
    its A (r, k) and B (d, r) are these two transposed. Only r (in + units) numbers train,
    instead of in * units (plus `units` when `train_bias=True`, as Keras' own LoRA leaves the
    bias trainable; the paper freezes it).

    Args:
        units: output size.
        rank: r, a positive integer.
        alpha: the scale's numerator; None means alpha = r (scale 1), Keras' default.
        activation: applied after the sum, as in `keras.layers.Dense`.
        use_bias: whether there is a bias b.
        train_bias: whether b trains too. Defaults to False (the paper).
        kernel_initializer, bias_initializer: for W and b (normally overwritten by
            `from_dense` with pre-trained values).
        lora_a_initializer: for A; Keras' "he_uniform" by default. B always starts at zero.

    Call arguments:
        inputs: float tensor (..., in).

    Returns:
        Tensor (..., units).

    Example:

    >>> import keras, numpy as np
    >>> from dlcourse.llm.posttraining import LoRADense
    >>> dense = keras.layers.Dense(3)
    >>> dense.build((None, 4))
    >>> x = np.ones((2, 4), "float32")
    >>> lora = LoRADense.from_dense(dense, rank=2)
    >>> bool(np.allclose(lora(x), dense(x))), len(lora.trainable_weights)
    (True, 2)
    """

    def __init__(self, units, rank, alpha=None, activation=None, use_bias=True, train_bias=False,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", lora_a_initializer="he_uniform",
                 **kwargs):
        super().__init__(**kwargs)
        self.units = positive_int("units", units)
        self.rank = positive_int("rank", rank)
        if alpha is not None and (isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.number))
                                  or not alpha > 0):
            raise ValueError(f"alpha must be a positive number or None (meaning alpha = rank), got {alpha!r}.")
        self.alpha = float(self.rank if alpha is None else alpha)
        self.activation = keras.activations.get(activation)
        self.use_bias = bool(use_bias)
        self.train_bias = bool(train_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.lora_a_initializer = keras.initializers.get(lora_a_initializer)

    @property
    def scale(self):
        """alpha / r, the factor of the low-rank change."""
        return self.alpha / self.rank

    def build(self, input_shape):
        input_dim = int(input_shape[-1])
        self.kernel = self.add_weight(shape=(input_dim, self.units), name="kernel",
                                      initializer=self.kernel_initializer, trainable=False)
        self.bias = (self.add_weight(shape=(self.units,), name="bias", initializer=self.bias_initializer,
                                     trainable=self.train_bias) if self.use_bias else None)
        self.lora_kernel_a = self.add_weight(shape=(input_dim, self.rank), name="lora_kernel_a",
                                             initializer=self.lora_a_initializer)
        self.lora_kernel_b = self.add_weight(shape=(self.rank, self.units), name="lora_kernel_b",
                                             initializer="zeros")

    def call(self, inputs):
        # x W + scale (x A) B: never forms the (in, units) change, r (in + units) per row instead.
        low_rank = ops.matmul(ops.matmul(inputs, self.lora_kernel_a), self.lora_kernel_b)
        outputs = ops.matmul(inputs, self.kernel) + self.scale * low_rank
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs) if self.activation is not None else outputs

    def merged_kernel(self):
        """W + (alpha / r) A B, the (in, units) kernel of the equivalent plain dense layer."""
        return self.kernel + self.scale * ops.matmul(self.lora_kernel_a, self.lora_kernel_b)

    def to_dense(self):
        """A built `keras.layers.Dense` with the merged kernel (and the bias): the same function."""
        if not self.built:
            raise ValueError("the LoRADense layer is not built yet: call it on an input first.")
        dense = keras.layers.Dense(self.units, activation=self.activation, use_bias=self.use_bias)
        dense.build((None, self.kernel.shape[0]))
        dense.kernel.assign(self.merged_kernel())
        if self.use_bias:
            dense.bias.assign(self.bias)
        return dense

    @classmethod
    def from_dense(cls, dense, rank, alpha=None, train_bias=False, lora_a_initializer="he_uniform"):
        """A LoRADense holding a copy of a built `keras.layers.Dense`'s kernel and bias, B = 0."""
        if not isinstance(dense, keras.layers.Dense) or not dense.built:
            raise ValueError(f"from_dense needs a built keras.layers.Dense, got {dense!r}: build or call it first.")
        layer = cls(dense.units, rank, alpha=alpha, activation=dense.activation, use_bias=dense.use_bias,
                    train_bias=train_bias, lora_a_initializer=lora_a_initializer)
        layer.build((None, dense.kernel.shape[0]))
        # copies of the values, not the variables: on JAX two variables assigned one array share its
        # buffer, and training either model would free the other's weights
        layer.kernel.assign(ops.convert_to_numpy(dense.kernel))
        if dense.use_bias:
            layer.bias.assign(ops.convert_to_numpy(dense.bias))
        return layer

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "rank": self.rank, "alpha": self.alpha,
                "activation": keras.activations.serialize(self.activation) if self.activation is not None else None,
                "use_bias": self.use_bias, "train_bias": self.train_bias,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
                "lora_a_initializer": keras.initializers.serialize(self.lora_a_initializer)}


def trainable_parameter_count(layer_or_model):
    """The number of trainable scalars of a Keras layer or model (a weight shared twice counts once).

    Example:

    >>> import keras
    >>> from dlcourse.llm.posttraining import LoRADense, trainable_parameter_count
    >>> layer = LoRADense(10, rank=2)
    >>> layer.build((None, 30))
    >>> trainable_parameter_count(layer)  # r (in + units) = 2 * (30 + 10)
    80
    """
    seen, total = set(), 0
    for variable in layer_or_model.trainable_weights:
        if id(variable) not in seen:
            seen.add(id(variable))
            total += int(np.prod(variable.shape))
    return total


def _dense_layers(model):
    return [layer for layer in model._flatten_layers(include_self=False, recursive=True)
            if type(layer) is keras.layers.Dense]


def apply_lora(model, rank, alpha=None, target=None):
    """Freeze a built model and give its dense layers trainable LoRA adapters, in place.

    Each `keras.layers.Dense` inside `model` whose kernel's path contains one of the `target`
    strings gets Keras' own `enable_lora(rank, lora_alpha=alpha)` (the function `LoRADense`
    computes, tested equal); every other weight, the adapted layers' kernels and biases
    included, is frozen. The model's output is unchanged until training moves B away from zero.
    In dlcourse's Transformer blocks the dense layers are the MLP's ("intermediate", "gate",
    "output"; the attention projections are raw weights in Keras' MultiHeadAttention layout
    and stay frozen) and an untied vocabulary head. Saving writes the merged kernels, so the
    saved model loads as the base architecture with W + (alpha/r) A B.

    Args:
        model: a built Keras model or layer.
        rank: r, a positive integer.
        alpha: the scale's numerator; None means alpha = r.
        target: a string or tuple of strings matched against each dense kernel's path
            (e.g. ("intermediate", "output")); None adapts every dense layer.

    Returns:
        The list of adapted Dense layers.

    Example:

    >>> import keras, numpy as np
    >>> from dlcourse.llm.posttraining import apply_lora, trainable_parameter_count
    >>> model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16), keras.layers.Dense(4)])
    >>> len(apply_lora(model, rank=2)), trainable_parameter_count(model)  # 2 (8 + 16) + 2 (16 + 4)
    (2, 88)
    """
    rank = positive_int("rank", rank)
    if not model.built:
        raise ValueError("apply_lora needs a built model: call it on a batch first.")
    targets = (target,) if isinstance(target, str) else (None if target is None else tuple(target))
    chosen = [layer for layer in _dense_layers(model)
              if targets is None or any(t in layer.kernel.path for t in targets)]
    if not chosen:
        raise ValueError(f"no dense layer of the model matches target={target!r}; the dense kernels are "
                         f"{[layer.kernel.path for layer in _dense_layers(model)]}.")
    for variable in model.weights:
        variable.trainable = False
    for layer in chosen:
        layer.enable_lora(rank, lora_alpha=alpha)
    return chosen


# --- DPO ---------------------------------------------------------------------------------------

def sequence_log_probabilities(logits, token_ids, mask):
    """sum_t mask[b, t] log P(token_ids[b, t] | tokens before t): a response's log-probability.

    The logits at position t - 1 give P(token t | tokens < t) (the shifted-target convention of
    `dlcourse.llm.causal_lm_loss`), so mask[:, 0] is ignored; with `sft_loss_mask` this is
    log pi(y | x) of each row's response y after its prompt x. The log-softmax is stable.

    Args:
        logits: float tensor (B, T, V).
        token_ids: int tensor (B, T).
        mask: float or bool tensor (B, T), 1 on the tokens to count.

    Returns:
        Float tensor (B,).

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.posttraining import sequence_log_probabilities
    >>> logits = np.zeros((1, 3, 4), "float32")  # uniform: log(1/4) per counted token
    >>> round(float(sequence_log_probabilities(logits, np.array([[1, 2, 3]]), np.array([[0, 1, 1]]))[0]), 4)
    -2.7726
    """
    logits = ops.convert_to_tensor(logits)
    log_probs = ops.log_softmax(logits[:, :-1], axis=-1)
    targets = ops.cast(ops.convert_to_tensor(token_ids)[:, 1:], "int32")
    picked = ops.take_along_axis(log_probs, ops.expand_dims(targets, -1), axis=-1)[..., 0]
    weights = ops.cast(ops.convert_to_tensor(mask)[:, 1:], picked.dtype)
    return ops.sum(picked * weights, axis=-1)


def dpo_loss(policy_chosen, policy_rejected, reference_chosen, reference_rejected, beta=0.1):
    """The DPO loss, mean over pairs of -log sigmoid(beta ((pc - rc) - (pr - rr))).

    pc, pr: the policy's log-probabilities of the chosen and the rejected response; rc, rr: the
    frozen reference model's. -log sigmoid(z) is computed as log(1 + exp(-z)) in a stable form
    (`keras.ops.log_sigmoid`), finite for margins in the thousands either way. The gradient in
    pc is -beta sigmoid(-beta margin) / N (and the opposite in pr): pairs the policy already
    ranks well (large margin) pull little.

    Args:
        policy_chosen, policy_rejected, reference_chosen, reference_rejected: float tensors (N,)
            of sequence log-probabilities (`sequence_log_probabilities`).
        beta: positive, the strength of the implicit KL penalty to the reference. Defaults to 0.1.

    Returns:
        A scalar tensor.

    Example:

    >>> import numpy as np
    >>> from dlcourse.llm.posttraining import dpo_loss
    >>> round(float(dpo_loss(np.array([-1.0]), np.array([-1.0]), np.array([-2.0]), np.array([-2.0]))), 6)  # log 2
    0.693147
    """
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.number)) or not beta > 0:
        raise ValueError(f"beta must be a positive number, got {beta!r}.")
    pc, pr, rc, rr = (ops.convert_to_tensor(x, dtype="float32") for x in
                      (policy_chosen, policy_rejected, reference_chosen, reference_rejected))
    margin = (pc - rc) - (pr - rr)
    return -ops.mean(ops.log_sigmoid(float(beta) * margin))
