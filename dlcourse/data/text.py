"""Text for chapter 5, generated or read from disk: nothing is downloaded.

- `grammar_corpus`: sentences from a small seeded grammar whose content words each belong to
  one class known by construction (animal, food, colour, place, eating verb, motion verb), so
  that word-embedding similarity has a ground truth to be checked against.
- `translation_pairs`: a deterministic toy translation task, English-like noun phrases into a
  Spanish-like target language that puts the adjective after the noun and adds an article that
  agrees with the noun: one correct translation per source, some reordering, and a target
  longer than its source.
- `load_text_file` and `text_dataset_from_directory`: the real loaders, for a text file of one
  sentence per line and for a folder of class folders of text files (Keras' own loader), with
  one clear error when the path is not there.

Tokens are separated by single spaces and carry no punctuation, so that whitespace splitting
(`dlcourse.nlp.tokenizer.Vocabulary`) is the whole tokenization.
"""

from __future__ import annotations

import pathlib

import numpy as np

from dlcourse.arguments import int_at_least, non_negative_int, positive_int

__all__ = [
    "GRAMMAR_CLASSES",
    "TRANSLATION_LEXICON",
    "grammar_corpus",
    "translation_pairs",
    "load_text_file",
    "text_dataset_from_directory",
]

# The grammar's content words by class; every word is in exactly one class.
GRAMMAR_CLASSES = {
    "animal": ("cat", "dog", "horse", "cow", "sheep", "rabbit", "mouse", "goat"),
    "food": ("apple", "bread", "cheese", "rice", "soup", "cake", "carrot", "grape"),
    "colour": ("red", "blue", "green", "yellow", "black", "white", "brown", "grey"),
    "place": ("park", "garden", "river", "forest", "village", "market", "city", "beach"),
    "eat_verb": ("eats", "chews", "tastes", "bites", "swallows", "nibbles"),
    "move_verb": ("walks", "runs", "goes", "wanders", "hurries", "strolls"),
}

# Sentence templates: {class} slots are filled with a word of that class, the rest is kept.
# Each class meets its own contexts (animals before verbs, food after eating verbs, places after
# "to the"), which is what makes the classes recoverable from co-occurrence alone.
_TEMPLATES = (
    "the {colour} {animal} {eat_verb} the {food}",
    "the {animal} {eat_verb} the {colour} {food}",
    "a {animal} {eat_verb} {food} in the {place}",
    "the {animal} {move_verb} to the {place}",
    "the {animal} {move_verb} through the {colour} {place}",
    "the {animal} and the {animal} {move_verb} to the {place}",
    "the {food} in the {place} is {colour}",
    "a {colour} {animal} {move_verb} in the {place}",
)

# Source word -> (target word, grammatical gender for nouns or None for adjectives).
TRANSLATION_LEXICON = {
    "cat": ("gato", "m"), "dog": ("perro", "m"), "house": ("casa", "f"), "tree": ("arbol", "m"),
    "bird": ("pajaro", "m"), "fish": ("pez", "m"), "car": ("coche", "m"), "book": ("libro", "m"),
    "sun": ("sol", "m"), "moon": ("luna", "f"), "river": ("rio", "m"), "door": ("puerta", "f"),
    "table": ("mesa", "f"), "window": ("ventana", "f"),
    "big": ("grande", None), "small": ("pequeno", None), "red": ("rojo", None),
    "blue": ("azul", None), "old": ("viejo", None), "new": ("nuevo", None),
}
_NOUNS = tuple(word for word, (_, gender) in TRANSLATION_LEXICON.items() if gender)
_ADJECTIVES = tuple(word for word, (_, gender) in TRANSLATION_LEXICON.items() if not gender)
_ARTICLES = {"m": "el", "f": "la"}


def grammar_corpus(num_sentences=2000, seed=0):
    """Sentences of a small generated grammar and the class of each of its content words.

    Each sentence picks one of eight templates ("the {colour} {animal} {eat_verb} the {food}",
    "the {animal} {move_verb} to the {place}", ...) uniformly and fills every slot with a word of
    that class, uniformly. Function words (the, a, to, in, through, and, is) belong to no class.
    Words of one class share their contexts and words of different classes do not, so good
    word embeddings put each class in its own region (`dlcourse.nlp.word2vec` checks this).

    Args:
        num_sentences: number of sentences, >= 1.
        seed: seed of the numpy generator; the same seed gives the same corpus.

    Returns:
        (sentences, word_classes): a list of `num_sentences` lowercase strings of
        space-separated tokens, and a dict from each of the 44 content words to its class name
        (one of "animal", "food", "colour", "place", "eat_verb", "move_verb"; see
        `GRAMMAR_CLASSES`).

    Example:

    >>> from dlcourse.data import grammar_corpus
    >>> sentences, word_classes = grammar_corpus(3, seed=0)
    >>> len(sentences), word_classes["cat"], word_classes["eats"]
    (3, 'animal', 'eat_verb')
    """
    num_sentences = positive_int("num_sentences", num_sentences)
    seed = non_negative_int("seed", seed)
    rng = np.random.default_rng(seed)
    sentences = []
    for _ in range(num_sentences):
        template = _TEMPLATES[rng.integers(len(_TEMPLATES))]
        words = []
        for token in template.split():
            if token.startswith("{"):
                choices = GRAMMAR_CLASSES[token[1:-1]]
                token = choices[rng.integers(len(choices))]
            words.append(token)
        sentences.append(" ".join(words))
    word_classes = {word: name for name, words in GRAMMAR_CLASSES.items() for word in words}
    return sentences, word_classes


def translation_pairs(count, min_length=3, max_length=12, seed=0):
    """A toy translation task: English-like noun phrases into a Spanish-like language.

    A source sentence is a run of noun phrases, each a noun ("cat") or an adjective and a noun
    ("big cat"), from a 20-word lexicon (`TRANSLATION_LEXICON`), drawn until the sentence has
    exactly L tokens, L uniform in [min_length, max_length]. Its one correct translation renders
    each phrase as article, noun, adjective: "big cat" -> "el gato grande", "door" ->
    "la puerta", the article agreeing with the noun's gender. So the target reorders words
    (the adjective moves after the noun), is longer than the source (one article per phrase),
    and the first word of a phrase depends on a word that comes later in the source: alignment
    matters, and a fixed-size encoder state must hold the whole source on long inputs.

    Args:
        count: number of pairs, >= 1.
        min_length, max_length: source lengths in tokens, 1 <= min_length <= max_length.
        seed: seed of the numpy generator; the same arguments give the same pairs.

    Returns:
        A list of `count` (source, target) string pairs of space-separated tokens; a source of
        L tokens in p phrases has a target of L + p tokens, between 1.5 L (rounded up) and 2 L.

    Example:

    >>> from dlcourse.data import translation_pairs
    >>> translation_pairs(1, min_length=3, max_length=3, seed=1)[0][0].count(" ")
    2
    """
    count = positive_int("count", count)
    min_length = positive_int("min_length", min_length)
    max_length = int_at_least("max_length", max_length, min_length)
    seed = non_negative_int("seed", seed)
    rng = np.random.default_rng(seed)
    pairs = []
    for _ in range(count):
        remaining = int(rng.integers(min_length, max_length + 1))
        source, target = [], []
        while remaining:
            noun = _NOUNS[rng.integers(len(_NOUNS))]
            noun_word, gender = TRANSLATION_LEXICON[noun]
            if remaining >= 2 and rng.random() < 0.5:
                adjective = _ADJECTIVES[rng.integers(len(_ADJECTIVES))]
                source += [adjective, noun]
                target += [_ARTICLES[gender], noun_word, TRANSLATION_LEXICON[adjective][0]]
                remaining -= 2
            else:
                source.append(noun)
                target += [_ARTICLES[gender], noun_word]
                remaining -= 1
        pairs.append((" ".join(source), " ".join(target)))
    return pairs


def load_text_file(path, encoding="utf-8"):
    """The non-empty lines of a text file, without their line endings.

    Args:
        path: a text file, e.g. one sentence per line.
        encoding: its encoding.

    Returns:
        A list of strings, one per line that holds more than white space, each stripped of
        leading and trailing white space.

    Raises:
        FileNotFoundError: `path` is not a file.
    """
    path = pathlib.Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"no text file at {path}: pass the path of an existing file.")
    with open(path, encoding=encoding) as handle:
        return [line.strip() for line in handle if line.strip()]


def text_dataset_from_directory(directory, **kwargs):
    """Keras' `keras.utils.text_dataset_from_directory`, with a clear error for a bad folder.

    `directory` holds one folder per class, each with .txt files (one example per file); the
    labels are the folders' indices in alphanumeric order. Every keyword argument (batch_size,
    label_mode, validation_split, subset, seed, ...) goes to Keras unchanged. Loads TensorFlow
    (Keras builds the dataset with `tf.data`), whatever the Keras backend.

    Args:
        directory: the folder of class folders.
        **kwargs: keyword arguments of `keras.utils.text_dataset_from_directory`.

    Returns:
        The `tf.data.Dataset` of (texts, labels) batches Keras returns (a pair of datasets for
        subset="both").

    Raises:
        FileNotFoundError: `directory` is not a folder, or holds no class folder.
    """
    directory = pathlib.Path(directory).expanduser()
    if not directory.is_dir():
        raise FileNotFoundError(f"no folder at {directory}: pass a folder that holds one folder "
                                f"of .txt files per class.")
    if not any(child.is_dir() for child in directory.iterdir()):
        raise FileNotFoundError(f"{directory} holds no class folders: put each class's .txt files "
                                f"in a folder of its own inside it.")
    import keras  # only this loader needs Keras (and TensorFlow)

    return keras.utils.text_dataset_from_directory(str(directory), **kwargs)
