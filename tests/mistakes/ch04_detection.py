"""Realistic mistakes in the object-detection exercises' reference solutions that their graders must catch.

Read by tests/test_grader_mistakes.py; the module docstring there says what a row means.
"""

# (exercise id, mistake (for the test id), text in the solution, replacement, checks that must fail)
MISTAKES = [
    ("ch04_cnn/iou", "union_counts_the_intersection_twice",
     "union = box_area(a)[:, None] + box_area(b)[None, :] - intersection",
     "union = box_area(a)[:, None] + box_area(b)[None, :]", {"iou_of_a_few_boxes", "random_pairwise_iou"}),
    ("ch04_cnn/iou", "negative_overlap_not_clipped",
     "np.maximum(height, 0) * np.maximum(width, 0)", "height * width", {"random_pairwise_iou", "edge_cases"}),
    ("ch04_cnn/box_regression", "size_deltas_without_log",
     "np.log(gw / pw), np.log(gh / ph)", "gw / pw - 1, gh / ph - 1", {"encode_two_pairs", "encode_random_pairs"}),
    ("ch04_cnn/box_regression", "offsets_not_scaled_by_size",
     "x, y = px + pw * t[:, 0], py + ph * t[:, 1]", "x, y = px + t[:, 0], py + t[:, 1]",
     {"decode_random_deltas", "decode_undoes_encode"}),
    ("ch04_cnn/nms", "suppresses_at_equal_iou",
     "remaining = [int(i) for i in rest[iou <= iou_threshold]]",
     "remaining = [int(i) for i in rest[iou < iou_threshold]]", {"strict_thresholds_and_ties"}),
    ("ch04_cnn/nms", "keeps_scores_equal_to_threshold",
     "if scores[i] > score_threshold]", "if scores[i] >= score_threshold]", {"strict_thresholds_and_ties"}),
    ("ch04_cnn/mean_average_precision", "precision_not_interpolated",
     "precision[k:].max()", "precision[k]", {"ap_of_random_rankings", "map_over_images"}),
    ("ch04_cnn/mean_average_precision", "truth_box_matched_twice",
     "if iou[i, j] >= iou_threshold and not matched[j]:", "if iou[i, j] >= iou_threshold:",
     {"matching_with_duplicates", "map_over_images"}),
    ("ch04_cnn/sliding_window", "last_window_position_missed",
     "range(0, image_height - height + 1, stride)", "range(0, image_height - height, stride)",
     {"windows_of_one_size", "windows_of_several_sizes"}),
    ("ch04_cnn/sliding_window", "crop_axes_swapped",
     "image[int(y1):int(y2), int(x1):int(x2)]", "image[int(x1):int(x2), int(y1):int(y2)]",
     {"every_window_scored"}),
    ("ch04_cnn/region_proposals", "fill_term_forgotten",
     "fill = 1 - (height * width - size_i - size_j) / image_area", "fill = 1.0",
     {"similarity_by_hand", "many_cells"}),
    ("ch04_cnn/region_proposals", "merged_colour_not_size_weighted",
     "(size_i * colour_i + size_j * colour_j) / (size_i + size_j)", "(colour_i + colour_j) / 2",
     {"many_cells"}),
    # Issue 18: slips the graders used to miss.
    ("ch04_cnn/iou", "empty_union_test_assumes_pixels",
     "where=union > 0)", "where=union > 1)", {"normalised_coordinates"}),
    ("ch04_cnn/nms", "empty_union_test_assumes_pixels",
     "where=union > 0)", "where=union > 1)", {"normalised_and_empty_boxes"}),
    ("ch04_cnn/nms", "kept_box_left_among_the_rest",
     "np.array(remaining[1:], dtype=int)", "np.array(remaining, dtype=int)",
     {"normalised_and_empty_boxes"}),
    ("ch04_cnn/mean_average_precision", "class_with_one_box_skipped",
     "if n_ground_truth > 0:", "if n_ground_truth > 1:", {"class_with_one_object"}),
    ("ch04_cnn/region_proposals", "ties_go_to_the_last_pair",
     "if s > best:", "if s >= best:", {"rows_and_ties"}),
    ("ch04_cnn/region_proposals", "vertical_neighbours_forgotten",
     "zip(np.concatenate([segments[:, :-1].ravel(), segments[:-1].ravel()]),\n"
     "                    np.concatenate([segments[:, 1:].ravel(), segments[1:].ravel()]))",
     "zip(segments[:, :-1].ravel(), segments[:, 1:].ravel())", {"rows_and_ties"}),
    ("ch04_cnn/single_object_detection", "box_loss_averaged_over_coordinates",
     "np.sum(error**2) / len(error)", "np.mean(error**2)", {"two_images_by_hand", "box_loss_and_total"}),
    ("ch04_cnn/single_object_detection", "width_and_height_swapped",
     "(x2 - x1) / image_width, (y2 - y1) / image_height", "(x2 - x1) / image_height, (y2 - y1) / image_width",
     {"two_images_by_hand", "normalised_boxes"}),
    ("ch04_cnn/single_object_detection", "gradient_without_factor_two",
     "grad = 2 * lam * (box_pred - box_true)", "grad = lam * (box_pred - box_true)", {"box_gradient"}),
    ("ch04_cnn/single_object_detection", "scores_not_shifted_before_exp",
     "shifted = scores - scores.max(axis=1, keepdims=True)", "shifted = scores", {"cross_entropy"}),
    ("ch04_cnn/single_object_detection", "cross_entropy_summed_not_averaged",
     "return float(-np.sum(y * log_p) / len(scores))", "return float(-np.sum(y * log_p))",
     {"two_images_by_hand", "cross_entropy"}),
]

_RESHAPE = "numpy reads any negative size in reshape as the axis to infer, so -2 acts as -1"

# One-token boundary mutants that keep full marks because they compute the same thing
# (tests/boundary_mutants.py).
EQUIVALENT_MUTANTS = {
    ("ch04_cnn/box_regression", "g = np.asarray(ground_truth, dtype=float).reshape(-1, 4)", "1", "2"): _RESHAPE,
    ("ch04_cnn/box_regression", "p = np.asarray(proposals, dtype=float).reshape(-1, 4)", "1", "2"): _RESHAPE,
    ("ch04_cnn/box_regression", "t = np.asarray(deltas, dtype=float).reshape(-1, 4)", "1", "2"): _RESHAPE,
    ("ch04_cnn/iou", "a = np.asarray(boxes_a, dtype=float).reshape(-1, 4)", "1", "2"): _RESHAPE,
    ("ch04_cnn/iou", "b = np.asarray(boxes_b, dtype=float).reshape(-1, 4)", "1", "2"): _RESHAPE,
    ("ch04_cnn/mean_average_precision", "boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)", "1", "2"):
        _RESHAPE,
    ("ch04_cnn/mean_average_precision", "gt_boxes = np.asarray(gt_boxes, dtype=float).reshape(-1, 4)", "1", "2"):
        _RESHAPE,
    ("ch04_cnn/mean_average_precision",
     "boxes, labels = np.asarray(boxes, dtype=float).reshape(-1, 4), np.asarray(labels)", "1", "2"): _RESHAPE,
    ("ch04_cnn/mean_average_precision",
     "gt_boxes, gt_labels = np.asarray(gt_boxes, dtype=float).reshape(-1, 4), np.asarray(gt_labels)", "1", "2"):
        _RESHAPE,
    ("ch04_cnn/nms", "boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)", "1", "2"): _RESHAPE,
    ("ch04_cnn/nms", "scores = np.asarray(scores, dtype=float).reshape(-1)", "1", "2"): _RESHAPE,
    ("ch04_cnn/region_proposals", "return np.array(boxes, dtype=float).reshape(-1, 4)", "1", "2"): _RESHAPE,
    ("ch04_cnn/region_proposals", "if i < j:", "<", "<="):
        "a region is never its own neighbour (pairs come from a != b and merges drop i and j), so i == j never occurs",
    ("ch04_cnn/sliding_window", "return np.array(windows, dtype=float).reshape(-1, 4)", "1", "2"): _RESHAPE,
}
