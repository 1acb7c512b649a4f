# %% [markdown]
# # Chapter 7: karate-club embeddings
#
# DeepWalk on Zachary's karate club: uniform random walks (`random_walks`), skip-gram on the walks
# as sentences (`train_skipgram`), and the embeddings projected to two dimensions, coloured by the
# faction each member joined; then a two-layer GCN (`GCNConv`) that learns the factions from four
# labelled members. Lecture: §7.1.1 RandomWalk Embedding; §7.1.3 Graph Convolutional Network.

# %% tags=["remove_output"]
# %matplotlib inline
import os

import keras
import numpy as np
from IPython.display import display
from sklearn.decomposition import PCA

from dlcourse.data import KARATE_FACTIONS, load_karate_club
from dlcourse.gnn import build_node_classifier, masked_accuracy, plot_node_embeddings, random_walks, train_skipgram

QUICK = os.environ.get("DLCOURSE_DOCS_QUICK") == "1"
EPOCHS, GCN_EPOCHS = (3, 60) if QUICK else (10, 60)

# %% [markdown]
# ## DeepWalk

# %%
features, senders, receivers, labels = load_karate_club()
walks = random_walks(senders, receivers, 34, walk_length=10, walks_per_node=10, rng=np.random.default_rng(0))
_, embeddings = train_skipgram(walks, 34, embedding_dim=16, window=3, epochs=EPOCHS, seed=0)
points = PCA(n_components=2, random_state=0).fit_transform(np.asarray(embeddings))
fig = plot_node_embeddings(points, labels, list(KARATE_FACTIONS), title="DeepWalk embeddings (PCA)")
display(fig)

# %% [markdown]
# ## A GCN from four labels
#
# Two GCN layers in the notes' mean form, h_v <- sigma(W_k^T sum_(u in N(v)) h_u / |N(v)| + B_k^T h_v),
# over one-hot node ids, trained on the labels of members 0, 1, 32 and 33 only; the plot shows the
# network's two logits for every member.

# %%
keras.utils.set_random_seed(0)
mask = np.zeros(34, "float32")
mask[[0, 1, 32, 33]] = 1.0
model = build_node_classifier(34, 2, hidden_units=(16,), convolution="gcn", seed=0)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
inputs = (features[None], senders[None].astype("int32"), receivers[None].astype("int32"))
model.fit(inputs, labels[None], sample_weight=mask[None], epochs=GCN_EPOCHS, verbose=0)
logits = model.predict(inputs, verbose=0)[0]
print(f"accuracy on the 30 unlabelled members: {masked_accuracy(labels, logits, mask == 0):.3f}")
fig = plot_node_embeddings(logits, labels, list(KARATE_FACTIONS), title="GCN output, trained on 4 labels")
display(fig)
