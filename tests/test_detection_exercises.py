"""Chapter 4 detection exercises: each solution agrees with its dlcourse.detection twin (whose own
tests hold it to tf.image.non_max_suppression, scikit-learn and pixel counts). That their graders
catch typical mistakes is tested with every chapter's in test_grader_mistakes.py."""

import pathlib

import numpy as np
import pytest

from dlcourse import detection
from dlcourse.grading.probe import load_module, load_namespace

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _solution(name):
    return load_module(str(ROOT / "solutions" / "ch04_cnn" / f"{name}.py"), f"ch04_{name}_solution")


def _grader(name):
    path = ROOT / "graders" / "ch04_cnn" / f"{name}.py"
    return load_namespace(path.read_text(), str(path))


def _random_boxes(rng, n, size=30.0):
    top_left = rng.uniform(0, size, size=(n, 2))
    return np.concatenate([top_left, top_left + rng.uniform(1, 12, size=(n, 2))], axis=1)


# --- each solution against its library twin -------------------------------------------------


def test_iou_solution_agrees_with_library():
    sol = _solution("iou")
    rng = np.random.default_rng(0)
    a, b = _random_boxes(rng, 9), _random_boxes(rng, 6)
    a[0, 2] = a[0, 0]  # an empty box
    np.testing.assert_allclose(sol.pairwise_iou(a, b), detection.pairwise_iou(a, b), rtol=1e-12)
    np.testing.assert_allclose(sol.box_area(a), detection.box_area(a), rtol=1e-12)
    np.testing.assert_allclose(sol.corners_to_centers(a), detection.corners_to_centers(a), rtol=1e-12)
    np.testing.assert_allclose(sol.centers_to_corners(a), detection.centers_to_corners(a), rtol=1e-12)


def test_box_regression_solution_agrees_with_library():
    sol = _solution("box_regression")
    rng = np.random.default_rng(1)
    ground_truth, proposals = _random_boxes(rng, 10), _random_boxes(rng, 10)
    np.testing.assert_allclose(sol.encode_boxes(ground_truth, proposals),
                               detection.encode_boxes(ground_truth, proposals), rtol=1e-12, atol=1e-12)
    deltas = rng.normal(0, 0.5, size=(10, 4))
    np.testing.assert_allclose(sol.decode_boxes(deltas, proposals), detection.decode_boxes(deltas, proposals),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_nms_solution_agrees_with_library(seed):
    sol = _solution("nms")
    rng = np.random.default_rng(seed)
    boxes, scores = _random_boxes(rng, 50), rng.uniform(size=50)
    for args in [(100, 0.5), (100, 0.2, 0.3), (7, 0.6)]:
        np.testing.assert_array_equal(sol.non_max_suppression(boxes, scores, *args),
                                      detection.non_max_suppression(boxes, scores, *args))


def test_mean_average_precision_solution_agrees_with_library():
    sol = _solution("mean_average_precision")
    grader = _grader("mean_average_precision")
    rng = np.random.default_rng(2)
    for _ in range(3):
        detections, truth = grader["_scene"](rng)
        ours, ours_per_class = sol.mean_average_precision(detections, truth, 3)
        library, library_per_class = detection.mean_average_precision(detections, truth, 3)
        assert ours == pytest.approx(library, rel=1e-12)
        np.testing.assert_allclose(ours_per_class, library_per_class, rtol=1e-12)
        boxes, _, scores = detections[0]
        np.testing.assert_array_equal(sol.match_detections(boxes, scores, truth[0][0]),
                                      detection.match_detections(boxes, scores, truth[0][0]))
    hits, scores = (rng.uniform(size=20) < 0.5).astype(int), rng.uniform(size=20)
    assert sol.average_precision(scores, hits, hits.sum() + 2) == pytest.approx(
        detection.average_precision(scores, hits, hits.sum() + 2), rel=1e-12)


def test_sliding_window_solution_agrees_with_library():
    sol = _solution("sliding_window")
    sizes = [5, (4, 7), 9]
    np.testing.assert_array_equal(sol.sliding_windows(20, 17, sizes, 3), detection.sliding_windows(20, 17, sizes, 3))
    # one window size equal to the crop size: the library's resize is the identity, so its
    # detections are the solution's above the threshold after per-class NMS
    image = np.full((20, 20, 3), 0.1, dtype=np.float32)
    image[4:10, 6:12] = 0.9

    def classifier(crops):
        bright = np.mean(crops, axis=(1, 2, 3))
        return np.stack([1 - bright, bright], axis=1)

    boxes, scores = sol.detect_with_sliding_window(image, lambda crop: float(np.mean(crop)), [6], 2, 0.4)
    keep = detection.non_max_suppression(boxes, scores, 100, 0.3)
    library_boxes, _, library_scores = detection.sliding_window_detection(
        image, classifier, [6], 2, crop_size=6, score_threshold=0.4, iou_threshold=0.3)
    np.testing.assert_array_equal(boxes[keep], library_boxes)
    np.testing.assert_allclose(scores[keep], library_scores, rtol=1e-5)


@pytest.mark.parametrize("seed", range(3))
def test_region_proposals_solution_agrees_with_library(seed):
    sol = _solution("region_proposals")
    # a noisy shapes image over-segmented by the library: dozens of irregular regions
    from dlcourse.data.shapes import make_shapes

    image = make_shapes(1, image_size=24, max_size=10, noise=0.05, seed=seed)[0][0]
    segments = detection.over_segment(image, threshold=0.1)
    assert segments.max() > 10
    np.testing.assert_array_equal(sol.greedy_grouping(image, segments), detection.greedy_grouping(image, segments))
    rng = np.random.default_rng(seed)
    colours, sizes = rng.uniform(size=(2, 3)), rng.integers(1, 20, size=2)
    boxes = _random_boxes(rng, 2).round()
    assert sol.region_similarity(*colours, *sizes, *boxes, 900) == pytest.approx(
        detection.region_similarity(*colours, *sizes, *boxes, 900), rel=1e-12)
