"""Sliding windows against a plain double loop; crop_and_resize against numpy slicing and
scipy's bilinear interpolation; sliding-window detection finds a square exactly."""

import numpy as np
import pytest
from scipy import ndimage

from dlcourse.detection import crop_and_resize, sliding_window_detection, sliding_windows


@pytest.mark.parametrize("height, width, sizes, stride", [
    (6, 8, [4], 2), (10, 9, [3, (4, 2), 5, (12, 2)], 3), (32, 32, [8, 16, (12, 20)], 4), (5, 5, [5], 1)])
def test_windows_equal_a_double_loop(height, width, sizes, stride):
    expected = []
    for size in sizes:
        h, w = (size, size) if isinstance(size, int) else size
        for y in range(0, height - h + 1, stride):
            for x in range(0, width - w + 1, stride):
                expected.append([y, x, y + h, x + w])
    np.testing.assert_array_equal(sliding_windows(height, width, sizes, stride),
                                  np.array(expected, dtype=float).reshape(-1, 4))


def test_windows_reject_bad_arguments():
    with pytest.raises(ValueError, match="stride"):
        sliding_windows(8, 8, [4], 0)
    with pytest.raises(ValueError, match="window_sizes"):
        sliding_windows(8, 8, [(0, 3)], 1)
    with pytest.raises(ValueError, match="window_sizes must hold at least one size"):
        sliding_windows(5, 5, [], 1)


def test_crop_of_the_box_size_copies_pixels():
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(2, 12, 10, 3)).astype(np.float32)
    boxes = np.array([[0, 0, 5, 4], [3, 2, 9, 10], [7, 1, 12, 6]])
    crops = [crop_and_resize(images, [box], (box[2] - box[0], box[3] - box[1]), [k % 2])[0]
             for k, box in enumerate(boxes)]
    for k, ((y1, x1, y2, x2), crop) in enumerate(zip(boxes, crops)):
        np.testing.assert_allclose(crop, images[k % 2, y1:y2, x1:x2], rtol=0, atol=1e-6)


def test_resized_crop_is_bilinear_between_pixel_centres():
    rng = np.random.default_rng(1)
    image = rng.uniform(size=(16, 16, 1)).astype(np.float32)
    box = np.array([2.0, 3.0, 12.0, 9.0])
    crop = crop_and_resize(image, [box], (7, 5))[0, :, :, 0]
    # sample rows y1 .. y2 - 1 and columns x1 .. x2 - 1 evenly, bilinear (scipy order=1)
    rows, cols = np.meshgrid(np.linspace(box[0], box[2] - 1, 7), np.linspace(box[1], box[3] - 1, 5),
                             indexing="ij")
    expected = ndimage.map_coordinates(image[:, :, 0].astype(np.float64), [rows, cols], order=1)
    np.testing.assert_allclose(crop, expected, rtol=1e-5, atol=1e-6)
    assert crop_and_resize(image, np.zeros((0, 4)), 4).shape == (0, 4, 4, 1)


def test_crop_and_resize_equals_tf_image_crop_and_resize():
    """The numpy warp samples as TensorFlow's op: boxes partly or wholly outside the image (0
    there), one-row and one-column crops (the box's centre), several images."""
    import tensorflow as tf

    rng = np.random.default_rng(2)
    images = rng.uniform(size=(3, 13, 11, 2)).astype(np.float32)
    corners = rng.uniform(-4, 15, size=(40, 2))
    boxes = np.concatenate([corners, corners + rng.uniform(1, 9, size=(40, 2))], axis=1)
    indices = rng.integers(0, 3, size=40)
    normalized = (boxes - [0, 0, 1, 1]) / np.array([12.0, 10.0, 12.0, 10.0])  # pixel centres 0 .. H - 1
    for size in [(7, 5), (1, 1), (1, 6), (9, 1), (13, 11)]:
        expected = tf.image.crop_and_resize(images, normalized.astype(np.float32), indices.astype(np.int32), size)
        np.testing.assert_allclose(crop_and_resize(images, boxes, size, indices), expected.numpy(), rtol=0, atol=1e-5)
    with pytest.raises(ValueError, match="box_indices must be image indices in \\[0, 3\\)"):
        crop_and_resize(images, boxes[:1], 4, [3])


def _brightness_classifier(crops):
    """Background / "bright object" probabilities from the crops' mean brightness."""
    bright = np.mean(crops, axis=(1, 2, 3))
    return np.stack([1 - bright, bright], axis=1)


def test_detection_finds_a_bright_square_exactly():
    image = np.full((24, 24, 3), 0.05, dtype=np.float32)
    image[5:13, 9:17] = 0.95
    boxes, labels, scores = sliding_window_detection(image, _brightness_classifier, [8, 12], stride=1,
                                                     crop_size=8, score_threshold=0.5, iou_threshold=0.3)
    np.testing.assert_array_equal(boxes[0], [5, 9, 13, 17])
    assert labels.tolist() == [0] * len(labels) and scores[0] == pytest.approx(0.95, abs=1e-6)
    # NMS left no pair of detections overlapping by more than 0.3
    from dlcourse.detection import pairwise_iou

    iou = pairwise_iou(boxes, boxes)
    assert np.all(iou[~np.eye(len(boxes), dtype=bool)] <= 0.3)
