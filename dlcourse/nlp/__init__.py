"""Chapter 5, NLP with deep learning: word embeddings, seq2seq, BLEU and the Transformer.

Lecture: §5 NLP with Deep Learning; §5.1 Word Embeddings; §5.2 Seq2Seq Model; §5.3 Transformer; §5.3.1 Self-Attention and Encoder-Decoder Structure; §5.3.2 Transformer Variants

Chapter 3's scaled dot-product and causal attention (`dlcourse.sequence`) sit underneath this
chapter's multi-head attention and Transformer blocks, and chapter 7's DeepWalk trains the same
skip-gram as word2vec here. Chapter 8 (`dlcourse.llm`) builds its language model on these blocks.

- Word embeddings (§5.1): `Vocabulary` (word ids with `<pad>`, `<unk>`, `<bos>`, `<eos>`);
  count-based vectors `one_hot`, `cooccurrence_matrix`, `ppmi`, `truncated_svd_embeddings`;
  word2vec's losses with hand-written gradients `skipgram_softmax_loss`,
  `negative_sampling_loss` (noise from `unigram_distribution`), `cbow_softmax_loss`; the Keras
  models `SkipGram` (negative sampling; chapter 7's DeepWalk uses it too) and `CBOW`, trained by
  `train_skipgram` and `train_cbow` on `skipgram_pairs`, `negative_samples`, `cbow_examples`;
  evaluation `cosine_similarity_matrix`, `nearest_neighbours`, `class_separation`,
  `knn_class_accuracy`, `classified_words`, `project_2d`; the plot `plot_word_embeddings`.
- Seq2seq, decoding, BLEU (§5.2): `greedy_decode`, `beam_search` (beam size k, finished
  hypotheses kept, optional length normalisation) and `exhaustive_search` over a
  `step_fn(prefixes) -> log-probabilities`; `corpus_bleu` and `sentence_bleu` (sacrebleu's numbers);
  the LSTM encoder-decoder `Seq2Seq` (teacher forcing, masked padding, optional attention over
  the encoder states), its loss `MaskedSequenceCrossEntropy`, `teacher_forcing_inputs`,
  `translation_arrays`, and the plots `plot_alignment`, `plot_bleu_by_beam_size`.
- Transformer and its variants (§5.3): position encodings `sinusoidal_position_encoding`,
  `SinusoidalPositionEncoding`, `LearnedPositionEmbedding`; masks `padding_mask`,
  `attention_mask` (padding and look-ahead); `MultiHeadAttention` (Keras' weight layout, on
  chapter 3's scaled dot-product attention); the blocks `TransformerEncoderBlock`,
  `TransformerDecoderBlock` (post-LN or pre-LN, cross-attention optional), `FeedForward`
  (gated as an option), `TokenAndPositionEmbedding`, the stacks `TransformerEncoderStack`,
  `TransformerDecoderStack` and the encoder-decoder `Transformer` (`step_function` for
  `greedy_decode` / `beam_search`, batched `greedy_translate`); the variants (§5.3.2):
  `bert_masking` (15%, then 80/10/10), `MaskedLanguageModel` (encoder only),
  `CausalLanguageModel` (decoder only) and `SequenceClassifier` for fine-tuning.
"""

# --- word embeddings (§5.1) ---
from dlcourse.nlp.cooccurrence import cooccurrence_matrix, one_hot, ppmi, truncated_svd_embeddings
from dlcourse.nlp.plots import plot_word_embeddings
from dlcourse.nlp.tokenizer import BOS, BOS_ID, EOS, EOS_ID, PAD, PAD_ID, UNK, UNK_ID, Vocabulary
from dlcourse.nlp.word2vec import (
    CBOW,
    SkipGram,
    cbow_examples,
    cbow_softmax_loss,
    negative_samples,
    negative_sampling_loss,
    skipgram_pairs,
    skipgram_softmax_loss,
    skipgram_softmax_probabilities,
    train_cbow,
    train_skipgram,
    unigram_distribution,
)
from dlcourse.nlp.word_similarity import (
    class_separation,
    classified_words,
    cosine_similarity_matrix,
    knn_class_accuracy,
    nearest_neighbours,
    project_2d,
)

# --- seq2seq, decoding, BLEU (§5.2) ---
from dlcourse.nlp.bleu import BleuScore, corpus_bleu, sentence_bleu
from dlcourse.nlp.decoding import Hypothesis, beam_search, exhaustive_search, greedy_decode
from dlcourse.nlp.plots import plot_alignment, plot_bleu_by_beam_size
from dlcourse.nlp.seq2seq import (
    MaskedSequenceCrossEntropy,
    Seq2Seq,
    masked_sequence_cross_entropy,
    teacher_forcing_inputs,
    translation_arrays,
)

# --- Transformer and its variants (§5.3) ---
from dlcourse.nlp.attention import MultiHeadAttention, attention_mask, padding_mask
from dlcourse.nlp.positional import LearnedPositionEmbedding, SinusoidalPositionEncoding, sinusoidal_position_encoding
from dlcourse.nlp.pretraining import (
    CausalLanguageModel,
    MaskedLanguageModel,
    SequenceClassifier,
    add_mask_token,
    apply_bert_masking,
    bert_masking,
)
from dlcourse.nlp.transformer import (
    FeedForward,
    TokenAndPositionEmbedding,
    Transformer,
    TransformerDecoderBlock,
    TransformerDecoderStack,
    TransformerEncoderBlock,
    TransformerEncoderStack,
    register_normalization,
)

__all__ = [
    "Vocabulary", "PAD", "UNK", "BOS", "EOS", "PAD_ID", "UNK_ID", "BOS_ID", "EOS_ID",
    "one_hot", "cooccurrence_matrix", "ppmi", "truncated_svd_embeddings",
    "skipgram_softmax_probabilities", "skipgram_softmax_loss", "unigram_distribution",
    "negative_sampling_loss", "cbow_softmax_loss", "skipgram_pairs", "negative_samples",
    "cbow_examples", "SkipGram", "CBOW", "train_skipgram", "train_cbow",
    "cosine_similarity_matrix", "nearest_neighbours", "classified_words", "class_separation",
    "knn_class_accuracy", "project_2d", "plot_word_embeddings",
    "BleuScore", "corpus_bleu", "sentence_bleu",
    "Hypothesis", "greedy_decode", "beam_search", "exhaustive_search",
    "Seq2Seq", "MaskedSequenceCrossEntropy", "masked_sequence_cross_entropy", "teacher_forcing_inputs",
    "translation_arrays", "plot_alignment", "plot_bleu_by_beam_size",
    "sinusoidal_position_encoding", "SinusoidalPositionEncoding", "LearnedPositionEmbedding",
    "padding_mask", "attention_mask", "MultiHeadAttention",
    "FeedForward", "register_normalization", "TransformerEncoderBlock", "TransformerDecoderBlock",
    "TokenAndPositionEmbedding", "TransformerEncoderStack", "TransformerDecoderStack", "Transformer",
    "add_mask_token", "apply_bert_masking", "bert_masking", "MaskedLanguageModel", "CausalLanguageModel",
    "SequenceClassifier",
]
