"""Datasets of the course: small embedded ones, generated toy sets and the real loaders.

Nothing is downloaded unless asked for: `load_digits` uses scikit-learn's bundled digits, the
`make_*` functions generate seeded toy problems with numpy, and `load_mnist` reads the Keras
cache file and downloads it only with `download=True`. TensorFlow is imported only by a download.

- `load_digits`: 8x8 handwritten digits, (n, 8, 8, 1) float32 in [0, 1]
- `make_xor`, `make_two_moons`, `make_linearly_separable`: 2-D classification toy sets
- `make_regression`: a 1-D regression curve
- `make_gaussian_ring`, `gaussian_ring_centers`: a ring of Gaussian modes (chapter 6's GAN)
- `make_shapes`, `SHAPE_CLASSES`: circles, squares and triangles with their (y1, x1, y2, x2)
  boxes, for object detection
- `load_karate_club`, `KARATE_FACTIONS`: Zachary's karate club (from networkx) with its two
  factions, as arrays or a TF-GNN GraphTensor
- `make_cycles_and_trees`, `make_community_graphs`: small graph datasets for graph-level tasks
- `grammar_corpus`, `GRAMMAR_CLASSES`: sentences of a small grammar whose words have known
  classes, for word embeddings (chapter 5)
- `translation_pairs`: a toy translation task with variable-length pairs, for seq2seq and the
  Transformer (chapter 5)
- `load_mnist`, `DatasetNotFoundError`: MNIST from the Keras cache
- `load_text_file`, `text_dataset_from_directory`: a text file's lines, and Keras' loader of a
  folder of class folders of text files
"""

from dlcourse.data.digits import load_digits
from dlcourse.data.graphs import KARATE_FACTIONS, load_karate_club, make_community_graphs, make_cycles_and_trees
from dlcourse.data.loaders import DatasetNotFoundError, default_keras_path, load_mnist
from dlcourse.data.shapes import SHAPE_CLASSES, make_shapes
from dlcourse.data.text import (GRAMMAR_CLASSES, grammar_corpus, load_text_file, text_dataset_from_directory,
                                translation_pairs)
from dlcourse.data.toy import (gaussian_ring_centers, make_gaussian_ring, make_linearly_separable, make_regression,
                               make_two_moons, make_xor)

__all__ = [
    "load_digits",
    "make_xor",
    "make_two_moons",
    "make_linearly_separable",
    "make_regression",
    "make_gaussian_ring",
    "gaussian_ring_centers",
    "make_shapes",
    "SHAPE_CLASSES",
    "load_karate_club",
    "KARATE_FACTIONS",
    "make_cycles_and_trees",
    "make_community_graphs",
    "load_mnist",
    "DatasetNotFoundError",
    "default_keras_path",
    "grammar_corpus",
    "GRAMMAR_CLASSES",
    "translation_pairs",
    "load_text_file",
    "text_dataset_from_directory",
]
