"""Chapter 4 detection exercises: each solution agrees with its dlcourse.detection twin (whose own
tests hold it to tf.image.non_max_suppression, scikit-learn and pixel counts), each grader gives
the solution full marks, the released stub none, and typical mistakes lose points."""

import pathlib

import numpy as np
import pytest

from dlcourse import detection
from dlcourse.grading.checks import checks_of, compare_results
from dlcourse.grading.probe import load_module, load_namespace, run_probe

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXERCISES = ["iou", "box_regression", "nms", "mean_average_precision", "sliding_window", "region_proposals"]


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


# --- graders ---------------------------------------------------------------------------------


# Typical mistakes: (exercise, text in the solution, replacement, checks that must fail)
MISTAKES = [
    ("iou", "union = box_area(a)[:, None] + box_area(b)[None, :] - intersection",
     "union = box_area(a)[:, None] + box_area(b)[None, :]", {"iou_of_a_few_boxes", "random_pairwise_iou"}),
    ("iou", "np.maximum(height, 0) * np.maximum(width, 0)", "height * width", {"random_pairwise_iou", "edge_cases"}),
    ("box_regression", "np.log(gw / pw), np.log(gh / ph)", "gw / pw - 1, gh / ph - 1",
     {"encode_two_pairs", "encode_random_pairs"}),
    ("box_regression", "x, y = px + pw * t[:, 0], py + ph * t[:, 1]", "x, y = px + t[:, 0], py + t[:, 1]",
     {"decode_random_deltas", "decode_undoes_encode"}),
    ("nms", "remaining = [int(i) for i in rest[iou <= iou_threshold]]",
     "remaining = [int(i) for i in rest[iou < iou_threshold]]", {"strict_thresholds_and_ties"}),
    ("nms", "if scores[i] > score_threshold]", "if scores[i] >= score_threshold]", {"strict_thresholds_and_ties"}),
    ("mean_average_precision", "precision[k:].max()", "precision[k]", {"ap_of_random_rankings", "map_over_images"}),
    ("mean_average_precision", "if iou[i, j] >= iou_threshold and not matched[j]:", "if iou[i, j] >= iou_threshold:",
     {"matching_with_duplicates", "map_over_images"}),
    ("sliding_window", "range(0, image_height - height + 1, stride)", "range(0, image_height - height, stride)",
     {"windows_of_one_size", "windows_of_several_sizes"}),
    ("sliding_window", "image[int(y1):int(y2), int(x1):int(x2)]", "image[int(x1):int(x2), int(y1):int(y2)]",
     {"every_window_scored"}),
    ("region_proposals", "fill = 1 - (height * width - size_i - size_j) / image_area", "fill = 1.0",
     {"similarity_by_hand", "many_cells"}),
    ("region_proposals", "(size_i * colour_i + size_j * colour_j) / (size_i + size_j)", "(colour_i + colour_j) / 2",
     {"many_cells"}),
]


@pytest.mark.parametrize("name, old, new, failing", MISTAKES)
def test_mistakes_lose_points_with_feedback(name, old, new, failing, tmp_path):
    source = (ROOT / "solutions" / "ch04_cnn" / f"{name}.py").read_text()
    assert old in source
    path = tmp_path / f"{name}.py"
    path.write_text(source.replace(old, new))
    wrong, reference = load_module(str(path), f"ch04_{name}_wrong"), _solution(name)
    failed = set()
    for chk in checks_of(_grader(name)):
        expected = run_probe(chk, reference)
        try:
            fraction, feedback = compare_results(chk, run_probe(chk, wrong), expected)
        except Exception:  # a crash in the student's code is a failed check too
            fraction, feedback = 0.0, "crashed"
        if fraction < 1.0:
            assert feedback
            failed.add(chk.name)
    assert failing <= failed, f"expected {failing} to fail, failed: {failed}"
