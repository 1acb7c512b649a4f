"""Chapter 8's byte-level BPE tokenizer against independent oracles: the code of Sennrich et al.
(2016), Algorithm 1, run as printed; Hugging Face `tokenizers`' BPE trainer and BPE model on the
same corpus and GPT-2 pre-tokenization; plus round trips on arbitrary Unicode, special tokens,
the JSON config, and the exercises tied to their library twin."""

import collections
import json
import pathlib
import re

import numpy as np
import pytest

from dlcourse.data.text import grammar_corpus
from dlcourse.grading.probe import load_module
from dlcourse.llm import BytePairTokenizer, learn_merges, pretokenize, train_bpe
from dlcourse.llm.bpe import GPT2_SPLIT_PATTERN

ROOT = pathlib.Path(__file__).resolve().parents[1]
EOT = "<|endoftext|>"
UNICODE_TEXTS = [
    "naïve café, Ünïcödé façade; e\u0301 and o\u0308 with combining marks",
    "日本語のテキストと漢字 中文 한국어", "emoji 🐱🐶🚀 and 👩‍💻 (a ZWJ sequence)",
    "Добро пожаловать, мир! 123 4567 89", "  runs   of    spaces\tand\ttabs\n\n\nnewlines  ",
    "it's we'll they've I'm you'd don't", "math: ∑ x² ≤ ∞ → λ",
]


def _corpus():
    sentences, _ = grammar_corpus(400, seed=3)
    return sentences + UNICODE_TEXTS * 4


def _random_text(rng, length):
    """Seeded random Unicode (hypothesis is not installed): every pool the tokenizer must survive."""
    pools = ["abcxyz ", "     ", "\n\r\t", "éüßñÅ", "\u0301\u0308\u20dd", "日本語漢字한국", "🐱🐶🚀👩\u200d💻",
             "0123456789", ".,!?'s'll-", "\x00\x7f\u00a0\u2028", EOT[:3], "\ud7ff\ue000\U0010ffff"]
    return "".join(rng.choice(list(pools[rng.integers(len(pools))])) for _ in range(length))


# --- Sennrich et al. (2016), Algorithm 1 -------------------------------------------------------

def _algorithm_1(vocab, num_merges, tie_rule=None):
    """The paper's Algorithm 1 as printed (Python 3), returning its merges and their counts.

    With `tie_rule=None` the paper's own `max(pairs, key=pairs.get)` breaks ties (the first
    pair seen); otherwise `max` takes (count, pair), our rule."""

    def get_stats(vocab):
        pairs = collections.defaultdict(int)
        for word, freq in vocab.items():
            symbols = word.split()
            for i in range(len(symbols) - 1):
                pairs[symbols[i], symbols[i + 1]] += freq
        return pairs

    def merge_vocab(pair, v_in):
        v_out = {}
        bigram = re.escape(" ".join(pair))
        p = re.compile(r"(?<!\S)" + bigram + r"(?!\S)")
        for word in v_in:
            w_out = p.sub("".join(pair), word)
            v_out[w_out] = v_in[word]
        return v_out

    merges, counts = [], []
    for _ in range(num_merges):
        pairs = get_stats(vocab)
        best = max(pairs, key=pairs.get) if tie_rule is None else max(pairs, key=lambda p: (pairs[p], p))
        merges.append(best)
        counts.append(pairs[best])
        vocab = merge_vocab(best, vocab)
    return merges, counts, vocab


SENNRICH_VOCAB = {"l o w </w>": 5, "l o w e r </w>": 2, "n e w e s t </w>": 6, "w i d e s t </w>": 3}


def _symbols(vocab):
    return {tuple(word.split()): count for word, count in vocab.items()}


def _segment(word, merges):
    """Applies merges in order to a tuple of symbols (each merge everywhere, left to right)."""
    word = list(word)
    for a, b in merges:
        out, i = [], 0
        while i < len(word):
            if i + 1 < len(word) and word[i] == a and word[i + 1] == b:
                out.append(a + b)
                i += 2
            else:
                out.append(word[i])
                i += 1
        word = out
    return tuple(word)


@pytest.mark.backend_neutral
def test_sennrich_algorithm_1_with_our_tie_rule_gives_our_merges():
    theirs, their_counts, _ = _algorithm_1(SENNRICH_VOCAB, 10, tie_rule="greatest")
    ours, our_counts = learn_merges(_symbols(SENNRICH_VOCAB), 10, return_counts=True)
    assert ours == theirs
    assert our_counts == their_counts


@pytest.mark.backend_neutral
def test_sennrich_algorithm_1_as_printed_agrees_up_to_tie_order():
    """The paper breaks ties by the first pair seen (es before st before t</w>), we by the greatest
    pair (t</w> first): the orders differ, the counts of the 10 merges and the final
    segmentation of every word do not."""
    theirs, their_counts, their_vocab = _algorithm_1(SENNRICH_VOCAB, 10)
    ours, our_counts = learn_merges(_symbols(SENNRICH_VOCAB), 10, return_counts=True)
    assert theirs[:3] == [("e", "s"), ("es", "t"), ("est", "</w>")]  # the paper's first merges
    assert ours[:3] == [("t", "</w>"), ("s", "t</w>"), ("e", "st</w>")]
    assert our_counts == their_counts == [9, 9, 9, 7, 7, 6, 6, 6, 5, 3]
    assert {_segment(word, ours) for word in _symbols(SENNRICH_VOCAB)} == set(_symbols(their_vocab))


@pytest.mark.backend_neutral
def test_learn_merges_equals_naive_recounting_on_random_words():
    """The incremental pair-count update against Algorithm 1 (which recounts after every merge)."""
    rng = np.random.default_rng(0)
    for _ in range(5):
        vocab = {" ".join(rng.choice(list("abcab"), size=rng.integers(1, 9))): int(rng.integers(1, 6))
                 for _ in range(30)}
        total = sum(len(w.split()) - 1 for w in vocab)
        theirs, their_counts, _ = _algorithm_1(vocab, min(total, 40) // 2, tie_rule="greatest")
        assert learn_merges(_symbols(vocab), len(theirs), return_counts=True) == (theirs, their_counts)


# --- Hugging Face tokenizers -------------------------------------------------------------------

def _hf_byte_alphabet():
    """GPT-2's bytes_to_unicode table, as HF's ByteLevel uses it: byte -> printable character."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    table, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            table[byte] = chr(byte)
        else:
            table[byte] = chr(256 + extra)
            extra += 1
    return table


def _hf_trained(texts, num_merges):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    trainer = trainers.BpeTrainer(vocab_size=256 + 1 + num_merges, min_frequency=0, special_tokens=[EOT],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(texts, trainer)
    to_byte = {char: byte for byte, char in _hf_byte_alphabet().items()}
    merges = json.loads(tokenizer.to_str())["model"]["merges"]
    merges = [pair.split(" ") if isinstance(pair, str) else pair for pair in merges]
    return [tuple(bytes(to_byte[c] for c in part) for part in pair) for pair in merges]


def _hf_with_our_merges(tokenizer):
    """HF's BPE model loaded with our vocabulary and merges (in its byte-to-unicode alphabet)."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    alphabet = _hf_byte_alphabet()

    def text(token):
        return "".join(alphabet[byte] for byte in token)

    vocab = {text(tokenizer.id_to_bytes(i)): i for i in range(256 + len(tokenizer.merges))}
    vocab.update({token: tokenizer.token_to_id(token) for token in tokenizer.special_tokens})
    hf = Tokenizer(models.BPE(vocab=vocab, merges=[(text(a), text(b)) for a, b in tokenizer.merges]))
    hf.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    hf.decoder = decoders.ByteLevel()
    hf.add_special_tokens([AddedToken(token, normalized=False) for token in tokenizer.special_tokens])
    return hf


def _pretoken_words(texts):
    counts = collections.Counter(piece for text in texts for piece, special in pretokenize(text, [EOT]) if not special)
    return {tuple(bytes([b]) for b in piece.encode("utf-8")): count for piece, count in counts.items()}


def _counts_of(merges, words):
    """The count each merge has when it is applied, recounted on the pre-tokens (for HF's merges)."""
    counts, current = [], dict(words)
    for a, b in merges:
        counts.append(sum(n * sum(1 for pair in zip(w, w[1:]) if pair == (a, b)) for w, n in current.items()))
        current = {_segment(w, [(a, b)]): n for w, n in current.items()}
    return counts


def test_merges_agree_with_hugging_face_trainer_up_to_tie_order():
    """HF's BpeTrainer breaks ties by the smallest pair of token ids (its alphabet sorted by
    GPT-2's byte-to-unicode characters, merged tokens by creation order), we by the greatest
    pair of byte strings, so the merge lists differ at ties: on the grammar corpus, where many
    words are equally frequent, HF makes "and" as "an"+"d" and we as "a"+"nd".

    Up to tie order they agree. (1) On the grammar corpus with Unicode text, the i-th merge has
    the same count in both lists, for all 300 merges (HF's counts recounted on the pre-tokens).
    (2) On the grammar corpus, after the last merge of every count level, every training
    pre-token is segmented identically. (2) does not hold on the Unicode text at low counts:
    there two tied pairs overlap in one word, (b"a", b"\\xc3") and (b"\\xc3", b"\\xaf") in
    "naïve", and the two tie rules settle them differently for good."""
    texts = _corpus()
    ours, our_counts = train_bpe(texts, 300, special_tokens=[EOT], return_counts=True)
    theirs = _hf_trained(texts, 300)
    assert len(theirs) == len(ours) == 300
    assert _counts_of(theirs, _pretoken_words(texts)) == our_counts

    sentences, _ = grammar_corpus(400, seed=3)
    ours, our_counts = train_bpe(sentences, 250, return_counts=True)
    theirs = _hf_trained(sentences, 250)
    assert ours != theirs and set(ours) != set(theirs)  # the tie rules do differ here
    words = _pretoken_words(sentences)
    assert _counts_of(theirs, words) == our_counts
    level_ends = [k + 1 for k in range(len(ours) - 1) if our_counts[k] > our_counts[k + 1]]
    assert len(level_ends) > 20
    for end in level_ends:
        assert all(_segment(w, ours[:end]) == _segment(w, theirs[:end]) for w in words), end


def test_encoding_agrees_with_hugging_face_bpe_model_on_held_out_text():
    """HF's BPE model with our merges encodes held-out text (new sentences, Unicode, spaces,
    special tokens) to the same ids, and HF's byte-level decoder reads them back as we do."""
    tokenizer = BytePairTokenizer.train(_corpus(), 256 + 1 + 300)
    hf = _hf_with_our_merges(tokenizer)
    held_out, _ = grammar_corpus(20, seed=99)
    rng = np.random.default_rng(1)
    texts = held_out + [EOT.join(held_out[:3]), "the zebra juggles ☂ in Zürich 🦓 42", "x" * 50,
                        *[_random_text(rng, 40).replace(EOT[:3], "") for _ in range(20)]]
    for text in texts:
        ids = tokenizer.encode(text)
        assert ids == hf.encode(text).ids, text
        assert tokenizer.decode(ids) == hf.decode(ids, skip_special_tokens=False) == text


def test_pretokenizer_agrees_with_hugging_face_byte_level():
    from tokenizers import pre_tokenizers

    hf = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    alphabet = _hf_byte_alphabet()
    rng = np.random.default_rng(2)
    for text in UNICODE_TEXTS + [_random_text(rng, 60) for _ in range(20)]:
        ours = ["".join(alphabet[b] for b in piece.encode("utf-8")) for piece, _ in pretokenize(text)]
        assert ours == [piece for piece, _ in hf.pre_tokenize_str(text)], text


# --- round trips, special tokens, configuration ------------------------------------------------

@pytest.fixture(scope="module")
def tokenizer():
    return BytePairTokenizer.train(_corpus(), 256 + 2 + 200, special_tokens=(EOT, "<|pad|>"))


@pytest.mark.backend_neutral
def test_round_trip_on_random_unicode(tokenizer):
    rng = np.random.default_rng(4)
    for _ in range(200):
        text = _random_text(rng, int(rng.integers(0, 80)))
        ids = tokenizer.encode(text)
        assert all(isinstance(i, int) and 0 <= i < tokenizer.vocabulary_size for i in ids)
        assert tokenizer.decode(ids) == text


@pytest.mark.backend_neutral
def test_ids_layout_bytes_then_merges_then_special_tokens(tokenizer):
    assert tokenizer.vocabulary_size == 256 + len(tokenizer.merges) + 2 == 458
    assert tokenizer.token_to_id(EOT) == 256 + len(tokenizer.merges)
    assert tokenizer.token_to_id("<|pad|>") == 257 + len(tokenizer.merges)
    for rank, (a, b) in enumerate(tokenizer.merges[:50]):
        assert tokenizer.id_to_bytes(256 + rank) == a + b
        assert tokenizer.token_to_id(a + b) == 256 + rank
    assert [tokenizer.token_to_id(bytes([b])) for b in (0, 65, 255)] == [0, 65, 255]
    assert tokenizer.encode("the") == [tokenizer.token_to_id("the")]  # a frequent word is one token


@pytest.mark.backend_neutral
def test_special_tokens_are_never_split_nor_learned(tokenizer):
    eot, pad = tokenizer.token_to_id(EOT), tokenizer.token_to_id("<|pad|>")
    assert tokenizer.encode(EOT) == [eot]
    assert tokenizer.encode(f"{EOT}{EOT}<|pad|>") == [eot, eot, pad]
    ids = tokenizer.encode(f"the cat{EOT}the dog")
    assert ids == tokenizer.encode("the cat") + [eot] + tokenizer.encode("the dog")
    assert tokenizer.encode("cat<|pad|>s") == tokenizer.encode("cat") + [pad] + tokenizer.encode("s")
    assert tokenizer.encode("<|endoftext") == tokenizer.encode("<|") + tokenizer.encode("endoftext")
    # a corpus full of special tokens learns no merge of their characters
    merges = train_bpe([f"a{EOT}" * 50], 10, special_tokens=[EOT])
    assert merges == []


@pytest.mark.backend_neutral
def test_merges_never_span_pre_tokens():
    merges = train_bpe(["ab ab ab ab ab"], 10)
    assert (b"b", b" ") not in merges and all(not (a + b).endswith(b" ") for a, b in merges)
    assert merges == [(b"a", b"b"), (b" ", b"ab")]  # then no pair is left: " ab" and "ab" are whole
    assert pretokenize("hi  there\n") == [("hi", False), (" ", False), (" there", False), ("\n", False)]


@pytest.mark.backend_neutral
def test_decoding_invalid_utf8_uses_replacement_characters(tokenizer):
    assert tokenizer.decode([0xE6, 0x97]) == "\ufffd"  # two of the three bytes of "日"
    assert tokenizer.decode(list("日".encode("utf-8"))) == "日"  # bytes of one character in three ids
    assert tokenizer.decode([0xFF, 65]) == "\ufffdA"
    rng = np.random.default_rng(6)
    for _ in range(20):
        ids = rng.integers(0, tokenizer.vocabulary_size, 15).tolist()
        joined = b"".join(tokenizer.id_to_bytes(i) for i in ids)
        assert tokenizer.decode(ids) == joined.decode("utf-8", errors="replace")
    with pytest.raises(ValueError, match="out of range"):
        tokenizer.decode([tokenizer.vocabulary_size])


@pytest.mark.backend_neutral
def test_config_json_round_trip(tokenizer, tmp_path):
    config = json.loads(json.dumps(tokenizer.get_config()))
    again = BytePairTokenizer.from_config(config)
    text = "the cat 🐱 naïve" + EOT + "日本語"
    assert again.encode(text) == tokenizer.encode(text)
    assert again.merges == tokenizer.merges and again.vocabulary_size == tokenizer.vocabulary_size
    tokenizer.save(tmp_path / "tokenizer.json")
    assert BytePairTokenizer.load(tmp_path / "tokenizer.json").encode(text) == tokenizer.encode(text)


@pytest.mark.backend_neutral
def test_training_is_deterministic_and_stops_when_no_pair_is_left():
    texts = _corpus()
    assert train_bpe(texts, 50) == train_bpe(list(reversed(texts)), 50)
    small = BytePairTokenizer.train(["aaaa"], 300)
    assert small.merges == [(b"a", b"a"), (b"aa", b"aa")] and small.vocabulary_size == 256 + 2 + 1


@pytest.mark.backend_neutral
def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="vocabulary_size"):
        BytePairTokenizer.train(["abc"], 256)  # no room for the special token
    with pytest.raises(ValueError, match="merge 0"):
        BytePairTokenizer([(b"ab", b"c")])  # b"ab" is not a token yet
    with pytest.raises(ValueError, match="special tokens"):
        BytePairTokenizer([], special_tokens=["", "x"])
    with pytest.raises(KeyError, match="not a token"):
        BytePairTokenizer([]).token_to_id("ab")
    with pytest.raises(TypeError, match="string"):
        BytePairTokenizer([]).encode(b"bytes")


@pytest.mark.backend_neutral
def test_pattern_is_gpt2s():
    # openai/gpt-2, src/encoder.py
    assert GPT2_SPLIT_PATTERN == r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


# --- the exercises and their library twin ------------------------------------------------------

def _solution(name):
    return load_module(str(ROOT / "solutions" / "ch08_llm" / f"{name}.py"), f"ch08_{name}_solution")


@pytest.mark.backend_neutral
def test_bpe_train_merges_solution_agrees_with_library():
    solution = _solution("bpe_train_merges")
    words = _pretoken_words(_corpus())
    assert solution.bpe_train_merges(words, 120) == learn_merges(words, 120)
    assert solution.bpe_train_merges(_symbols(SENNRICH_VOCAB), 10) == learn_merges(_symbols(SENNRICH_VOCAB), 10)


@pytest.mark.backend_neutral
def test_bpe_encode_decode_solution_agrees_with_library(tokenizer):
    solution = _solution("bpe_encode_decode")
    specials = list(tokenizer.special_tokens)
    rng = np.random.default_rng(8)
    for text in UNICODE_TEXTS + [_random_text(rng, 50) + EOT + _random_text(rng, 10) for _ in range(20)]:
        ids = solution.bpe_encode(text, tokenizer.merges, specials)
        assert ids == tokenizer.encode(text)
        assert solution.bpe_decode(ids, tokenizer.merges, specials) == text
    ids = rng.integers(0, tokenizer.vocabulary_size, 40).tolist()
    assert solution.bpe_decode(ids, tokenizer.merges, specials) == tokenizer.decode(ids)
    assert solution.pretokenize(UNICODE_TEXTS[2]) == [p for p, _ in pretokenize(UNICODE_TEXTS[2])]
