"""Realistic mistakes in chapter 8's BPE tokenizer exercises that their graders must catch.

Read by tests/test_grader_mistakes.py; the module docstring there says what a row means.
"""

_TRAIN_CHECKS = {"sennrich_dictionary", "ties_broken_by_the_greatest_pair", "random_corpora_with_unicode"}

# (exercise id, mistake (for the test id), text in the solution, replacement, checks that must fail)
MISTAKES = [
    # bpe_train_merges
    ("ch08_llm/bpe_train_merges", "ties_to_the_first_pair_seen",
     "best = max(pairs, key=lambda pair: (pairs[pair], pair))", "best = max(pairs, key=pairs.get)",
     {"ties_broken_by_the_greatest_pair", "sennrich_dictionary"}),
    ("ch08_llm/bpe_train_merges", "ties_to_the_smallest_pair",
     "best = max(pairs, key=lambda pair: (pairs[pair], pair))",
     "best = min(pairs, key=lambda pair: (-pairs[pair], pair))",
     _TRAIN_CHECKS),
    ("ch08_llm/bpe_train_merges", "pairs_counted_once_before_merging",
     "    for _ in range(num_merges):\n"
     "        pairs = {}\n"
     "        for word, count in words.items():\n"
     "            for pair in zip(word, word[1:]):\n"
     "                pairs[pair] = pairs.get(pair, 0) + count\n"
     "        if not pairs:\n"
     "            break\n"
     "        best = max(pairs, key=lambda pair: (pairs[pair], pair))\n",
     "    pairs = {}\n"
     "    for word, count in words.items():\n"
     "        for pair in zip(word, word[1:]):\n"
     "            pairs[pair] = pairs.get(pair, 0) + count\n"
     "    for _ in range(num_merges):\n"
     "        if not pairs:\n"
     "            break\n"
     "        best = max(pairs, key=lambda pair: (pairs[pair], pair))\n"
     "        del pairs[best]\n",
     _TRAIN_CHECKS),
    ("ch08_llm/bpe_train_merges", "pre_tokens_not_weighted_by_count",
     "pairs[pair] = pairs.get(pair, 0) + count", "pairs[pair] = pairs.get(pair, 0) + 1",
     _TRAIN_CHECKS),
    ("ch08_llm/bpe_train_merges", "pairs_counted_across_pre_tokens",
     "        for word, count in words.items():\n            for pair in zip(word, word[1:]):\n",
     "        corpus = [symbol for word, count in words.items() for _ in range(count) for symbol in word]\n"
     "        for count, pair in [(1, pair) for pair in zip(corpus, corpus[1:])]:\n"
     "            if True:\n",
     _TRAIN_CHECKS),
    ("ch08_llm/bpe_train_merges", "overlapping_pair_counted_once",
     "            for pair in zip(word, word[1:]):\n",
     "            for pair in set(zip(word, word[1:])):\n",
     {"overlaps_exhaustion_and_no_mutation"}),
    ("ch08_llm/bpe_train_merges", "input_counts_overwritten",
     "        words = merged_words\n",
     "        pretoken_counts.clear()\n        pretoken_counts.update(merged_words)\n        words = merged_words\n",
     {"overlaps_exhaustion_and_no_mutation"}),
    # bpe_encode_decode
    ("ch08_llm/bpe_encode_decode", "leftmost_mergeable_pair_first",
     'best = min(zip(symbols, symbols[1:]), key=lambda pair: ranks.get(pair, float("inf")))',
     "best = next((pair for pair in zip(symbols, symbols[1:]) if pair in ranks), None)",
     {"lowest_rank_first"}),
    ("ch08_llm/bpe_encode_decode", "no_pre_tokenization",
     "for piece in pretokenize(chunk):", "for piece in [chunk]:",
     {"pre_tokens_never_merged_across"}),
    ("ch08_llm/bpe_encode_decode", "special_tokens_pre_tokenized_as_text",
     "    if special_tokens:\n        chunks", "    if False:\n        chunks",
     {"special_tokens_kept_whole", "unicode_round_trip"}),
    ("ch08_llm/bpe_encode_decode", "special_ids_right_after_the_bytes",
     "special_ids = {token: 256 + len(merges) + j", "special_ids = {token: 256 + j",
     {"special_tokens_kept_whole", "unicode_round_trip"}),
    ("ch08_llm/bpe_encode_decode", "each_token_decoded_on_its_own",
     'return b"".join(vocabulary[token_id] for token_id in ids).decode("utf-8", errors="replace")',
     'return "".join(vocabulary[token_id].decode("utf-8", errors="replace") for token_id in ids)',
     {"decode_arbitrary_ids"}),
    ("ch08_llm/bpe_encode_decode", "decode_without_errors_replace",
     '.decode("utf-8", errors="replace")', '.decode("utf-8")',
     {"decode_arbitrary_ids"}),
]

EQUIVALENT_MUTANTS = {
    ("ch08_llm/bpe_train_merges", "pairs[pair] = pairs.get(pair, 0) + count", "0", "1"):
        "adds 1 to every pair's count: the same argmax and the same ties",
    ("ch08_llm/bpe_encode_decode", "ids_of = {bytes([byte]): byte for byte in range(256)}", "256", "255"):
        "drops byte 0xFF, which UTF-8 never produces, so no text's encoding needs it",
}
