"""Chapter 3, deep sequence modeling: the Keras pieces of the notes' chapter 3.

Lecture: §3 Deep Sequence Modeling; §3.1 Recurrent Neural Network(RNN); §3.2 Long Short Term Memory; §3.3 Attention Mechanism

- recurrent cells, for `keras.layers.RNN`: `VanillaRNNCell` (the notes'
  h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t), y_hat_t = W_hy^T h_t) and `LSTMCell` (the notes'
  forget, store, update and output steps f_t, i_t, c~_t, c_t, o_t, h_t; its weights are packed
  as `keras.layers.LSTM`'s, the notes' per-gate W_f, b_f, ... are named views), with
  `gates_from_keras_lstm` / `keras_lstm_from_gates` to convert between the packed and the
  per-gate layout
- backpropagation through time by hand, in numpy: `rnn_forward`, `sequence_loss`,
  `bptt_gradients`
- vanishing gradients: `rnn_state_jacobian_norms` (numpy, vanilla RNN) and
  `state_jacobian_norms` (any Keras cell, by `tf.GradientTape`: the TensorFlow backend only)
- gradient flow (the notes' questions on vanishing gradients): `weight_gradient_terms`,
  `activation_derivative`, `recurrent_jacobian_norms` (tanh or ReLU), `lstm_forget_gates` and
  `cell_path_gradients` (the LSTM's cell-state path)
- gradient clipping (beyond the notes, against exploding gradients): `clip_by_value`,
  `clip_by_norm`, `clip_by_global_norm`, `global_norm`
- attention: `scaled_dot_product_attention`, `causal_mask` (ours), the `SelfAttention` layer
  (the notes' form by default; biases, an output projection and the causal mask as options),
  and `plot_attention` to look at the weights
- `plot_gradient_norms`: the vanishing gradient, RNN against LSTM, on a log scale
"""

from dlcourse.sequence.attention import SelfAttention, causal_mask, scaled_dot_product_attention
from dlcourse.sequence.bptt import bptt_gradients, rnn_forward, rnn_state_jacobian_norms, sequence_loss
from dlcourse.sequence.clipping import clip_by_global_norm, clip_by_norm, clip_by_value, global_norm
from dlcourse.sequence.gradient_flow import (
    activation_derivative,
    cell_path_gradients,
    lstm_forget_gates,
    recurrent_jacobian_norms,
    weight_gradient_terms,
)
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
    "weight_gradient_terms",
    "activation_derivative",
    "recurrent_jacobian_norms",
    "lstm_forget_gates",
    "cell_path_gradients",
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
