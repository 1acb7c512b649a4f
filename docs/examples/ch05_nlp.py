# %% [markdown]
# # Chapter 5: sequence to sequence, beam search and BLEU
#
# A seq2seq LSTM with attention (`Seq2Seq`) on the package's toy translation task, trained with
# teacher forcing and the masked cross-entropy; then its alignment (the decoder's attention over
# the source) and BLEU against the beam size of `beam_search`. Lecture: §5.2 Seq2Seq Model.

# %% tags=["remove_output"]
# %matplotlib inline
import os

import keras
import numpy as np
from IPython.display import display

from dlcourse.data import translation_pairs
from dlcourse.nlp import (BOS_ID, EOS_ID, MaskedSequenceCrossEntropy, Seq2Seq, Vocabulary, beam_search,
                          corpus_bleu, plot_alignment, plot_bleu_by_beam_size, translation_arrays)

QUICK = os.environ.get("DLCOURSE_DOCS_QUICK") == "1"
TRAIN_PAIRS, EPOCHS, TEST_PAIRS = (400, 2, 10) if QUICK else (1200, 5, 30)

# %% [markdown]
# ## Training with teacher forcing

# %%
train = translation_pairs(TRAIN_PAIRS, 3, 8, seed=0)
test = translation_pairs(TEST_PAIRS, 3, 8, seed=1)
source_vocab = Vocabulary.build([s for s, _ in train])
target_vocab = Vocabulary.build([t for _, t in train])
(source, decoder), targets = translation_arrays(train, source_vocab, target_vocab)
keras.utils.set_random_seed(0)
model = Seq2Seq(len(source_vocab), len(target_vocab), embedding_dim=24, units=48, attention=True, seed=0)
model.compile(optimizer=keras.optimizers.Adam(0.02), loss=MaskedSequenceCrossEntropy())
history = model.fit((source, decoder), targets, batch_size=64, epochs=EPOCHS, verbose=0)
print("training loss per epoch:", np.round(history.history["loss"], 3))
print("example pair:", test[0])

# %% [markdown]
# ## Alignment
#
# Where the decoder writes each target word, the attention weights over the source words.

# %%
(test_source, test_decoder), _ = translation_arrays(test, source_vocab, target_vocab)
_, weights = model((test_source[:1], test_decoder[:1]), return_attention=True)
source_words, target_words = test[0][0].split(), test[0][1].split() + ["<eos>"]
fig = plot_alignment(keras.ops.convert_to_numpy(weights)[0, :len(target_words), :len(source_words)],
                     source_words, target_words)
display(fig)

# %% [markdown]
# ## BLEU against beam size

# %%
references = [[t.split()] for _, t in test]
steps = [model.step_function(row[row != 0]) for row in test_source]
sizes, bleu = (1, 2, 4), []
for k in sizes:
    best = [beam_search(step, BOS_ID, EOS_ID, k, 16) for step in steps]
    words = [target_vocab.decode([list(h.tokens)])[0].split() for h in best]
    bleu.append(corpus_bleu(words, references).score)
print("BLEU by beam size:", dict(zip(sizes, np.round(bleu, 1))))
fig = plot_bleu_by_beam_size(sizes, {"seq2seq + attention": bleu})
display(fig)
