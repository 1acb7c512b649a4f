"""Activation functions g(z) of a perceptron and their derivatives g'(z), in `keras.ops`.

Lecture: §1 From Perceptron to Neural Network

A perceptron first forms the weighted sum z = b + X W^T (in our layout z = x W + b, see
`Perceptron`) and then applies a non-linear activation g. The notes name three: the sigmoid,
the hyperbolic tangent and the rectified linear unit; the identity, for regression outputs,
and the derivatives are ours:

    sigmoid(z) = 1 / (1 + exp(-z))        sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))
    tanh(z)    = (exp(z) - exp(-z)) / (exp(z) + exp(-z))
                                          tanh'(z)    = 1 - tanh(z)^2
    relu(z)    = max(0, z)                relu'(z)    = 1 if z > 0 else 0
    linear(z)  = z                        linear'(z)  = 1

The derivatives are what backpropagation multiplies by on its way back through a layer.
These are the production (backend-neutral) forms; the by-hand numpy network in
`dlcourse.perceptron.backpropagation` carries its own numpy twins.
"""

from keras import ops

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "linear")


def sigmoid(z):
    """Logistic sigmoid, g(z) = 1 / (1 + exp(-z)), elementwise; values in (0, 1).

    Args:
        z: tensor of weighted sums, any shape.

    Returns:
        A tensor of the same shape as `z`.

    Example:

    >>> from dlcourse.perceptron import sigmoid
    >>> float(sigmoid(0.0))
    0.5
    """
    # ops.sigmoid is the overflow-safe form: exp(-z) for z << 0 never reaches inf.
    return ops.sigmoid(z)


def sigmoid_derivative(z):
    """Derivative of the sigmoid, g'(z) = sigmoid(z) (1 - sigmoid(z)), elementwise.

    Args:
        z: tensor of weighted sums, any shape.

    Returns:
        A tensor of the same shape as `z`, values in (0, 0.25].

    Example:

    >>> from dlcourse.perceptron import sigmoid_derivative
    >>> float(sigmoid_derivative(0.0))
    0.25
    """
    s = ops.sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent, g(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)); values in (-1, 1).

    Args:
        z: tensor of weighted sums, any shape.

    Returns:
        A tensor of the same shape as `z`.

    Example:

    >>> from dlcourse.perceptron import tanh
    >>> float(tanh(0.0))
    0.0
    """
    return ops.tanh(z)


def tanh_derivative(z):
    """Derivative of tanh, g'(z) = 1 - tanh(z)^2, elementwise.

    Args:
        z: tensor of weighted sums, any shape.

    Returns:
        A tensor of the same shape as `z`, values in (0, 1].

    Example:

    >>> from dlcourse.perceptron import tanh_derivative
    >>> float(tanh_derivative(0.0))
    1.0
    """
    return 1.0 - ops.square(ops.tanh(z))


def relu(z):
    """Rectified linear unit, g(z) = max(0, z), elementwise.

    Args:
        z: tensor of weighted sums, any shape.

    Returns:
        A tensor of the same shape as `z`.

    Example:

    >>> from dlcourse.perceptron import relu
    >>> float(relu(-2.0)), float(relu(3.0))
    (0.0, 3.0)
    """
    return ops.maximum(z, 0.0)


def relu_derivative(z):
    """Derivative of ReLU, g'(z) = 1 where z > 0 and 0 elsewhere (0 at the kink z = 0).

    Args:
        z: tensor of weighted sums, any shape.

    Returns:
        A tensor of the same shape and float dtype as `z`.

    Example:

    >>> from dlcourse.perceptron import relu_derivative
    >>> float(relu_derivative(-2.0)), float(relu_derivative(3.0))
    (0.0, 1.0)
    """
    z = ops.convert_to_tensor(z)
    return ops.cast(ops.greater(z, 0.0), z.dtype)


def linear(z):
    """Identity activation, g(z) = z (a regression output).

    Args:
        z: tensor of weighted sums, any shape.

    Returns:
        `z` as a tensor.

    Example:

    >>> from dlcourse.perceptron import linear
    >>> float(linear(1.5))
    1.5
    """
    return ops.convert_to_tensor(z)


def linear_derivative(z):
    """Derivative of the identity, g'(z) = 1.

    Args:
        z: tensor of weighted sums, any shape.

    Returns:
        A tensor of ones with the shape and dtype of `z`.

    Example:

    >>> from dlcourse.perceptron import linear_derivative
    >>> float(linear_derivative(1.5))
    1.0
    """
    return ops.ones_like(z)


_BY_NAME = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "linear": (linear, linear_derivative),
}


def get_activation(name):
    """The pair (g, g') for an activation named in the notes' words.

    Args:
        name: one of "sigmoid", "tanh", "relu", "linear".

    Returns:
        A tuple `(activation, derivative)` of functions of a tensor.

    Raises:
        ValueError: for any other name.

    Example:

    >>> from dlcourse.perceptron import get_activation
    >>> g, dg = get_activation("sigmoid")
    >>> float(g(0.0)), float(dg(0.0))
    (0.5, 0.25)
    """
    if name not in _BY_NAME:
        raise ValueError(
            f"activation must be one of {', '.join(ACTIVATION_NAMES)}, got {name!r}."
        )
    return _BY_NAME[name]
