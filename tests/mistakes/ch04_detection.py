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
]
