"""Saved dlcourse models load in a fresh Python process.

A dlcourse class registers with Keras only when its module is imported, and `import dlcourse`
imports its subpackages on first use; after `import dlcourse`, Keras' registry imports them
when a saved model names one, so `keras.models.load_model` works as well as `dlcourse.load_model`.
One small model per Keras-bearing subpackage is saved here with its input and its output
(.npy); a child process that runs nothing but `import dlcourse` and one of the two loaders
must reproduce the output (the oracle is the original model, in this process)."""

import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from dlcourse import cnn, gnn, perceptron, sequence, training
from dlcourse.detection import RCNN, SingleObjectDetector


def _perceptron_model(rng):
    model = keras.Sequential([keras.Input((4,)), perceptron.Perceptron(5, "tanh"),
                              perceptron.TwoLayerNetwork(6, output_units=2)])
    return model, [rng.normal(size=(3, 4))]


def _training_model(rng):
    """Compiled and trained one epoch: optimizer slots and BatchNormalization statistics move."""
    model = keras.Sequential([
        keras.Input((8,)),
        keras.layers.Dense(16, kernel_initializer=training.HeNormal(seed=1),
                           kernel_regularizer=training.L2(1e-3)),
        training.BatchNormalization(),
        training.InvertedDropout(0.2, seed=2),
        training.Dropout(0.1, seed=3),  # the notes' form: scales by 1 - p at test time
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=training.Adam(learning_rate=1e-2), loss=training.MeanSquaredError())
    model.fit(rng.normal(size=(16, 8)), rng.normal(size=(16, 1)), epochs=1, batch_size=8, verbose=0)
    return model, [rng.normal(size=(4, 8))]


def _sequence_model(rng):
    model = keras.Sequential([
        keras.Input((5, 3)),
        keras.layers.RNN(sequence.VanillaRNNCell(4), return_sequences=True),
        keras.layers.RNN(sequence.LSTMCell(4), return_sequences=True),
        sequence.SelfAttention(4),
    ])
    return model, [rng.normal(size=(2, 5, 3))]


def _cnn_model(rng):
    model = keras.Sequential([
        keras.Input((8, 8, 2)),
        cnn.Conv2D(3, 3, padding="same", activation="relu"),
        cnn.MaxPooling2D(2),
        cnn.SeparableConv2D(4, 3, padding="same"),
        cnn.GlobalAveragePooling2D(),
    ])
    return model, [rng.normal(size=(2, 8, 8, 2))]


def _detection_model(rng):
    model = RCNN(num_classes=2, filters=(4,), dense_units=8)
    crops = rng.uniform(size=(3, 8, 8, 3))
    model(crops.astype("float32"))
    return model, [crops]


def _single_object_model(rng):
    """Compiled with its default loss (the notes' L_cls + lambda L_box) and trained one step."""
    model = SingleObjectDetector(num_classes=2, filters=(4,), dense_units=8, box_loss_weight=2.0)
    model.compile(optimizer="adam")
    images = rng.uniform(size=(3, 8, 8, 3))
    y = {"class_logits": np.eye(2)[[0, 1, 1]], "box": rng.uniform(size=(3, 4))}
    model.fit(images.astype("float32"), y, epochs=1, verbose=0)
    return model, [images]


def _gnn_model(rng):
    x_in = keras.Input((3,))
    s_in = keras.Input((), dtype="int32")
    r_in = keras.Input((), dtype="int32")
    h = gnn.GCNConv(4, activation="relu")(x_in, s_in, r_in)
    h = gnn.GATConv(2, num_heads=2)(h, s_in, r_in)
    model = keras.Model([x_in, s_in, r_in], h)
    senders, receivers = np.array([0, 1, 1, 2, 3, 4]), np.array([1, 0, 2, 1, 4, 3])
    return model, [rng.normal(size=(5, 3)), senders.astype("int32"), receivers.astype("int32")]


def _word2vec_model(rng):
    """Chapter 5's skip-gram (chapter 7's DeepWalk model too) and CBOW, side by side."""
    from dlcourse.nlp import CBOW, SkipGram

    targets, contexts = keras.Input((), dtype="int32"), keras.Input((), dtype="int32")
    windows = keras.Input((4,), dtype="int32")
    outputs = [SkipGram(9, 3, seed=1)((targets, contexts)), CBOW(9, 3, pad_id=0, seed=2)(windows)]
    model = keras.Model([targets, contexts, windows], outputs)
    return model, [rng.integers(9, size=5).astype("int32"), rng.integers(9, size=5).astype("int32"),
                   rng.integers(9, size=(5, 4)).astype("int32")]


def _seq2seq_model(rng):
    """Chapter 5's attention seq2seq on dlcourse's LSTMCell, compiled with its masked loss and
    trained one step (so the loss comes back too)."""
    from dlcourse.nlp import MaskedSequenceCrossEntropy, Seq2Seq

    model = Seq2Seq(9, 8, embedding_dim=3, units=4, attention=True, cell="dlcourse", seed=0)
    source = np.array([[4, 5, 6, 0], [7, 8, 0, 0]], dtype="int32")
    decoder = np.array([[2, 4, 5], [2, 6, 0]], dtype="int32")
    model.compile(optimizer="adam", loss=MaskedSequenceCrossEntropy())
    model.fit((source, decoder), np.array([[4, 5, 3], [6, 3, 0]], dtype="int32"), epochs=1, verbose=0)
    return model, [source, decoder]


def _transformer_model(rng):
    """Chapter 5's encoder-decoder Transformer (sinusoidal positions, post-LN)."""
    from dlcourse.nlp import Transformer

    model = Transformer(9, 8, d_model=8, num_heads=2, intermediate_dim=16, num_encoder_layers=1,
                        num_decoder_layers=1, max_length=8)
    source = np.array([[4, 5, 6, 0], [7, 8, 0, 0]], dtype="int32")
    decoder = np.array([[2, 4, 5], [2, 6, 0]], dtype="int32")
    model((source, decoder))
    return model, [source, decoder]


def _language_model(rng):
    """Chapter 5's decoder-only LM (learned positions, pre-LN) and the fine-tuning classifier."""
    from dlcourse.nlp import CausalLanguageModel, SequenceClassifier

    ids = keras.Input((None,), dtype="int32")
    options = dict(d_model=8, num_heads=2, num_layers=1, max_length=8, normalize_first=True)
    outputs = [CausalLanguageModel(9, **options)(ids), SequenceClassifier(3, 9, **options)(ids)]
    return keras.Model(ids, outputs), [np.array([[2, 4, 5, 0], [2, 6, 7, 8]], dtype="int32")]


def _llm_model(rng):
    """Chapter 8's GPT: RoPE, SwiGLU, RMSNorm and a separate head, and the tied GPT-2 form."""
    from dlcourse.llm import GPT

    ids = keras.Input((None,), dtype="int32")
    options = dict(max_length=8, hidden_dim=8, num_layers=1, num_heads=2)
    outputs = [GPT(9, position_encoding="rope", feedforward="swiglu", normalization="rms", tie_weights=False,
                   **options)(ids), GPT(9, gelu_approximate=True, **options)(ids)]
    return keras.Model(ids, outputs), [np.array([[2, 4, 5, 0], [2, 6, 7, 8]], dtype="int32")]


def _llm_lora_model(rng):
    """Chapter 8's LoRADense with a moved B (its frozen kernel and bias travel too)."""
    from dlcourse.llm import LoRADense

    layer = LoRADense(3, rank=2, alpha=4, activation="relu")
    model = keras.Sequential([keras.Input((5,)), layer])
    layer.lora_kernel_b.assign(rng.normal(size=(2, 3)).astype("float32"))
    return model, [rng.normal(size=(4, 5))]


def _vae_model(rng):
    """Chapter 6's VAE (conv), compiled and trained one step with its ELBO train_step."""
    from dlcourse.generative import VAE

    model = VAE((8, 8, 1), latent_dim=2, architecture="conv", hidden_units=(8,), filters=(4, 8), seed=0)
    model.compile(optimizer="adam")
    model.fit(rng.uniform(size=(4, 8, 8, 1)).astype("float32"), epochs=1, verbose=0)
    return model, [rng.uniform(size=(3, 8, 8, 1))]


def _gan_model(rng):
    """Chapter 6's GAN (its generator and discriminator travel in its config), one step trained."""
    from dlcourse.generative import GAN, mlp_discriminator, mlp_generator

    model = GAN(mlp_generator(2, 2, (8,)), mlp_discriminator(2, (8,)), latent_dim=2, seed=0)
    model.compile(discriminator_optimizer="adam", generator_optimizer="adam")
    model.fit(rng.normal(size=(8, 2)).astype("float32"), epochs=1, verbose=0)
    return model, [rng.normal(size=(3, 2))]


def _flow_model(rng):
    """Chapter 6's RealNVP: its output is the exact log p(x)."""
    from dlcourse.generative import RealNVP

    model = RealNVP(2, num_coupling_layers=2, hidden_units=(8,), seed=0)
    model.compile(optimizer="adam")
    model.fit(rng.normal(size=(8, 2)).astype("float32"), epochs=1, verbose=0)
    return model, [rng.normal(size=(3, 2))]


MODELS = {
    "perceptron": _perceptron_model,
    "training": _training_model,
    "sequence": _sequence_model,
    "cnn": _cnn_model,
    "detection": _detection_model,
    "single_object": _single_object_model,
    "gnn": _gnn_model,
    "vae": _vae_model,
    "gan": _gan_model,
    "flow": _flow_model,
    "nlp_word2vec": _word2vec_model,
    "nlp_seq2seq": _seq2seq_model,
    "nlp_transformer": _transformer_model,
    "nlp_language_models": _language_model,
    "llm_gpt": _llm_model,
    "llm_lora": _llm_lora_model,
}


def _outputs(model, inputs):
    """The model's outputs as a list of numpy arrays (a dict's values in key order)."""
    inputs = [x.astype("float32") if x.dtype.kind == "f" else x for x in inputs]
    out = model(inputs if len(inputs) > 1 else inputs[0])
    return [keras.ops.convert_to_numpy(y) for y in keras.tree.flatten(out)]


@pytest.fixture(scope="module")
def saved_models(tmp_path_factory):
    """name -> path of the .keras file; beside it name_in{i}.npy and name_out{j}.npy."""
    folder = tmp_path_factory.mktemp("saved")
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    paths = {}
    for name, make in MODELS.items():
        model, inputs = make(rng)
        for i, x in enumerate(inputs):
            np.save(folder / f"{name}_in{i}.npy", x)
        for j, y in enumerate(_outputs(model, inputs)):
            np.save(folder / f"{name}_out{j}.npy", y)
        paths[name] = folder / f"{name}.keras"
        model.save(paths[name])
    return paths


# Prepended to each child's code: compare a loaded model's outputs with the saved ones (the
# imports wait for the first call, so that the child can first see what `import dlcourse` loads).
_CHECK = """
def check(model, path):
    import pathlib
    import keras
    import numpy as np
    folder, name = pathlib.Path(path).parent, pathlib.Path(path).stem
    inputs = [np.load(p) for p in sorted(folder.glob(name + "_in*.npy"))]
    inputs = [x.astype("float32") if x.dtype.kind == "f" else x for x in inputs]
    out = keras.tree.flatten(model(inputs if len(inputs) > 1 else inputs[0]))
    expected = [np.load(p) for p in sorted(folder.glob(name + "_out*.npy"))]
    assert len(out) == len(expected), (name, len(out), len(expected))
    for y, e in zip(out, expected):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(y), e, rtol=1e-5, atol=1e-6, err_msg=name)
"""


def _run_child(code):
    code = _CHECK + textwrap.dedent(code)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_dlcourse_load_model_in_a_fresh_process(saved_models):
    paths = [str(p) for p in saved_models.values()]
    stdout = _run_child(f"""
        import sys
        import dlcourse
        light = not any(m in sys.modules for m in ("keras", "tensorflow", "dlcourse.cnn"))
        models = [dlcourse.load_model(p) for p in {paths!r}]
        for model, path in zip(models, {paths!r}):
            check(model, path)
        print("import dlcourse stays light:", light)
        print("optimizer:", type(models[1].optimizer).__module__)
    """)
    assert "import dlcourse stays light: True" in stdout
    assert "optimizer: dlcourse.training" in stdout  # compiled state came back as dlcourse's Adam


def test_plain_keras_load_after_import_dlcourse_in_a_fresh_process(saved_models):
    """`import dlcourse` stays light, and Keras imported after it finds every dlcourse class."""
    paths = [str(p) for p in saved_models.values()]
    stdout = _run_child(f"""
        import sys
        import dlcourse
        print("import dlcourse stays light:", not any(m in sys.modules for m in ("keras", "tensorflow")))
        import keras
        for path in {paths!r}:
            check(keras.models.load_model(path), path)
        print("loaded:", len({paths!r}))
    """)
    assert "import dlcourse stays light: True" in stdout
    assert f"loaded: {len(saved_models)}" in stdout


def test_plain_keras_load_needs_import_dlcourse(saved_models):
    """Without dlcourse imported Keras cannot find a dlcourse class; `import dlcourse` (or any
    subpackage) after Keras is loaded is enough for every subpackage's classes."""
    paths = {name: str(path) for name, path in saved_models.items()}
    stdout = _run_child(f"""
        import keras
        try:
            keras.models.load_model({paths["cnn"]!r})
        except Exception as error:
            print("cnn without dlcourse:", type(error).__name__, "Could not locate class" in str(error))
        import dlcourse.detection
        for name in ("detection", "cnn", "gnn", "training", "vae", "flow"):
            path = {paths!r}[name]
            check(keras.models.load_model(path), path)
        print("loaded after import dlcourse.detection")
    """)
    assert "cnn without dlcourse: TypeError True" in stdout
    assert "loaded after import dlcourse.detection" in stdout


def test_the_registry_imports_dlcourse_once_and_only_for_dlcourse_names():
    from dlcourse._keras_registry import LazyRegistry

    calls = []
    registry = LazyRegistry({"Custom>Mine": int}, import_all=lambda: calls.append(1))
    assert "Custom>Mine" in registry and "Custom>Other" not in registry and registry.get("keras>x") is None
    assert calls == []
    assert "dlcourse>NoSuchLayer" not in registry and registry.get("dlcourse>Another") is None
    assert calls == [1]  # once: an unknown name does not import everything again
    assert keras.saving.get_custom_objects()["dlcourse>GCNConv"] is gnn.GCNConv
    assert isinstance(keras.saving.get_custom_objects(), LazyRegistry)
