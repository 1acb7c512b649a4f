"""Realistic mistakes in chapter 8's pre-training exercises that their graders must catch.

Read by tests/test_grader_mistakes.py; the module docstring there says what a row means.
"""

_LOSS = "ch08_llm/causal_lm_loss"
_LOSS_CHECKS = {"one_sequence_of_three_tokens", "random_batch_without_mask", "padded_batch_with_a_mask",
                "two_tokens_per_row_and_fractional_weights", "large_logits_stay_finite", "perplexity_of_losses"}
_ADAMW = "ch08_llm/adamw_warmup_cosine"
_STEPS = {"first_update_from_zero_moments", "later_update_with_other_betas"}

# (exercise id, mistake (for the test id), text in the solution, replacement, checks that must fail)
MISTAKES = [
    # causal_lm_loss
    (_LOSS, "no_shift",
     "    scores = logits[:, :-1]  # position t scores the token at t + 1\n    targets = token_ids[:, 1:]",
     "    scores = logits\n    targets = token_ids",
     _LOSS_CHECKS),
    (_LOSS, "shifted_the_wrong_way",
     "    scores = logits[:, :-1]  # position t scores the token at t + 1\n    targets = token_ids[:, 1:]",
     "    scores = logits[:, 1:]\n    targets = token_ids[:, :-1]",
     _LOSS_CHECKS),
    (_LOSS, "mean_over_padded_positions",
     "return float((weights * nll).sum() / weights.sum())", "return float((weights * nll).sum() / weights.size)",
     {"padded_batch_with_a_mask", "two_tokens_per_row_and_fractional_weights"}),
    (_LOSS, "mask_aligned_with_the_inputs",
     "np.asarray(mask, dtype=float)[:, 1:]", "np.asarray(mask, dtype=float)[:, :-1]",
     {"padded_batch_with_a_mask", "two_tokens_per_row_and_fractional_weights"}),
    (_LOSS, "mask_binarised",
     "np.asarray(mask, dtype=float)[:, 1:]", "(np.asarray(mask) > 0).astype(float)[:, 1:]",
     {"two_tokens_per_row_and_fractional_weights"}),
    (_LOSS, "unstable_log_softmax",
     "shifted = scores - scores.max(axis=-1, keepdims=True)", "shifted = scores",
     {"large_logits_stay_finite"}),
    (_LOSS, "perplexity_in_base_two",
     "return float(np.exp(mean_nll))", "return float(2.0 ** mean_nll)",
     {"perplexity_of_losses"}),
    # adamw_warmup_cosine
    (_ADAMW, "weight_decay_coupled_into_the_gradient",
     "    theta = theta - learning_rate * weight_decay * theta  # decoupled weight decay\n",
     "    g = g + weight_decay * theta  # Adam with an L2 penalty\n",
     _STEPS | {"decay_alone_under_a_zero_gradient"}),
    (_ADAMW, "decay_not_scaled_by_the_learning_rate",
     "theta = theta - learning_rate * weight_decay * theta", "theta = theta - weight_decay * theta",
     _STEPS | {"decay_alone_under_a_zero_gradient"}),
    (_ADAMW, "decay_after_the_adam_step",
     "    theta = theta - learning_rate * weight_decay * theta  # decoupled weight decay\n"
     "    m = beta_1 * np.asarray(m, dtype=float) + (1 - beta_1) * g\n"
     "    v = beta_2 * np.asarray(v, dtype=float) + (1 - beta_2) * g ** 2\n"
     "    m_hat = m / (1 - beta_1 ** t)\n"
     "    v_hat = v / (1 - beta_2 ** t)\n"
     "    theta = theta - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)\n",
     "    m = beta_1 * np.asarray(m, dtype=float) + (1 - beta_1) * g\n"
     "    v = beta_2 * np.asarray(v, dtype=float) + (1 - beta_2) * g ** 2\n"
     "    m_hat = m / (1 - beta_1 ** t)\n"
     "    v_hat = v / (1 - beta_2 ** t)\n"
     "    theta = theta - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)\n"
     "    theta = theta - learning_rate * weight_decay * theta\n",
     {"first_update_from_zero_moments"}),
    (_ADAMW, "no_bias_correction",
     "    m_hat = m / (1 - beta_1 ** t)\n    v_hat = v / (1 - beta_2 ** t)",
     "    m_hat, v_hat = m, v",
     _STEPS),
    (_ADAMW, "warmup_off_by_one",
     "return peak_learning_rate * step / warmup_steps", "return peak_learning_rate * (step + 1) / warmup_steps",
     {"schedule_of_a_short_run", "schedule_edges_and_no_warmup"}),
    (_ADAMW, "cosine_over_total_steps",
     "progress = (step - warmup_steps) / (total_steps - warmup_steps)", "progress = step / total_steps",
     {"schedule_of_a_short_run", "schedule_edges_and_no_warmup"}),
    (_ADAMW, "cosine_from_zero_after_warmup",
     "progress = (step - warmup_steps) / (total_steps - warmup_steps)",
     "progress = (step - warmup_steps) / total_steps",
     {"schedule_of_a_short_run", "schedule_edges_and_no_warmup"}),
    (_ADAMW, "no_floor_after_the_decay",
     "    if step > total_steps:\n        return min_learning_rate\n", "",
     {"schedule_of_a_short_run", "schedule_edges_and_no_warmup"}),
]

EQUIVALENT_MUTANTS = {
    ("ch08_llm/adamw_warmup_cosine", "if step > total_steps:", ">", ">="):
        "at step = T_c the cosine branch gives eta_min + (eta_max - eta_min)(1 + cos pi) / 2 = eta_min as well",
}
