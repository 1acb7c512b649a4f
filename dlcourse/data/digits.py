"""scikit-learn's 8x8 handwritten digits, shaped for Keras: the course's offline image set."""

import numpy as np


def load_digits(test_size=None, seed=0):
    """The 1797 handwritten digits bundled with scikit-learn, as Keras-ready images.

    Each image is 8x8 pixels with grey levels 0..16 (Alpaydin and Kaynak, UCI); they are scaled
    to x = level / 16 in [0, 1] and given a channel axis. Nothing is downloaded.

    Args:
        test_size: None to get all samples, or a fraction in (0, 1): then a seeded split that
            keeps each digit's share in both parts (stratified), both parts shuffled.
        seed: seed of the split's numpy generator.

    Returns:
        With test_size=None: (x, y), x float32 of shape (1797, 8, 8, 1), y int64 labels 0..9
        of shape (1797,). Otherwise ((x_train, y_train), (x_test, y_test)), as
        keras.datasets.mnist.load_data returns them.

    Example:

    >>> from dlcourse.data import load_digits
    >>> (x_train, y_train), (x_test, y_test) = load_digits(test_size=0.2, seed=0)
    >>> x_train.shape, x_test.shape
    ((1438, 8, 8, 1), (359, 8, 8, 1))
    """
    from sklearn import datasets  # here: importing scikit-learn takes a second

    digits = datasets.load_digits()
    x = (digits.images / 16.0).astype(np.float32)[..., None]
    y = digits.target.astype(np.int64)
    if test_size is None:
        return x, y
    if not isinstance(test_size, float) or not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be None or a fraction strictly between 0 and 1, "
                         f"got {test_size!r}.")
    rng = np.random.default_rng(seed)
    test = []
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        test.extend(members[: int(round(test_size * len(members)))])
    in_test = np.zeros(len(y), dtype=bool)
    in_test[test] = True
    train_idx = rng.permutation(np.flatnonzero(~in_test))
    test_idx = rng.permutation(np.flatnonzero(in_test))
    return (x[train_idx], y[train_idx]), (x[test_idx], y[test_idx])
