"""Chapter 3, deep sequence modeling: the Keras pieces of the lecture.

- recurrent cells, for `keras.layers.RNN`: `VanillaRNNCell` (h_t = tanh(W_hh h_{t-1} + W_xh x_t),
  y_t = W_hy h_t) and `LSTMCell` (forget, input, candidate and output gates), with
  `gates_from_keras_lstm` / `keras_lstm_from_gates` to move weights to and from
  `keras.layers.LSTM`
- backpropagation through time by hand, in numpy: `rnn_forward`, `sequence_loss`,
  `bptt_gradients`
- vanishing gradients: `rnn_state_jacobian_norms` (numpy, vanilla RNN) and
  `state_jacobian_norms` (any Keras cell, by `tf.GradientTape`)
- gradient clipping: `clip_by_value`, `clip_by_norm`, `clip_by_global_norm`, `global_norm`
- attention: `scaled_dot_product_attention`, `causal_mask`, the `SelfAttention` layer, and
  `plot_attention` to look at the weights
- `plot_gradient_norms`: the vanishing gradient, RNN against LSTM, on a log scale
"""

from dlcourse.sequence.attention import SelfAttention, causal_mask, scaled_dot_product_attention
from dlcourse.sequence.bptt import bptt_gradients, rnn_forward, rnn_state_jacobian_norms, sequence_loss
from dlcourse.sequence.clipping import clip_by_global_norm, clip_by_norm, clip_by_value, global_norm
from dlcourse.sequence.lstm import LSTMCell, gates_from_keras_lstm, keras_lstm_from_gates
from dlcourse.sequence.plots import plot_attention, plot_gradient_norms
from dlcourse.sequence.rnn import VanillaRNNCell
from dlcourse.sequence.vanishing import state_jacobian_norms

__all__ = [
    "VanillaRNNCell",
    "LSTMCell",
    "gates_from_keras_lstm",
    "keras_lstm_from_gates",
    "rnn_forward",
    "sequence_loss",
    "bptt_gradients",
    "rnn_state_jacobian_norms",
    "state_jacobian_norms",
    "clip_by_value",
    "clip_by_norm",
    "clip_by_global_norm",
    "global_norm",
    "causal_mask",
    "scaled_dot_product_attention",
    "SelfAttention",
    "plot_attention",
    "plot_gradient_norms",
]
