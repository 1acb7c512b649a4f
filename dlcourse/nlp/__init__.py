"""Chapter 5, NLP with deep learning: word embeddings, seq2seq, BLEU and the Transformer.

Lecture: §5 NLP with Deep Learning; §5.1 Word Embeddings; §5.2 Seq2Seq Model; §5.3 Transformer; §5.3.1 Self-Attention and Encoder-Decoder Structure; §5.3.2 Transformer Variants

Chapter 3's scaled dot-product and causal attention (`dlcourse.sequence`) sit underneath this
chapter's multi-head attention and Transformer blocks, and chapter 7's DeepWalk trains the same
skip-gram as word2vec here. Chapter 8 (`dlcourse.llm`) builds its language model on these blocks.
"""

# --- word embeddings (§5.1) ---

# --- seq2seq, decoding, BLEU (§5.2) ---

# --- Transformer and its variants (§5.3) ---

__all__ = []
