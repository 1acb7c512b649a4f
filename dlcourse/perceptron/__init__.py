"""Chapter 1: from the perceptron to a neural network.

Lecture: §1 From Perceptron to Neural Network

The notes' perceptron is y_hat = g(b + X W^T), with W one row of weights per output; a network
with one hidden layer computes Z = b(1) + X W(1)^T and Y_hat = g(b(2) + g(Z) W(2)^T), and is
trained by gradient descent, W <- W - eta dJ(W)/dW, with the gradients from backward
propagation. Throughout dlcourse a weight matrix is stored as Keras stores a Dense kernel,
transposed, shape (n_inputs, units): our W is the notes' W^T, and x W + b = b + X W^T.

- `Perceptron`: a layer of perceptrons, y = g(x W + b) (single- and multi-output).
- `TwoLayerNetwork`: a network with one hidden layer, forward propagation as a `keras.Model`.
- activations `sigmoid`, `tanh`, `relu`, `linear` and their derivatives (`keras.ops`).
- losses: `binary_cross_entropy`, `mean_squared_error` (numpy) and the Keras losses
  `BinaryCrossEntropyLoss`, `MeanSquaredErrorLoss`.
- backpropagation by hand in numpy: `forward_propagation`, `backward_propagation`,
  `two_layer_loss_and_gradients`; training loops `gradient_descent`, `minibatch_sgd`.
"""

from dlcourse.perceptron.activations import (
    ACTIVATION_NAMES,
    get_activation,
    linear,
    linear_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
)
from dlcourse.perceptron.backpropagation import (
    PARAMETER_NAMES,
    backward_propagation,
    forward_propagation,
    init_two_layer_params,
    two_layer_loss,
    two_layer_loss_and_gradients,
)
from dlcourse.perceptron.gradient_descent import gradient_descent, minibatch_sgd
from dlcourse.perceptron.losses import (
    BinaryCrossEntropyLoss,
    MeanSquaredErrorLoss,
    binary_cross_entropy,
    mean_squared_error,
)
from dlcourse.perceptron.perceptron import Perceptron
from dlcourse.perceptron.two_layer_network import TwoLayerNetwork

__all__ = [
    "ACTIVATION_NAMES",
    "PARAMETER_NAMES",
    "BinaryCrossEntropyLoss",
    "MeanSquaredErrorLoss",
    "Perceptron",
    "TwoLayerNetwork",
    "backward_propagation",
    "binary_cross_entropy",
    "forward_propagation",
    "get_activation",
    "gradient_descent",
    "init_two_layer_params",
    "linear",
    "linear_derivative",
    "mean_squared_error",
    "minibatch_sgd",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "two_layer_loss",
    "two_layer_loss_and_gradients",
]
