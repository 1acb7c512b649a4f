"""Chapter 8, foundation models: a small LLM from the tokenizer to post-training.

Lecture: §8 Foundation Models: LLM; §5.3 Transformer; §5.3.2 Transformer Variants

The notes give chapter 8 only its heading, and point at it from §5.3 ("quadratic compute in
self-attention", "possible position representation improvements", "pre-training, post-training
and continuous training"). This package fills the chapter the way LLM-from-scratch courses do
(Stanford CS336's first assignment is the bar), built on chapter 5's attention and Transformer
blocks (`dlcourse.nlp`).

- Tokenization (`bpe`): byte-level BPE with GPT-2's pre-tokenizer and never-split special tokens,
  `BytePairTokenizer` and the pure `train_bpe` (Sennrich et al., 2016; Radford et al., 2019).
- The model (`gpt`, `rope`, `normalization`): the decoder-only `GPT` (GPT-2; learned positions or
  RoPE, Su et al., 2021; LayerNorm or RMSNorm, Zhang and Sennrich, 2019; GELU or SwiGLU; weight
  tying) with a key/value cache and `generate(prompt, max_new_tokens, sampler)`.
- Sampling, the quadratic cost, scale (`sampling`, `flash`, `scaling`): greedy, temperature,
  top-k and top-p (nucleus, Holtzman et al., 2020) samplers; block-wise attention with an online
  softmax (FlashAttention, Dao et al., 2022) and attention's FLOP and memory counts against T;
  parameter counts, C = 6 N D and Chinchilla's compute-optimal N_opt(C), D_opt(C) (Hoffmann et
  al., 2022).
- Pre-training (`training`, `plots`): the next-token loss on shifted targets `causal_lm_loss`
  (the notes' cross-entropy, §2.4.1) and `CausalLMLoss`, `perplexity` and the
  `unigram_perplexity` baseline, the `WarmupCosineDecay` schedule with
  `dlcourse.training.AdamW` (Loshchilov and Hutter, 2019), `language_model_dataset`,
  `train_language_model` (global-norm clipping with chapter 3's `clip_by_global_norm`),
  `evaluate_perplexity`, `plot_loss_curve`, and the end-to-end `pretrain_demo`.
- Post-training and continual training (`posttraining`, `continual`): the SFT loss mask on the
  response tokens (`sft_loss_mask`, `sft_examples`), LoRA (`LoRADense`, equal to Keras'
  `Dense.enable_lora`, `apply_lora`, `trainable_parameter_count`; Hu et al., 2021), DPO
  (`sequence_log_probabilities`, `dpo_loss`; Rafailov et al., 2023); training on task A then B,
  the forgetting of A and experience replay (`continual_demo`, `replay_mixture`,
  `plot_forgetting`).
"""

# --- tokenization ---
from dlcourse.llm.bpe import BytePairTokenizer, learn_merges, pretokenize, train_bpe

# --- the decoder-only Transformer LM ---
from dlcourse.llm.gpt import GPT, CausalSelfAttention, GPTBlock, default_intermediate_dim, gelu_tanh
from dlcourse.llm.normalization import RMSNormalization, rms_norm
from dlcourse.llm.rope import RotaryEmbedding, apply_rope, rope_angles

# --- sampling, the quadratic cost, scale ---
from dlcourse.llm.sampling import (GreedySampler, Sampler, TemperatureSampler, TopKSampler, TopPSampler,
                                   sampling_distribution, top_k_filter, top_p_filter)
from dlcourse.llm.flash import attention_flops, attention_memory, blockwise_attention
from dlcourse.llm.scaling import (CHINCHILLA, chinchilla_exponents, chinchilla_loss, compute_optimal_allocation,
                                  parameter_count, training_flops)

# --- pre-training ---
from dlcourse.llm.plots import plot_loss_curve
from dlcourse.llm.training import (CausalLMLoss, LanguageModelWindows, WarmupCosineDecay, causal_lm_loss,
                                   evaluate_perplexity, language_model_dataset, mean_negative_log_likelihood,
                                   perplexity, pretrain_demo, train_language_model, unigram_perplexity)

# --- post-training and continual training ---
from dlcourse.llm.posttraining import (LoRADense, apply_lora, dpo_loss, sequence_log_probabilities, sft_examples,
                                       sft_loss_mask, trainable_parameter_count)
from dlcourse.llm.continual import (continual_demo, continual_tasks, forgetting, replay_mixture,
                                    reversed_sentences)
from dlcourse.llm.plots import plot_forgetting

__all__ = [
    "sft_loss_mask", "sft_examples", "LoRADense", "trainable_parameter_count", "apply_lora",
    "sequence_log_probabilities", "dpo_loss",
    "continual_tasks", "replay_mixture", "forgetting", "continual_demo", "reversed_sentences", "plot_forgetting",
    "GPT", "GPTBlock", "CausalSelfAttention", "default_intermediate_dim", "gelu_tanh",
    "RMSNormalization", "rms_norm", "RotaryEmbedding", "apply_rope", "rope_angles",
    "BytePairTokenizer", "train_bpe", "learn_merges", "pretokenize",
    "sampling_distribution", "top_k_filter", "top_p_filter",
    "Sampler", "GreedySampler", "TemperatureSampler", "TopKSampler", "TopPSampler",
    "blockwise_attention", "attention_flops", "attention_memory",
    "CHINCHILLA", "parameter_count", "training_flops", "chinchilla_loss", "compute_optimal_allocation",
    "chinchilla_exponents",
    "causal_lm_loss", "CausalLMLoss", "perplexity", "unigram_perplexity", "WarmupCosineDecay",
    "LanguageModelWindows", "language_model_dataset", "train_language_model", "mean_negative_log_likelihood",
    "evaluate_perplexity", "pretrain_demo", "plot_loss_curve",
]
