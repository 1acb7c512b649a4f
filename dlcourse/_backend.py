"""The one check for code that runs on the TensorFlow backend only.

Keras 3 has no backend-neutral gradient tape, so the few functions that differentiate with
`tf.GradientTape` (`dlcourse.sequence.state_jacobian_norms`, the training steps of
`dlcourse.generative`) call `require_tensorflow` first and stop with one sentence elsewhere.
"""

from __future__ import annotations

import keras


def require_tensorflow(what):
    """Raise a one-sentence NotImplementedError unless Keras runs on TensorFlow."""
    if keras.backend.backend() != "tensorflow":
        raise NotImplementedError(
            f"{what} needs the TensorFlow backend (it differentiates with tf.GradientTape), got "
            f"{keras.backend.backend()!r}; set KERAS_BACKEND=tensorflow.")
