"""Chapter 7, graph neural networks: Keras 3 layers over plain tensors, with TF-GNN interop.

Lecture: §7 Graph Neural Network(GNN)

A graph is node features (N, F) plus `senders` and `receivers` (E,): edge k carries a message
senders[k] -> receivers[k] (an undirected graph lists both directions). `to_graph_tensor` and
`from_graph_tensor` convert to and from TF-GNN's `GraphTensor`; they are the only functions that
import `tensorflow_gnn` (lazily), so `import dlcourse.gnn` does not.

- graphs (`graph`): `adjacency_matrix`, `adjacency_to_edges`, `undirected_edges`, `degrees`,
  `to_graph_tensor`, `from_graph_tensor`, `import_tensorflow_gnn`
- node embeddings (`embeddings`): `random_walks` (DeepWalk), `node2vec_walks`,
  `node2vec_transition_probabilities`, `neighbour_lists`, `skipgram_pairs`, `negative_samples`,
  `SkipGram`, `train_skipgram`
- layers (`layers`): `GCNConv` (mean and symmetric forms), `GraphSAGEConv` (mean, max-pool,
  LSTM aggregators; L2 normalisation), `GATConv` (multi-head), `GATv2Conv`, `aggregate`,
  `segment_softmax`
- the general layer (`general_layer`): `GeneralGNNLayer` (message, aggregation, concatenation)
- stacking (`stacking`): `GNNStack` (pre/post MLP, skip connections),
  `mean_pairwise_cosine_similarity`, `over_smoothing_curve`
- graph manipulation (`augment`): `one_hot_node_ids`, `degree_features`, `cycle_counts`,
  `add_virtual_node`, `two_hop_edges`, `sample_neighbours`
- heads (`heads`): `DotProductEdgeDecoder`, `ConcatEdgeDecoder`, `GraphPooling`,
  `NodeClassifier`, `build_node_classifier`, `masked_accuracy`, `roc_auc`
- splits (`splits`): `transductive_split`, `inductive_split`, `induced_subgraph`,
  `link_prediction_split`
- scale-up (`scale`): `sample_computation_graph`, `neighbourhood_sampling_batches`,
  `bfs_partition`, `cluster_gcn_batches`
- plots (`plots`): `plot_node_embeddings`, `plot_over_smoothing`
"""

from dlcourse.gnn.augment import (
    add_virtual_node,
    cycle_counts,
    degree_features,
    one_hot_node_ids,
    sample_neighbours,
    two_hop_edges,
)
from dlcourse.gnn.embeddings import (
    SkipGram,
    neighbour_lists,
    negative_samples,
    node2vec_transition_probabilities,
    node2vec_walks,
    random_walks,
    skipgram_pairs,
    train_skipgram,
)
from dlcourse.gnn.general_layer import GeneralGNNLayer
from dlcourse.gnn.graph import (
    adjacency_matrix,
    adjacency_to_edges,
    degrees,
    from_graph_tensor,
    import_tensorflow_gnn,
    to_graph_tensor,
    undirected_edges,
)
from dlcourse.gnn.heads import (
    ConcatEdgeDecoder,
    DotProductEdgeDecoder,
    GraphPooling,
    NodeClassifier,
    build_node_classifier,
    masked_accuracy,
    roc_auc,
)
from dlcourse.gnn.layers import GATConv, GATv2Conv, GCNConv, GraphSAGEConv, aggregate, segment_softmax
from dlcourse.gnn.plots import plot_node_embeddings, plot_over_smoothing
from dlcourse.gnn.scale import (
    bfs_partition,
    cluster_gcn_batches,
    neighbourhood_sampling_batches,
    sample_computation_graph,
)
from dlcourse.gnn.splits import induced_subgraph, inductive_split, link_prediction_split, transductive_split
from dlcourse.gnn.stacking import GNNStack, mean_pairwise_cosine_similarity, over_smoothing_curve

__all__ = [
    "adjacency_matrix", "adjacency_to_edges", "undirected_edges", "degrees", "to_graph_tensor",
    "from_graph_tensor", "import_tensorflow_gnn",
    "random_walks", "node2vec_walks", "node2vec_transition_probabilities", "neighbour_lists",
    "skipgram_pairs", "negative_samples", "SkipGram", "train_skipgram",
    "GCNConv", "GraphSAGEConv", "GATConv", "GATv2Conv", "aggregate", "segment_softmax", "GeneralGNNLayer",
    "GNNStack", "mean_pairwise_cosine_similarity", "over_smoothing_curve",
    "one_hot_node_ids", "degree_features", "cycle_counts", "add_virtual_node", "two_hop_edges",
    "sample_neighbours",
    "DotProductEdgeDecoder", "ConcatEdgeDecoder", "GraphPooling", "NodeClassifier",
    "build_node_classifier", "masked_accuracy", "roc_auc",
    "transductive_split", "inductive_split", "induced_subgraph", "link_prediction_split",
    "sample_computation_graph", "neighbourhood_sampling_batches", "bfs_partition", "cluster_gcn_batches",
    "plot_node_embeddings", "plot_over_smoothing",
]
