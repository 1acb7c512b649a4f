"""Chapter 5's text data (`dlcourse.data.text`) and word vocabulary (`dlcourse.nlp.tokenizer`)."""

import json

import numpy as np
import pytest

from dlcourse.data import (GRAMMAR_CLASSES, grammar_corpus, load_text_file, text_dataset_from_directory,
                           translation_pairs)
from dlcourse.data.text import TRANSLATION_LEXICON
from dlcourse.nlp import BOS_ID, EOS_ID, PAD_ID, UNK_ID, Vocabulary
from dlcourse.nlp.tokenizer import BOS, EOS, PAD, UNK


# --- the vocabulary ---------------------------------------------------------------------------

def test_special_tokens_have_the_fixed_ids():
    vocab = Vocabulary.build(["b a", "a"])
    assert (PAD_ID, UNK_ID, BOS_ID, EOS_ID) == (0, 1, 2, 3)
    assert [vocab.id_to_token(i) for i in range(4)] == [PAD, UNK, BOS, EOS]
    assert [vocab.token_to_id(t) for t in (PAD, UNK, BOS, EOS)] == [0, 1, 2, 3]
    # then the words by decreasing count, ties alphabetical
    assert vocab.tokens[4:] == ["a", "b"]


def test_round_trip_of_known_words():
    sentences, _ = grammar_corpus(50, seed=3)
    vocab = Vocabulary.build(sentences)
    ids = vocab.encode(sentences, bos=True, eos=True)
    assert ids.dtype == np.int32 and ids.shape[0] == 50
    assert vocab.decode(ids) == sentences
    assert (ids[:, 0] == BOS_ID).all()


def test_padding_on_the_right_to_the_longest_or_max_length():
    vocab = Vocabulary.build(["a b c", "a"])
    ids = vocab.encode(["a b c", "a"], eos=True)
    a, b, c = (vocab.token_to_id(t) for t in "abc")
    assert ids.tolist() == [[a, b, c, EOS_ID], [a, EOS_ID, PAD_ID, PAD_ID]]
    assert vocab.encode(["a b c", "a"], max_length=6).tolist() == [[a, b, c, 0, 0, 0], [a, 0, 0, 0, 0, 0]]
    # longer rows are cut at the end, EOS included
    assert vocab.encode(["a b c"], max_length=2, bos=True, eos=True).tolist() == [[BOS_ID, a]]
    assert vocab.encode([], max_length=3).shape == (0, 3)


def test_unknown_words_and_min_count_and_max_size():
    vocab = Vocabulary.build(["x x x y y z"], min_count=2)
    assert vocab.tokens[4:] == ["x", "y"]
    assert vocab.token_to_id("z") == UNK_ID and "z" not in vocab
    assert vocab.encode(["x z"]).tolist() == [[4, UNK_ID]]
    assert vocab.decode([[4, UNK_ID]]) == ["x <unk>"]
    assert Vocabulary.build(["x x x y y z"], max_size=5).tokens == [PAD, UNK, BOS, EOS, "x"]


def test_decode_stops_at_eos_and_strips_specials_only_when_asked():
    vocab = Vocabulary.build(["a b"])
    a, b = vocab.token_to_id("a"), vocab.token_to_id("b")
    row = [BOS_ID, a, EOS_ID, b, PAD_ID]
    assert vocab.decode(row) == ["a"]
    assert vocab.decode([row], strip_special=False) == ["<bos> a <eos> b <pad>"]
    assert vocab.decode(np.array([[a, b, PAD_ID]])) == ["a b"]


def test_config_is_json_and_round_trips():
    vocab = Vocabulary.build(grammar_corpus(100)[0])
    again = Vocabulary.from_config(json.loads(json.dumps(vocab.get_config())))
    assert again == vocab and len(again) == len(vocab)


@pytest.mark.parametrize("call, words", [
    (lambda: Vocabulary.build("a b"), "list of strings"),
    (lambda: Vocabulary.build(["a"], min_count=0), "min_count"),
    (lambda: Vocabulary.build(["a"], max_size=3), "max_size"),
    (lambda: Vocabulary(["a", "b"]), "first tokens"),
    (lambda: Vocabulary.build(["a"]).encode(["a"], max_length=0), "max_length"),
    (lambda: Vocabulary.build(["a"]).decode([[7]]), "vocabulary's ids"),
    (lambda: Vocabulary.build(["a"]).id_to_token(5), "below the vocabulary size"),
])
def test_bad_arguments_are_one_clear_sentence(call, words):
    with pytest.raises((ValueError, TypeError), match=words):
        call()


# --- the generated corpora ----------------------------------------------------------------------

def test_grammar_corpus_words_have_their_known_classes():
    sentences, word_classes = grammar_corpus(500, seed=0)
    assert len(sentences) == 500
    assert set(word_classes.values()) == set(GRAMMAR_CLASSES)
    assert len(word_classes) == sum(len(words) for words in GRAMMAR_CLASSES.values())
    used = {token for sentence in sentences for token in sentence.split()}
    function_words = used - set(word_classes)
    assert function_words == {"the", "a", "to", "in", "through", "and", "is"}
    assert set(word_classes) <= used  # 500 sentences meet every content word


def test_grammar_corpus_is_seeded():
    assert grammar_corpus(20, seed=1) == grammar_corpus(20, seed=1)
    assert grammar_corpus(20, seed=1)[0] != grammar_corpus(20, seed=2)[0]


def test_translation_pairs_are_deterministic_and_of_the_stated_lengths():
    pairs = translation_pairs(400, min_length=2, max_length=7, seed=5)
    assert pairs == translation_pairs(400, min_length=2, max_length=7, seed=5)
    assert pairs != translation_pairs(400, min_length=2, max_length=7, seed=6)
    lengths = [len(source.split()) for source, _ in pairs]
    assert min(lengths) == 2 and max(lengths) == 7  # the whole range is drawn
    for source, target in pairs:
        length, target_length = len(source.split()), len(target.split())
        assert -(-3 * length // 2) <= target_length <= 2 * length


def test_translation_is_one_function_of_the_source():
    """The rule, written independently: each noun phrase -> article, noun, adjective."""
    articles = {"m": "el", "f": "la"}
    translation = {}
    for source, target in translation_pairs(300, seed=0):
        words, expected = source.split(), []
        i = 0
        while i < len(words):
            word, gender = TRANSLATION_LEXICON[words[i]]
            if gender is None:  # an adjective comes before its noun in the source
                noun, noun_gender = TRANSLATION_LEXICON[words[i + 1]]
                expected += [articles[noun_gender], noun, word]
                i += 2
            else:
                expected += [articles[gender], word]
                i += 1
        assert target == " ".join(expected)
        assert translation.setdefault(source, target) == target


@pytest.mark.parametrize("call, words", [
    (lambda: grammar_corpus(0), "num_sentences"),
    (lambda: translation_pairs(3, min_length=0), "min_length"),
    (lambda: translation_pairs(3, min_length=5, max_length=4), "max_length"),
])
def test_generators_check_their_arguments(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# --- the real loaders, on files the test writes --------------------------------------------------

def test_load_text_file_reads_the_non_empty_lines(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("the cat sat\n\n  the dog ran  \n", encoding="utf-8")
    assert load_text_file(path) == ["the cat sat", "the dog ran"]
    assert Vocabulary.build(load_text_file(path)).tokens[4] == "the"


def test_load_text_file_missing_path_is_one_sentence(tmp_path):
    with pytest.raises(FileNotFoundError, match="no text file at .*missing.txt"):
        load_text_file(tmp_path / "missing.txt")


def test_text_dataset_from_directory_reads_class_folders(tmp_path):
    for label, texts in {"neg": ["bad film", "awful"], "pos": ["good film", "great", "fine"]}.items():
        (tmp_path / label).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(text, encoding="utf-8")
    dataset = text_dataset_from_directory(tmp_path, batch_size=8, shuffle=False)
    texts, labels = next(iter(dataset))
    got = sorted(zip((t.decode() for t in texts.numpy()), labels.numpy().tolist()))
    assert got == [("awful", 0), ("bad film", 0), ("fine", 1), ("good film", 1), ("great", 1)]
    assert dataset.class_names == ["neg", "pos"]


def test_text_dataset_from_directory_bad_folder_is_one_sentence(tmp_path):
    with pytest.raises(FileNotFoundError, match="no folder at"):
        text_dataset_from_directory(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="no class folders"):
        text_dataset_from_directory(tmp_path)


@pytest.mark.parametrize("name", ["dlcourse.data.text", "dlcourse.nlp.tokenizer"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
