# %% [markdown]
"""Binary cross-entropy and mean squared error (6 points)
Lecture: §1 From Perceptron to Neural Network; §2.4.2 MSE Loss

A network is trained by minimising a loss that compares its predictions y_hat with the
targets y. The notes' losses of one prediction are

    Binary cross-entropy:  L(y_hat_i, y_i) = -(y_i log y_hat_i + (1 - y_i) log(1 - y_hat_i))
    Mean squared error:    L(y_hat_i, y_i) = (y_i - y_hat_i)^2

and the cost of a data set is their average, J(W) = (1/n) sum_i L(y_hat_i, y_i). Implement
three loss functions in numpy. Each returns a Python float: the average over ALL entries of
its arguments (every sample and every output), for y_true, y_pred and logits of shape (N,) or
(N, K), the two arguments of one call alike.

1. `mean_squared_error(y_true, y_pred)`:

       MSE = mean( (y_true - y_pred)^2 )

2. `binary_cross_entropy(y_true, y_pred, epsilon=1e-7)`, where y_pred holds probabilities p
   (the notes' y_hat):

       BCE = -mean( y log(p) + (1 - y) log(1 - p) )

   Beyond the notes: a saturated sigmoid returns p = 0 or p = 1 exactly, and log(0) = -inf.
   First clip the probabilities to [epsilon, 1 - epsilon] (as Keras does), then apply the
   formula.

3. `binary_cross_entropy_from_logits(y_true, logits)`, where logits holds z and p = sigmoid(z)
   (beyond the notes). Computing sigmoid(z) and then its log loses everything for large |z|.
   Use the numerically stable form instead (it equals the BCE above without clipping):

       BCE = mean( max(z, 0) - z y + log(1 + exp(-|z|)) )

   It must stay finite and accurate for |z| up to 1000.

You may not use keras, tensorflow, scipy, sklearn or dlcourse.perceptron.
"""

# %%
import numpy as np


# %%
def mean_squared_error(y_true, y_pred):
    """MSE averaged over all entries, a float."""
    # YOUR CODE HERE
    raise NotImplementedError()


def binary_cross_entropy(y_true, y_pred, epsilon=1e-7):
    """BCE of probabilities clipped to [epsilon, 1 - epsilon], averaged over all entries."""
    # YOUR CODE HERE
    raise NotImplementedError()


def binary_cross_entropy_from_logits(y_true, logits):
    """BCE of p = sigmoid(logits) in the overflow-free form, averaged over all entries."""
    # YOUR CODE HERE
    raise NotImplementedError()
