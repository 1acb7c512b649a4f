"""Every plot function's figure keeps its titles, axis labels and tick labels inside the figure
(the over-smoothing plot's x label was cut off when saved)."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg


def _figures():
    from dlcourse.cnn.plots import plot_feature_maps, plot_filters
    from dlcourse.detection.plots import draw_detections
    from dlcourse.gnn.plots import plot_node_embeddings, plot_over_smoothing
    from dlcourse.llm.plots import plot_loss_curve
    from dlcourse.llm.plots import plot_forgetting, plot_iso_flop_curves
    from dlcourse.sequence.plots import plot_attention, plot_gradient_norms

    import keras

    rng = np.random.default_rng(0)
    return {
        "loss_curve": lambda: plot_loss_curve({"step": [25, 50, 75, 100], "loss": [4.1, 2.3, 1.4, 1.1],
                                               "val_loss": [3.9, 2.2, 1.5, 1.2]}),
        "over_smoothing": lambda: plot_over_smoothing({"GCN": [0.2, 0.5, 0.8, 0.95], "GCN + skip": [0.2, 0.3, 0.4]}),
        "node_embeddings": lambda: plot_node_embeddings(rng.normal(size=(34, 2)), rng.integers(0, 2, 34),
                                                        ["Mr Hi", "Officer"]),
        "attention": lambda: plot_attention(rng.dirichlet(np.ones(5), size=4), ["the", "cat", "sat", "down"],
                                            ["le", "chat", "s'est", "assis", "."], title="attention"),
        "gradient_norms": lambda: plot_gradient_norms({"tanh RNN": np.geomspace(1, 1e-6, 20)}, title="norms"),
        "filters": lambda: plot_filters(rng.normal(size=(3, 3, 1, 8))),
        "feature_maps": lambda: plot_feature_maps(keras.layers.Conv2D(6, 3), rng.normal(size=(16, 16, 1))
                                                  .astype("float32")),
        "iso_flop_curves": lambda: plot_iso_flop_curves(),
        "forgetting": lambda: plot_forgetting({"loss_a_after_a": 2.0, "loss_b_after_a": 7.0, "loss_a_after_b": 8.0,
                                               "loss_b_after_b": 2.0, "loss_a_after_b_replay": 3.5,
                                               "loss_b_after_b_replay": 2.4, "replay_fraction": 0.25}),
        "detections": lambda: draw_detections(rng.uniform(size=(64, 64, 3)), np.array([[5, 5, 30, 30]]),
                                              labels=np.array([0]), scores=np.array([0.9]), class_names=["circle"]),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_labels_lie_inside_the_saved_figure(name):
    figure = _figures()[name]()
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # what savefig renders, with the figure's own layout
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height()
    # Each axes with everything drawn around it (title, axis labels, tick labels, legend), and the title.
    boxes = [(ax, ax.get_tightbbox(renderer)) for ax in figure.axes if ax.get_visible()]
    if figure._suptitle is not None:
        boxes.append((figure._suptitle, figure._suptitle.get_window_extent(renderer)))
    assert boxes
    for what, box in boxes:
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, \
            f"{name}: {what} is cut off ({box} in a {width}x{height} figure)"
