"""Realistic mistakes in chapter 8's model exercises (RoPE, RMSNorm, the LM block, the KV cache)
that their graders must catch.

Read by tests/test_grader_mistakes.py; the module docstring there says what a row means.
"""

# (exercise id, mistake (for the test id), text in the solution, replacement, checks that must fail)
MISTAKES = [
    # rope
    ("ch08_llm/rope", "halves_not_interleaved",
     "even, odd = x[:, 0::2], x[:, 1::2]\n    y = np.empty_like(x)\n"
     "    y[:, 0::2] = even * cos - odd * sin\n    y[:, 1::2] = even * sin + odd * cos",
     "even, odd = x[:, : d // 2], x[:, d // 2:]\n    y = np.empty_like(x)\n"
     "    y[:, : d // 2] = even * cos - odd * sin\n    y[:, d // 2:] = even * sin + odd * cos",
     {"three_positions", "wide_and_far", "other_base"}),
    ("ch08_llm/rope", "theta_exponent_without_the_2",
     "theta = base ** (-2 * np.arange(d // 2) / d)", "theta = base ** (-np.arange(d // 2) / d)",
     {"three_positions", "wide_and_far", "other_base"}),
    ("ch08_llm/rope", "theta_positive_exponent",
     "theta = base ** (-2 * np.arange(d // 2) / d)", "theta = base ** (2 * np.arange(d // 2) / d)",
     {"three_positions", "wide_and_far", "other_base"}),
    ("ch08_llm/rope", "rotation_the_wrong_way",
     "y[:, 0::2] = even * cos - odd * sin\n    y[:, 1::2] = even * sin + odd * cos",
     "y[:, 0::2] = even * cos + odd * sin\n    y[:, 1::2] = -even * sin + odd * cos",
     {"three_positions", "wide_and_far", "other_base", "one_pair"}),
    ("ch08_llm/rope", "row_index_instead_of_position",
     "angles = np.asarray(positions, dtype=float)[:, None] * theta[None, :]",
     "angles = np.arange(x.shape[0], dtype=float)[:, None] * theta[None, :]",
     {"wide_and_far", "other_base"}),
    ("ch08_llm/rope", "base_ignored",
     "theta = base ** (-2 * np.arange(d // 2) / d)", "theta = 10000.0 ** (-2 * np.arange(d // 2) / d)",
     {"other_base"}),
    ("ch08_llm/rope", "writes_into_x",
     "    y = np.empty_like(x)\n", "    y = x\n    even, odd = even.copy(), odd.copy()\n",
     {"input_not_modified"}),
    # rms_norm
    ("ch08_llm/rms_norm", "mean_subtracted_like_layer_norm",
     "mean_square = np.mean(x ** 2, axis=-1, keepdims=True)\n    return np.asarray(g, dtype=float) * x / ",
     "x = x - x.mean(axis=-1, keepdims=True)\n    mean_square = np.mean(x ** 2, axis=-1, keepdims=True)\n"
     "    return np.asarray(g, dtype=float) * x / ",
     {"rows_with_a_gain", "batch_of_sequences", "eps_matters_for_small_vectors", "default_eps"}),
    ("ch08_llm/rms_norm", "eps_outside_the_sqrt",
     "x / np.sqrt(mean_square + eps)", "x / (np.sqrt(mean_square) + eps)",
     {"eps_matters_for_small_vectors", "default_eps"}),
    ("ch08_llm/rms_norm", "sum_not_mean",
     "mean_square = np.mean(x ** 2, axis=-1, keepdims=True)", "mean_square = np.sum(x ** 2, axis=-1, keepdims=True)",
     {"rows_with_a_gain", "batch_of_sequences", "eps_matters_for_small_vectors", "default_eps"}),
    ("ch08_llm/rms_norm", "normalised_over_the_wrong_axis",
     "mean_square = np.mean(x ** 2, axis=-1, keepdims=True)", "mean_square = np.mean(x ** 2, axis=0, keepdims=True)",
     {"rows_with_a_gain", "batch_of_sequences", "eps_matters_for_small_vectors", "default_eps"}),
    ("ch08_llm/rms_norm", "gain_forgotten",
     "return np.asarray(g, dtype=float) * x / np.sqrt(mean_square + eps)", "return x / np.sqrt(mean_square + eps)",
     {"rows_with_a_gain", "batch_of_sequences", "default_eps"}),
    ("ch08_llm/rms_norm", "normalised_in_place",
     "    x = np.asarray(x, dtype=float)\n    mean_square = np.mean(x ** 2, axis=-1, keepdims=True)\n"
     "    return np.asarray(g, dtype=float) * x / np.sqrt(mean_square + eps)",
     "    x = np.asarray(x, dtype=float)\n    mean_square = np.mean(x ** 2, axis=-1, keepdims=True)\n"
     "    x *= np.asarray(g, dtype=float) / np.sqrt(mean_square + eps)\n    return x",
     {"input_not_modified"}),
    # transformer_lm_block
    ("ch08_llm/transformer_lm_block", "causal_mask_missing",
     "    scores = np.where(future, -np.inf, scores)\n", "",
     {"one_head_attention", "multi_head_attention", "pre_ln_block", "other_sizes", "future_tokens_do_not_matter"}),
    ("ch08_llm/transformer_lm_block", "mask_hides_the_diagonal_too",
     "future = np.arange(length)[None, :] > np.arange(length)[:, None]",
     "future = np.arange(length)[None, :] >= np.arange(length)[:, None]",
     {"one_head_attention", "multi_head_attention", "pre_ln_block", "other_sizes", "future_tokens_do_not_matter"}),
    ("ch08_llm/transformer_lm_block", "post_ln_instead_of_pre_ln",
     "    h = x + causal_self_attention(layer_norm(x, p[\"gamma_1\"], p[\"beta_1\"]), p, num_heads)\n"
     "    z = layer_norm(h, p[\"gamma_2\"], p[\"beta_2\"])\n"
     "    return h + gelu(z @ p[\"W_1\"] + p[\"b_1\"]) @ p[\"W_2\"] + p[\"b_2\"]",
     "    h = layer_norm(x + causal_self_attention(x, p, num_heads), p[\"gamma_1\"], p[\"beta_1\"])\n"
     "    return layer_norm(h + gelu(h @ p[\"W_1\"] + p[\"b_1\"]) @ p[\"W_2\"] + p[\"b_2\"], p[\"gamma_2\"], "
     "p[\"beta_2\"])",
     {"pre_ln_block", "other_sizes", "future_tokens_do_not_matter"}),
    ("ch08_llm/transformer_lm_block", "residual_adds_the_normalized_input",
     "    z = layer_norm(h, p[\"gamma_2\"], p[\"beta_2\"])\n    return h + gelu(",
     "    z = layer_norm(h, p[\"gamma_2\"], p[\"beta_2\"])\n    return z + gelu(",
     {"pre_ln_block", "other_sizes", "future_tokens_do_not_matter"}),
    ("ch08_llm/transformer_lm_block", "scaled_by_sqrt_d_model",
     "/ np.sqrt(q.shape[-1])", "/ np.sqrt(x.shape[-1])",
     {"multi_head_attention", "pre_ln_block", "other_sizes", "future_tokens_do_not_matter"}),
    ("ch08_llm/transformer_lm_block", "output_projection_bias_missing",
     "return context @ p[\"W_o\"] + p[\"b_o\"]", "return context @ p[\"W_o\"]",
     {"one_head_attention", "multi_head_attention", "pre_ln_block", "other_sizes", "future_tokens_do_not_matter"}),
    # kv_cache_decoding
    ("ch08_llm/kv_cache_decoding", "cache_not_appended",
     "    return weights @ values, keys, values", "    return weights @ values, cache_k, cache_v",
     {"first_step_from_an_empty_cache", "step_with_three_cached", "decode_equals_causal_attention",
      "large_scores_stay_finite"}),
    ("ch08_llm/kv_cache_decoding", "new_key_prepended",
     "keys = np.concatenate([np.asarray(cache_k, dtype=float), k[None, :]], axis=0)\n"
     "    values = np.concatenate([np.asarray(cache_v, dtype=float), v[None, :]], axis=0)",
     "keys = np.concatenate([k[None, :], np.asarray(cache_k, dtype=float)], axis=0)\n"
     "    values = np.concatenate([v[None, :], np.asarray(cache_v, dtype=float)], axis=0)",
     {"step_with_three_cached"}),
    ("ch08_llm/kv_cache_decoding", "new_position_not_attended",
     "    scores = keys @ q / np.sqrt(q.shape[0])\n    e = np.exp(scores - scores.max())\n"
     "    weights = e / e.sum()\n    return weights @ values, keys, values",
     "    old_k, old_v = (keys[:-1], values[:-1]) if len(keys) > 1 else (keys, values)\n"
     "    scores = old_k @ q / np.sqrt(q.shape[0])\n    e = np.exp(scores - scores.max())\n"
     "    weights = e / e.sum()\n    return weights @ old_v, keys, values",
     {"step_with_three_cached", "decode_equals_causal_attention", "large_scores_stay_finite"}),
    ("ch08_llm/kv_cache_decoding", "attends_to_the_whole_sequence",
     "    for x_t in x:\n        b_t, cache_k, cache_v = attention_step(x_t, W_q, W_k, W_v, cache_k, cache_v)\n"
     "        outputs.append(b_t)\n    return np.stack(outputs)",
     "    for x_t in x:\n        _, cache_k, cache_v = attention_step(x_t, W_q, W_k, W_v, cache_k, cache_v)\n"
     "    for x_t in x:\n        outputs.append(attention_step(x_t, W_q, W_k, W_v, cache_k[:-1], cache_v[:-1])[0])\n"
     "    return np.stack(outputs)",
     {"decode_equals_causal_attention", "large_scores_stay_finite"}),
    ("ch08_llm/kv_cache_decoding", "not_scaled_by_sqrt_d_k",
     "scores = keys @ q / np.sqrt(q.shape[0])", "scores = keys @ q",
     {"step_with_three_cached", "decode_equals_causal_attention", "large_scores_stay_finite"}),
    ("ch08_llm/kv_cache_decoding", "softmax_not_stabilised",
     "e = np.exp(scores - scores.max())", "e = np.exp(scores)",
     {"large_scores_stay_finite"}),
    ("ch08_llm/kv_cache_decoding", "cache_appended_in_place",
     "    return weights @ values, keys, values",
     "    cache_k = np.asarray(cache_k)\n    if cache_k.size:\n        cache_k[-1] = keys[-1]\n"
     "    return weights @ values, keys, values",
     {"caches_not_modified"}),
]

EQUIVALENT_MUTANTS = {
    ("ch08_llm/transformer_lm_block", "return m.reshape(batch, length, num_heads, -1).transpose(0, 2, 1, 3)", "1", "2"):
        "numpy's reshape reads any negative size as the one unknown dimension: -2 is -1",
    ("ch08_llm/transformer_lm_block", "context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)",
     "1", "2"): "numpy's reshape reads any negative size as the one unknown dimension: -2 is -1",
}
