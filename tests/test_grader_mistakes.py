"""Every grader catches the typical mistakes of its exercise, with feedback the student can act on.

Each row of MISTAKES makes one realistic mistake in a reference solution (a single text
replacement), runs every check of the exercise's grader on the mistaken and on the reference
solution, and requires the named checks to fail with non-empty feedback. So a grader that stops
catching a mistake -- a check deleted, an input too easy, a tolerance too loose -- fails here.
The replaced text must occur exactly once in the solution, so a solution edit breaks a row loudly
instead of silently testing nothing.
"""

import functools
import pathlib

import pytest

from dlcourse.grading.checks import checks_of, compare_results
from dlcourse.grading.probe import load_module, load_namespace, run_probe

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The mistaken solutions divide by zero or overflow on purpose.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

# (exercise id, mistake (for the test id), text in the solution, replacement, checks that must fail)
MISTAKES = [
    # --- ch03_sequence ------------------------------------------------------------------------
    ("ch03_sequence/rnn_forward", "W_hh_transposed",
     "h = np.tanh(h @ W_hh + x[:, t] @ W_xh)", "h = np.tanh(h @ W_hh.T + x[:, t] @ W_xh)",
     {"small_batch", "given_initial_state", "long_sequence_large_weights"}),
    ("ch03_sequence/rnn_forward", "h0_ignored",
     "h = np.asarray(h0, dtype=float)", "h = np.zeros_like(np.asarray(h0, dtype=float))",
     {"given_initial_state", "single_step"}),
    ("ch03_sequence/bptt_gradients", "no_tanh_derivative",
     "da = dh * (1.0 - h_t**2)", "da = dh",
     {"one_step", "several_steps", "recurrent_weights_and_initial_state"}),
    ("ch03_sequence/bptt_gradients", "no_gradient_through_time",
     "dh = error[:, t - 1] @ W_hy.T + da_next @ W_hh.T", "dh = error[:, t - 1] @ W_hy.T",
     {"several_steps", "recurrent_weights_and_initial_state"}),
    ("ch03_sequence/bptt_gradients", "mean_squared_loss",
     'grads["loss"] = 0.5 * float(np.sum(error**2))', 'grads["loss"] = float(np.mean(error**2))',
     {"one_step", "loss_value"}),
    ("ch03_sequence/causal_self_attention", "mask_with_0_not_minus_inf",
     "scores = np.where(causal_mask(x.shape[1]), scores, -np.inf)",
     "scores = np.where(causal_mask(x.shape[1]), scores, 0.0)",
     {"small_example", "attention_output_and_weights", "no_look_ahead_on_large_inputs"}),
    ("ch03_sequence/causal_self_attention", "mask_without_diagonal",
     "positions[:, None] >= positions[None, :]", "positions[:, None] > positions[None, :]",
     {"small_example", "mask_of_length_1_and_7", "attention_output_and_weights"}),
    ("ch03_sequence/causal_self_attention", "softmax_without_max_subtraction",
     "e = np.exp(scores - scores.max(axis=-1, keepdims=True))", "e = np.exp(scores)",
     {"no_look_ahead_on_large_inputs"}),
    ("ch03_sequence/gradient_clipping", "clip_by_norm_always_rescales",
     "g * (c / max(np.sqrt(np.sum(g**2)), c))", "g * (c / np.sqrt(np.sum(g**2)))",
     {"by_norm_above_and_below", "zero_gradient_and_no_side_effects"}),
    ("ch03_sequence/gradient_clipping", "per_gradient_norm_not_global",
     "return [g * scale for g in gradients], norm", "return [clip_by_norm(g, c) for g in gradients], norm",
     {"by_global_norm"}),
    ("ch03_sequence/gradient_clipping", "clips_in_place",
     "return np.minimum(np.maximum(np.asarray(g, dtype=float), -v), v)", "return np.clip(g, -v, v, out=g)",
     {"zero_gradient_and_no_side_effects"}),
    ("ch03_sequence/lstm_cell_forward", "x_before_h",
     "hx = np.concatenate([h_prev, x_t], axis=-1)", "hx = np.concatenate([x_t, h_prev], axis=-1)",
     {"one_step", "gates_take_h_before_x", "sequence"}),
    ("ch03_sequence/lstm_cell_forward", "forget_gate_missing",
     "c = f * c_prev + i * candidate", "c = c_prev + i * candidate",
     {"one_step", "sequence"}),
    ("ch03_sequence/lstm_cell_forward", "cell_state_not_carried",
     "h, c = lstm_step(x[:, t], h, c, params)", "h, _ = lstm_step(x[:, t], h, c, params)",
     {"sequence"}),
    ("ch03_sequence/rnn_cell_layer", "W_hh_transposed",
     "ops.matmul(states[0], self.w_hh)", "ops.matmul(states[0], ops.transpose(self.w_hh))",
     {"sequence_outputs", "last_output_and_state", "given_initial_state"}),
    ("ch03_sequence/scaled_dot_product_attention", "missing_1_over_sqrt_d_k",
     "scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])", "scores = q @ np.swapaxes(k, -1, -2)",
     {"single_sequence", "batched_and_scaled", "masked_keys"}),
    ("ch03_sequence/scaled_dot_product_attention", "mask_with_0_not_minus_inf",
     "scores = np.where(mask, scores, -np.inf)", "scores = np.where(mask, scores, 0.0)",
     {"masked_keys"}),
    ("ch03_sequence/scaled_dot_product_attention", "softmax_without_max_subtraction",
     "\n    scores = scores - scores.max(axis=-1, keepdims=True)", "",
     {"large_scores_stay_finite"}),
    ("ch03_sequence/self_attention_layer", "causal_mask_with_0",
     "scores = ops.where(allowed, scores, -1e9)", "scores = ops.where(allowed, scores, 0.0)",
     {"output_with_causal_mask", "attention_scores", "key_dim_larger_than_d_model"}),
    ("ch03_sequence/vanishing_gradients", "no_tanh_derivative",
     "jacobian = jacobian @ (W_hh * (1.0 - h_b**2))", "jacobian = jacobian @ W_hh",
     {"small_recurrent_weights", "large_recurrent_weights", "geometric_bound"}),
    ("ch03_sequence/vanishing_gradients", "product_in_wrong_order",
     "jacobian = jacobian @ (W_hh * (1.0 - h_b**2))", "jacobian = (W_hh * (1.0 - h_b**2)) @ jacobian",
     {"large_recurrent_weights"}),
    # --- ch04_cnn: convolution ---------------------------------------------------------------
    ("ch04_cnn/conv2d_naive", "same_padding_extra_pixel_before",
     "pads.append((total // 2, total - total // 2))", "pads.append((total - total // 2, total // 2))",
     {"same_padding"}),
    ("ch04_cnn/conv2d_naive", "kernel_flipped",
     "np.tensordot(field, kernel, axes", "np.tensordot(field, kernel[::-1, ::-1], axes",
     {"valid_single_channel", "batch_channels_and_bias", "stride_and_integer_padding", "same_padding"}),
    ("ch04_cnn/conv2d_naive", "same_output_size_floor",
     "out = -(-size // stride)", "out = size // stride",
     {"same_padding"}),
    ("ch04_cnn/conv2d_im2col", "columns_in_c_u_v_order",
     "patches = np.stack(taps, axis=3)", "patches = np.stack(taps, axis=4)",
     {"im2col_small", "im2col_stride_padding_dilation", "convolution_with_dilation"}),
    ("ch04_cnn/conv2d_im2col", "output_size_ignores_dilation",
     "oh = (h + 2 * padding - ((kh - 1) * dilation + 1)) // stride + 1",
     "oh = (h + 2 * padding - kh) // stride + 1",
     {"im2col_stride_padding_dilation", "convolution_with_dilation", "stride_and_dilation_together"}),
    ("ch04_cnn/conv2d_backward", "dx_overwritten_not_accumulated",
     "dx_pad[:, rows, cols, :] += ", "dx_pad[:, rows, cols, :] = ",
     {"single_image", "batch_and_channels", "overlapping_fields_and_wide_padding"}),
    ("ch04_cnn/conv2d_backward", "padding_cropped_on_the_wrong_side",
     "dx = dx_pad[:, p : p + x.shape[1], p : p + x.shape[2], :]", "dx = dx_pad[:, : x.shape[1], : x.shape[2], :]",
     {"stride_and_padding", "overlapping_fields_and_wide_padding"}),
    ("ch04_cnn/conv2d_backward", "dbias_mean_not_sum",
     "dy.sum(axis=(0, 1, 2))", "dy.mean(axis=(0, 1, 2))",
     {"single_image", "batch_and_channels", "stride_and_padding", "overlapping_fields_and_wide_padding"}),
    ("ch04_cnn/pooling", "overlapping_gradients_overwritten",
     "dx[:, rows, cols, :] += is_max", "dx[:, rows, cols, :] = is_max",
     {"max_pool_backward_overlapping"}),
    ("ch04_cnn/pooling", "average_backward_without_1_over_hw",
     "dy[:, None, None, :] / (h * w)", "dy[:, None, None, :]",
     {"global_average_pooling"}),
    ("ch04_cnn/pooling", "output_size_ignores_pool_size",
     "oh, ow = (h - pool_size) // stride + 1, (w - pool_size) // stride + 1", "oh, ow = h // stride, w // stride",
     {"max_pool_forward_overlapping"}),
    ("ch04_cnn/separable_convolution", "depthwise_channels_in_wrong_order",
     "return z.reshape(x.shape[0], oh, ow, c_in * m)",
     "return z.swapaxes(3, 4).reshape(x.shape[0], oh, ow, c_in * m)",
     {"depthwise_multiplier_stride_padding", "separable_forward"}),
    ("ch04_cnn/separable_convolution", "pointwise_count_ignores_multiplier",
     "kh * kw * c_in * m + c_in * m * c_out", "kh * kw * c_in * m + c_in * c_out",
     {"parameter_counts"}),
    ("ch04_cnn/svm_hinge_loss", "correct_class_margin_counted",
     "\n    margins[rows, y] = 0.0", "",
     {"small_problem", "larger_problem_with_penalty", "margins", "satisfied_and_violated_margins"}),
    ("ch04_cnn/svm_hinge_loss", "correct_class_gradient_minus_one",
     "grad_scores[rows, y] = -grad_scores.sum(axis=1)", "grad_scores[rows, y] = -1.0",
     {"small_problem", "larger_problem_with_penalty", "margins"}),
    ("ch04_cnn/svm_hinge_loss", "penalty_gradient_without_2",
     "2.0 * reg * W", "reg * W",
     {"larger_problem_with_penalty", "margins", "satisfied_and_violated_margins"}),
    ("ch04_cnn/softmax_classifier", "softmax_without_max_subtraction",
     "e = np.exp(scores - scores.max(axis=1, keepdims=True))", "e = np.exp(scores)",
     {"large_scores"}),
    ("ch04_cnn/softmax_classifier", "gradient_not_averaged",
     "dW = X.T @ grad_scores / n + 2.0 * reg * W", "dW = X.T @ grad_scores + 2.0 * reg * W",
     {"small_problem", "larger_problem_with_penalty", "large_scores"}),
    ("ch04_cnn/residual_block", "no_relu_after_the_sum",
     "return ops.relu(residual + shortcut)", "return residual + shortcut",
     {"identity_shortcut_inference", "projection_shortcut_inference", "strided_block", "training_mode"}),
    # --- ch04_cnn: detection -----------------------------------------------------------------
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
    # --- ch07_gnn -----------------------------------------------------------------------------
    ("ch07_gnn/adjacency_normalization", "symmetric_without_self_loops",
     "a = np.asarray(adjacency, dtype=float) + np.eye(len(adjacency))", "a = np.asarray(adjacency, dtype=float)",
     {"path_graph", "random_undirected_graph", "isolated_node", "directed_weighted_graph"}),
    ("ch07_gnn/adjacency_normalization", "mean_divides_by_in_degree",
     "degree = a.sum(axis=1, keepdims=True)", "degree = a.sum(axis=0, keepdims=True)",
     {"path_graph", "random_undirected_graph", "directed_weighted_graph"}),
    ("ch07_gnn/adjacency_normalization", "self_loops_added_in_place",
     "a = np.asarray(adjacency, dtype=float) + np.eye(len(adjacency))",
     "a = np.asarray(adjacency, dtype=float)\n    a += np.eye(len(adjacency))",
     {"does_not_modify_its_input"}),
    ("ch07_gnn/edge_prediction_heads", "naive_log_sigmoid",
     "return np.maximum(-z, 0.0) + np.log1p(np.exp(-np.abs(z)))", "return -np.log(1.0 / (1.0 + np.exp(-z)))",
     {"cross_entropy_including_huge_logits"}),
    ("ch07_gnn/edge_prediction_heads", "auc_ties_count_0",
     "(greater + 0.5 * ties)", "(greater + 0.0 * ties)",
     {"auc_with_ties"}),
    ("ch07_gnn/edge_prediction_heads", "mlp_without_relu",
     "np.maximum(joined @ w1 + b1, 0.0) @ w2 + b2", "(joined @ w1 + b1) @ w2 + b2",
     {"concatenation_head"}),
    ("ch07_gnn/gat_attention", "no_self_attention",
     "allowed = (np.asarray(adjacency) != 0) | np.eye(len(z), dtype=bool)", "allowed = np.asarray(adjacency) != 0",
     {"coefficients_on_a_triangle_with_a_pendant", "coefficients_on_a_directed_graph",
      "multi_head_concat_and_mean", "isolated_node_and_large_scores"}),
    ("ch07_gnn/gat_attention", "a_src_and_a_dst_swapped",
     "(z @ a_dst)[:, None] + (z @ a_src)[None, :]", "(z @ a_src)[:, None] + (z @ a_dst)[None, :]",
     {"coefficients_on_a_triangle_with_a_pendant", "coefficients_on_a_directed_graph",
      "multi_head_concat_and_mean"}),
    ("ch07_gnn/gat_attention", "softmax_without_max_subtraction",
     "\n    scores = scores - scores.max(axis=1, keepdims=True)", "",
     {"isolated_node_and_large_scores"}),
    ("ch07_gnn/gcn_layer", "sum_not_mean",
     "return total / np.maximum(count, 1.0).reshape((-1,) + (1,) * (messages.ndim - 1))", "return total",
     {"mean_aggregation_on_a_star", "gcn_layer_on_a_triangle", "random_directed_graph_with_repeats",
      "aggregate_mean_higher_rank"}),
    ("ch07_gnn/gcn_layer", "zero_in_degree_divides_by_zero",
     "np.maximum(count, 1.0)", "count",
     {"mean_aggregation_on_a_star", "aggregate_mean_higher_rank", "unknown_activation"}),
    ("ch07_gnn/gcn_layer", "messages_from_receivers",
     "messages = h[np.asarray(senders, dtype=int)]", "messages = h[np.asarray(receivers, dtype=int)]",
     {"gcn_layer_on_a_triangle", "random_directed_graph_with_repeats"}),
    ("ch07_gnn/gcn_symmetric", "no_self_loops",
     "a = np.asarray(adjacency, dtype=float) + np.eye(len(adjacency))", "a = np.asarray(adjacency, dtype=float)",
     {"layer_on_a_path", "linear_layer_on_a_random_graph", "two_layer_classifier"}),
    ("ch07_gnn/gcn_symmetric", "no_degree_normalization",
     "a_hat = scale[:, None] * a * scale[None, :]", "a_hat = a",
     {"layer_on_a_path", "linear_layer_on_a_random_graph", "two_layer_classifier"}),
    ("ch07_gnn/gcn_symmetric", "softmax_without_max_subtraction",
     "\n    logits = logits - logits.max(axis=1, keepdims=True)", "",
     {"large_logits_stay_finite"}),
    ("ch07_gnn/graph_augmentation", "triangles_not_halved",
     "np.diag(a @ a @ a) / 2.0", "np.diag(a @ a @ a)",
     {"features_of_a_bowtie", "features_of_a_random_graph"}),
    ("ch07_gnn/graph_augmentation", "virtual_node_self_loop",
     "\n    out[n, n] = 0.0", "",
     {"virtual_node"}),
    ("ch07_gnn/graph_augmentation", "two_hop_keeps_self_loops",
     "\n    np.fill_diagonal(pattern, 0.0)", "",
     {"two_hop_edges"}),
    ("ch07_gnn/graph_pooling_readout", "sum_readout_averages",
     '"sum": np.sum}', '"sum": np.mean}',
     {"readout_of_two_small_graphs", "shuffled_nodes_and_an_empty_graph"}),
    ("ch07_gnn/graph_pooling_readout", "blocks_not_offset",
     "\n        offset += size", "",
     {"batching_three_graphs"}),
    ("ch07_gnn/graphsage_aggregators", "mean_aggregator_sums",
     "return (a @ h) / np.maximum(degree, 1)", "return a @ h",
     {"mean_aggregator_on_a_star", "layer_with_both_aggregators", "without_normalization_and_zero_rows",
      "unknown_aggregator"}),
    ("ch07_gnn/graphsage_aggregators", "pool_without_relu",
     "pooled = np.maximum(h @ w_pool + b_pool, 0.0)", "pooled = h @ w_pool + b_pool",
     {"max_pool_aggregator", "layer_with_both_aggregators"}),
    ("ch07_gnn/graphsage_aggregators", "l2_norm_of_zero_rows",
     "np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)", "np.linalg.norm(out, axis=1, keepdims=True)",
     {"without_normalization_and_zero_rows"}),
    ("ch07_gnn/inductive_split", "validation_size_truncated",
     "n_val = int(round(validation_fraction * num_nodes))", "n_val = int(validation_fraction * num_nodes)",
     {"transductive_mask_sizes"}),
    ("ch07_gnn/inductive_split", "counts_kept_edges",
     "split[:, None] != split[None, :]", "split[:, None] == split[None, :]",
     {"subgraphs_of_a_random_graph", "directed_graph", "an_empty_split"}),
    ("ch07_gnn/inductive_split", "subgraph_keeps_all_columns",
     "a[np.ix_(nodes, nodes)]", "a[nodes]",
     {"subgraphs_of_a_random_graph", "directed_graph", "an_empty_split"}),
    ("ch07_gnn/neighbour_sampling", "sampled_with_replacement",
     "candidates = rng.choice(candidates, size=k, replace=False)",
     "candidates = rng.choice(candidates, size=k, replace=True)",
     {"one_sample_keeps_min_k_degree", "neighbours_are_kept_uniformly", "sampled_mean"}),
    ("ch07_gnn/neighbour_sampling", "first_k_neighbours",
     "candidates = rng.choice(candidates, size=k, replace=False)", "candidates = candidates[:k]",
     {"neighbours_are_kept_uniformly"}),
    ("ch07_gnn/neighbour_sampling", "mean_divides_by_k",
     "/ np.maximum(count, 1.0)", "/ k",
     {"sampled_mean"}),
    ("ch07_gnn/node2vec_transition", "p_and_q_swapped",
     "weights = np.where(a[previous], 1.0, 1.0 / q)\n    weights[previous] = 1.0 / p",
     "weights = np.where(a[previous], 1.0, 1.0 / p)\n    weights[previous] = 1.0 / q",
     {"probabilities_after_moving_0_to_2", "probabilities_for_every_edge", "walk_frequencies"}),
    ("ch07_gnn/node2vec_transition", "non_neighbours_not_masked",
     "\n    weights = np.where(a[current], weights, 0.0)", "",
     {"probabilities_after_moving_0_to_2", "probabilities_for_every_edge", "walk_frequencies"}),
    ("ch07_gnn/node2vec_transition", "walk_one_node_too_long",
     "for _ in range(length - 1):", "for _ in range(length):",
     {"walk_frequencies", "isolated_start"}),
    ("ch07_gnn/over_smoothing", "similarity_includes_the_diagonal",
     "(cosine.sum() - np.trace(cosine)) / (n * (n - 1))", "cosine.mean()",
     {"similarity_of_three_vectors", "similarity_with_a_zero_row", "curves_with_and_without_skip",
      "deep_stack_converges_without_skip"}),
    ("ch07_gnn/over_smoothing", "propagation_without_self_loops",
     "a = np.asarray(adjacency, dtype=float) + np.eye(len(adjacency))", "a = np.asarray(adjacency, dtype=float)",
     {"curves_with_and_without_skip", "deep_stack_converges_without_skip"}),
    ("ch07_gnn/over_smoothing", "skip_to_the_previous_layer",
     "h = (1 - alpha) * a_hat @ h + alpha * x", "h = (1 - alpha) * a_hat @ h + alpha * h",
     {"curves_with_and_without_skip", "deep_stack_converges_without_skip"}),
    ("ch07_gnn/permutation_equivariance", "permutation_matrix_transposed",
     "p[np.arange(perm.size), perm] = 1.0", "p[perm, np.arange(perm.size)] = 1.0",
     {"permutation_matrix_and_graph", "permuted_random_graph"}),
    ("ch07_gnn/permutation_equivariance", "adjacency_not_permuted_on_the_right",
     "p @ np.asarray(adjacency, dtype=float) @ p.T", "p @ np.asarray(adjacency, dtype=float)",
     {"permutation_matrix_and_graph", "permuted_random_graph", "detects_equivariance"}),
    ("ch07_gnn/permutation_equivariance", "output_not_permuted_back",
     "expected = permutation_matrix(perm) @ np.asarray(f(adjacency, x), dtype=float)",
     "expected = np.asarray(f(adjacency, x), dtype=float)",
     {"detects_equivariance"}),
    ("ch07_gnn/random_walks", "walk_one_node_too_long",
     "for _ in range(length - 1):", "for _ in range(length):",
     {"walk_on_a_cycle", "deepwalk_layout", "reproducible_with_the_generator"}),
    ("ch07_gnn/random_walks", "walks_grouped_by_node",
     "for _ in range(walks_per_node) for v in range(n)", "for v in range(n) for _ in range(walks_per_node)",
     {"deepwalk_layout", "reproducible_with_the_generator"}),
    ("ch07_gnn/random_walks", "global_random_state",
     "neighbours[rng.integers(neighbours.size)]", "neighbours[np.random.randint(neighbours.size)]",
     {"reproducible_with_the_generator"}),
    ("ch04_cnn/conv2d_naive", "same_padding_not_clamped_at_0",
     "total = max((out - 1) * stride + k - size, 0)", "total = (out - 1) * stride + k - size",
     {"same_padding"}),
    ("ch07_gnn/inductive_split", "global_random_state",
     "order = rng.permutation(num_nodes)", "order = np.random.permutation(num_nodes)",
     {"transductive_mask_sizes"}),
    ("ch07_gnn/neighbour_sampling", "global_random_state",
     "candidates = rng.choice(candidates, size=k, replace=False)",
     "candidates = np.random.choice(candidates, size=k, replace=False)",
     {"one_sample_keeps_min_k_degree"}),
    ("ch07_gnn/node2vec_transition", "global_random_state",
     "walk.append(int(rng.choice(len(a), p=probabilities)))",
     "walk.append(int(np.random.choice(len(a), p=probabilities)))",
     {"walk_frequencies"}),
]

# Rows whose mistake the grader misses today: strict xfails, so fixing the grader turns the row
# into an XPASS failure that asks for its entry here to be removed.
GRADER_GAPS: dict = {}


def _module_name(exercise, suffix):
    return "mistakes_" + exercise.replace("/", "_") + "_" + suffix


def _solution_path(exercise):
    return ROOT / "solutions" / f"{exercise}.py"


@functools.lru_cache(maxsize=None)
def _checks(exercise):
    path = ROOT / "graders" / f"{exercise}.py"
    return tuple(checks_of(load_namespace(path.read_text(), str(path))))


@functools.lru_cache(maxsize=None)
def _reference_results(exercise):
    """The reference solution's results of every check, computed once per exercise."""
    reference = load_module(str(_solution_path(exercise)), _module_name(exercise, "reference"))
    return {chk.name: run_probe(chk, reference) for chk in _checks(exercise)}


def _params():
    for exercise, mistake, old, new, failing in MISTAKES:
        gap = GRADER_GAPS.get((exercise, mistake))
        marks = [pytest.mark.xfail(strict=True, reason=f"grader gap: {gap}")] if gap else []
        yield pytest.param(exercise, old, new, failing, id=f"{exercise.split('/')[1]}-{mistake}", marks=marks)


def test_every_row_is_well_formed():
    """A solution edit or a renamed check must not make a row vacuous (checked here, outside the
    xfails of GRADER_GAPS, so it is loud for every row)."""
    for exercise, mistake, old, _, failing in MISTAKES:
        assert _solution_path(exercise).read_text().count(old) == 1, (
            f"{exercise} {mistake}: the mistake's text must occur exactly once in the solution")
        names = {chk.name for chk in _checks(exercise)}
        assert failing, f"{exercise} {mistake}: name at least one check that must fail"
        assert failing <= names, f"{exercise} {mistake}: no checks {sorted(failing - names)} in its grader"
    assert {(exercise, mistake) for exercise, mistake, *_ in MISTAKES} >= set(GRADER_GAPS)


@pytest.mark.parametrize("exercise, old, new, failing", list(_params()))
def test_mistake_loses_points_with_feedback(exercise, old, new, failing, tmp_path):
    source = _solution_path(exercise).read_text()
    assert source.count(old) == 1, f"the mistake's text must occur once in solutions/{exercise}.py"
    path = tmp_path / f"{pathlib.Path(exercise).name}.py"
    path.write_text(source.replace(old, new))
    wrong = load_module(str(path), _module_name(exercise, "wrong"))
    expected = _reference_results(exercise)
    failed = set()
    for chk in _checks(exercise):
        try:
            fraction, feedback = compare_results(chk, run_probe(chk, wrong), expected[chk.name])
        except Exception as err:  # a crash in the student's code is a failed check too
            fraction, feedback = 0.0, f"{type(err).__name__}: {err}"
        if fraction < 1.0:
            assert feedback, f"{chk.name} failed without feedback"
            failed.add(chk.name)
    assert failing <= failed, f"expected {sorted(failing)} to fail, failed: {sorted(failed)}"
