"""Datasets of the course: small embedded ones, generated toy sets and the real loaders.

Nothing is downloaded unless asked for: `load_digits` uses scikit-learn's bundled digits, the
`make_*` functions generate seeded toy problems with numpy, and `load_mnist` reads the Keras
cache file and downloads it only with `download=True`. TensorFlow is imported only by a download.

- `load_digits`: 8x8 handwritten digits, (n, 8, 8, 1) float32 in [0, 1]
- `make_xor`, `make_two_moons`, `make_linearly_separable`: 2-D classification toy sets
- `make_regression`: a 1-D regression curve
- `make_shapes`, `SHAPE_CLASSES`: circles, squares and triangles with their (y1, x1, y2, x2)
  boxes, for object detection
- `load_karate_club`, `KARATE_FACTIONS`: Zachary's karate club (from networkx) with its two
  factions, as arrays or a TF-GNN GraphTensor
- `make_cycles_and_trees`, `make_community_graphs`: small graph datasets for graph-level tasks
- `load_mnist`, `DatasetNotFoundError`: MNIST from the Keras cache
"""

from dlcourse.data.digits import load_digits
from dlcourse.data.graphs import KARATE_FACTIONS, load_karate_club, make_community_graphs, make_cycles_and_trees
from dlcourse.data.loaders import DatasetNotFoundError, default_keras_path, load_mnist
from dlcourse.data.shapes import SHAPE_CLASSES, make_shapes
from dlcourse.data.toy import make_linearly_separable, make_regression, make_two_moons, make_xor

__all__ = [
    "load_digits",
    "make_xor",
    "make_two_moons",
    "make_linearly_separable",
    "make_regression",
    "make_shapes",
    "SHAPE_CLASSES",
    "load_karate_club",
    "KARATE_FACTIONS",
    "make_cycles_and_trees",
    "make_community_graphs",
    "load_mnist",
    "DatasetNotFoundError",
    "default_keras_path",
]
