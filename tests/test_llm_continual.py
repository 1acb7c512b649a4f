"""Chapter 8's continual training: the two tasks share one vocabulary and differ in structure,
the replay mixture holds the stated share of old data, and a tiny GPT trained on A then B
forgets A (its held-out loss rises by nats), while replaying a quarter of A's data keeps most
of it; seeded, CI-sized."""

import doctest

import numpy as np
import pytest

from dlcourse.llm import continual
from dlcourse.llm.continual import continual_demo, continual_tasks, forgetting, replay_mixture, reversed_sentences

backend_neutral = pytest.mark.backend_neutral


@backend_neutral
def test_doctests():
    assert doctest.testmod(continual, globs={}, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


@backend_neutral
def test_tasks_share_a_vocabulary_and_differ_in_order():
    tasks = continual_tasks(num_train=300, num_validation=50, seed=3)
    vocabulary = tasks["vocabulary"]
    words = {name: {w for part in parts for s in part for w in s.split()} for name, parts in tasks["sentences"].items()}
    assert words["A"] == words["B"]  # one vocabulary, no <unk>
    for name, (train, validation) in tasks["streams"].items():
        assert 1 not in train and 1 not in validation  # <unk> is id 1
        sentences = tasks["sentences"][name][0]
        assert len(train) == sum(len(s.split()) + 1 for s in sentences)  # + <eos> each
        np.testing.assert_array_equal(train[:len(sentences[0].split())],
                                      [vocabulary.token_to_id(w) for w in sentences[0].split()])
    # B is A's grammar backwards: reading B's sentences backwards gives grammar sentences
    a_starts = {s.split()[0] for s in tasks["sentences"]["A"][0]}
    assert {s.split()[-1] for s in tasks["sentences"]["B"][0]} == a_starts == {"the", "a"}
    assert reversed_sentences(reversed_sentences(tasks["sentences"]["B"][0])) == tasks["sentences"]["B"][0]


@backend_neutral
def test_replay_mixture_holds_the_stated_share():
    new, old = [f"b{i}" for i in range(300)], [f"a{i}" for i in range(1000)]
    for rho in (0.0, 0.1, 0.25, 0.5):
        mixed = replay_mixture(new, old, rho, seed=1)
        replayed = [s for s in mixed if s.startswith("a")]
        assert sorted(s for s in mixed if s.startswith("b")) == sorted(new)  # every new sentence once
        assert len(replayed) / len(mixed) == pytest.approx(rho, abs=0.005)
        assert len(set(replayed)) == len(replayed)  # without replacement when there are enough
    assert replay_mixture(new, old, 0.25, seed=1) == replay_mixture(new, old, 0.25, seed=1)
    assert len(replay_mixture(["b"] * 10, ["a"], 0.5)) == 20  # with replacement when needed
    for bad in (1.0, -0.1, True):
        with pytest.raises(ValueError, match="replay_fraction"):
            replay_mixture(new, old, bad)
    assert forgetting(2.0, 2.5) == pytest.approx(0.5)


# Trained on TensorFlow only: its loop is the backend-neutral train_language_model, whose pieces the
# JAX pass covers in test_llm_training.py; this result would add a minute to that pass.
@pytest.mark.slow
def test_training_on_b_forgets_a_and_replay_keeps_most_of_it():
    """Seeds 0-4 gave forgetting 4.8-6.5 nats without replay and 1.0-1.5 with 25% replay."""
    results = continual_demo(seed=0)
    assert results["loss_a_after_a"] < 3.0  # A was learned (its unigram baseline is 3.3 nats)
    assert results["loss_b_after_a"] > results["loss_b_after_b"] + 2.0  # B is a new task for the model
    assert results["forgetting"] > 2.0
    assert results["forgetting_replay"] < 0.5 * results["forgetting"]
    # replay does not stop B from being learned
    assert results["loss_b_after_b_replay"] < results["loss_b_after_a"] - 2.0
    for key, value in results.items():
        assert np.isfinite(value), key
