"""Byte-level BPE: `dlcourse.llm.BytePairTokenizer` against Hugging Face `tokenizers` (Rust).

Both train a byte-level BPE of the same vocabulary size (256 bytes + merges + "<|endoftext|>")
with GPT-2's pre-tokenizer on the same corpus, then encode the same held-out text. The corpus
is generated, nothing is downloaded: sentences of the package's grammar corpus
(`dlcourse.data.grammar_corpus`) mixed with a Zipf-distributed vocabulary of pseudo-words made
of Latin, accented, Cyrillic and CJK syllables (so that the merges reach a long tail, as on
real text). Measured, in one run, each as the median of `--repeats` interleaved repeats:

- training time: `BytePairTokenizer.train` against `Tokenizer.train_from_iterator` with a
  `BpeTrainer` (HF's time includes its pre-tokenization, as ours does);
- encoding throughput in MB/s of UTF-8 text: `encode` of every held-out document in a loop,
  ours with an empty cache (a fresh tokenizer) and warm (second pass), against HF's `encode`
  in the same loop and its `encode_batch`.

The printed ratio is HF's speed over ours (how many times faster the Rust library is). HF
uses `--threads` Rayon threads (default 1, like our single Python thread). No timing is
asserted anywhere. Run from the repository root:

    python benchmarks/bpe_vs_tokenizers.py [--quick] [--repeats 3] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EOT = "<|endoftext|>"
_SYLLABLES = ("ka ri to ne sa mu lo vi de ba ch st th ing er an qu ex "
              "é ü ñ ça ør ß да ни ко ва 日 本 語 水 火 山").split()


def make_corpus(num_documents, seed=0):
    """Documents of grammar sentences and Zipf-distributed pseudo-words (train and held-out alike)."""
    import numpy as np

    from dlcourse.data.text import grammar_corpus

    rng = np.random.default_rng(seed)
    vocabulary = ["".join(rng.choice(_SYLLABLES, size=rng.integers(1, 5))) for _ in range(5000)]
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    sentences, _ = grammar_corpus(num_documents * 4, seed=seed)
    documents = []
    for index in range(num_documents):
        words = rng.choice(vocabulary, size=int(rng.integers(20, 60)), p=weights)
        punctuation = rng.choice([".", ",", "!", "?", " 2024", "\n"], size=len(words))
        prose = " ".join(w + p if rng.random() < 0.15 else w for w, p in zip(words, punctuation))
        documents.append(". ".join(sentences[4 * index:4 * index + 4]) + ". " + prose)
    return documents


def _hf_train(texts, vocabulary_size):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    trainer = trainers.BpeTrainer(vocab_size=vocabulary_size, min_frequency=0, special_tokens=[EOT],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small corpus (seconds), for a smoke run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="Rayon threads of HF tokenizers")
    parser.add_argument("--vocabulary-size", type=int, default=None)
    args = parser.parse_args(argv)
    os.environ["RAYON_NUM_THREADS"] = str(args.threads)  # read when tokenizers starts its pool
    os.environ["TOKENIZERS_PARALLELISM"] = "true" if args.threads > 1 else "false"

    from dlcourse.llm import BytePairTokenizer

    num_documents = 500 if args.quick else 5000
    vocabulary_size = args.vocabulary_size or (512 if args.quick else 2048)
    train = make_corpus(num_documents, seed=0)
    held_out = make_corpus(num_documents // 5, seed=1)
    train_mb = sum(len(t.encode("utf-8")) for t in train) / 1e6
    held_mb = sum(len(t.encode("utf-8")) for t in held_out) / 1e6
    print(f"corpus: {len(train)} training documents ({train_mb:.2f} MB), {len(held_out)} held-out ({held_mb:.2f} MB); "
          f"vocabulary {vocabulary_size}; HF threads {args.threads}")

    times = {name: [] for name in ("train ours", "train hf", "encode ours (cold)", "encode ours (warm)",
                                   "encode hf", "encode_batch hf")}
    for repeat in range(args.repeats):
        order = [0, 1] if repeat % 2 == 0 else [1, 0]
        for which in order:
            if which == 0:
                seconds, ours = _timed(lambda: BytePairTokenizer.train(train, vocabulary_size))
                times["train ours"].append(seconds)
            else:
                seconds, hf = _timed(lambda: _hf_train(train, vocabulary_size))
                times["train hf"].append(seconds)
        fresh = BytePairTokenizer.from_config(ours.get_config())
        seconds, our_ids = _timed(lambda: [fresh.encode(t) for t in held_out])
        times["encode ours (cold)"].append(seconds)
        times["encode ours (warm)"].append(_timed(lambda: [fresh.encode(t) for t in held_out])[0])
        times["encode hf"].append(_timed(lambda: [hf.encode(t).ids for t in held_out])[0])
        times["encode_batch hf"].append(_timed(lambda: hf.encode_batch(held_out))[0])

    median = {name: statistics.median(values) for name, values in times.items()}
    tokens = sum(len(ids) for ids in our_ids)
    hf_tokens = sum(len(hf.encode(t).ids) for t in held_out)
    print(f"merges: ours {len(ours.merges)}, HF {hf.get_vocab_size() - 257}; held-out tokens: ours {tokens}, "
          f"HF {hf_tokens} (the tie rules differ, see tests/test_llm_bpe.py)")
    print(f"{'measurement':<24}{'ours':>14}{'HF tokenizers':>16}{'HF / ours':>12}")
    print(f"{'training (s)':<24}{median['train ours']:>14.3f}{median['train hf']:>16.3f}"
          f"{median['train ours'] / median['train hf']:>11.1f}x")
    for label, key in (("encode, cold (MB/s)", "encode ours (cold)"), ("encode, warm (MB/s)", "encode ours (warm)")):
        ours_speed, hf_speed = held_mb / median[key], held_mb / median["encode hf"]
        print(f"{label:<24}{ours_speed:>14.2f}{hf_speed:>16.2f}{hf_speed / ours_speed:>11.1f}x")
    batch_speed = held_mb / median["encode_batch hf"]
    cold = held_mb / median["encode ours (cold)"]
    print(f"{'encode_batch (MB/s)':<24}{cold:>14.2f}{batch_speed:>16.2f}{batch_speed / cold:>11.1f}x")


if __name__ == "__main__":
    main()
