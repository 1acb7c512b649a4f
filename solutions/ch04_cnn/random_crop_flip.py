# %% [markdown]
"""Data augmentation: AlexNet's random crops and horizontal flips (6 points)
Lecture: §4.2.1 Data Augmentation

The notes' data augmentation shows the network transformed copies of its training images
(other positions, orientations, lighting), so that it overfits less and learns to ignore
changes that do not matter for the task; AlexNet did it with random crops and horizontal
flips. The notes name the two transformations only; the rules below are ours, the usual ones
(AlexNet cut 224 x 224 windows out of 256 x 256 images and mirrored them half of the time).

Images are channels-last numpy arrays, one image of shape (H, W, C) or a batch (N, H, W, C).
A crop of size (h, w) with 1 <= h <= H and 1 <= w <= W is the window

    crop = image[top : top + h, left : left + w]

1. `random_crop(image, size, rng)`: draw top and left independently and uniformly over the
   legal positions, top in {0, 1, ..., H - h} and left in {0, 1, ..., W - w}, and return the
   tuple (crop, (top, left)). A crop as large as the image has the single position (0, 0).
   Raise ValueError when the crop does not fit (h > H or w > W) or a side is smaller than 1.
2. `random_flip(image, rng)`: with probability 1/2 mirror the image left-right (column j
   becomes column W - 1 - j: image[:, ::-1]), otherwise keep it; return the tuple
   (image_out, flipped) with flipped a bool.
3. `augment(images, size, rng, training=True)`: images (N, H, W, C) -> the batch (N, h, w, C).
   In training every image gets its own random crop, then its own random flip. At test time (training=False)
   nothing is random: every image gives its central window, top = (H - h) // 2 and
   left = (W - w) // 2, unflipped. (AlexNet averaged its test predictions over the centre,
   the four corners and their mirrors; we keep the centre.)

Draw every random number from the `numpy.random.Generator` `rng` (e.g. rng.integers,
rng.random), never from np.random directly: two generators seeded alike must give the same
crops and flips, and each call draws new ones. Return new arrays; do not modify the inputs.
The checks test the positions and flips statistically, so your random numbers need not be
the reference's.

You may not use keras, tensorflow, torch or dlcourse.cnn.
"""

# %%
import numpy as np


# %%
def random_crop(image, size, rng):
    """Return (crop, (top, left)): a uniformly placed window of size (h, w) of image (H, W, C)."""
    ### BEGIN SOLUTION
    image = np.asarray(image)
    height, width = image.shape[:2]
    h, w = size
    if not (1 <= h <= height and 1 <= w <= width):
        raise ValueError(f"a crop of size {tuple(size)} does not fit an image of size {height} x {width}.")
    top = int(rng.integers(0, height - h + 1))
    left = int(rng.integers(0, width - w + 1))
    return image[top : top + h, left : left + w].copy(), (top, left)
    ### END SOLUTION


def random_flip(image, rng):
    """Return (image_out, flipped): image mirrored left-right with probability 1/2."""
    ### BEGIN SOLUTION
    image = np.asarray(image)
    flipped = bool(rng.random() < 0.5)
    return (image[:, ::-1] if flipped else image).copy(), flipped
    ### END SOLUTION


def augment(images, size, rng, training=True):
    """Return the batch (N, h, w, C): random crop + flip per image in training, the centre otherwise."""
    ### BEGIN SOLUTION
    images = np.asarray(images)
    out = []
    for image in images:
        if training:
            crop, _ = random_crop(image, size, rng)
            crop, _ = random_flip(crop, rng)
        else:
            height, width = image.shape[:2]
            h, w = size
            top, left = (height - h) // 2, (width - w) // 2
            crop = image[top : top + h, left : left + w].copy()
        out.append(crop)
    return np.stack(out)
    ### END SOLUTION
