# %% [markdown]
"""Sliding-window detection (4 points)
Lecture: §4.4 Object Detection

The notes' first idea for finding many objects is detection as classification: slide a window
over the image and hand every crop to an image classifier (a pre-trained ImageNet network, by
transfer learning). They name its two problems: the window size is fixed, and one window finds
one object. Here the first is met as early detectors did (ours, beyond the notes): windows of
several sizes (equivalently, one window over an image pyramid). For a window of height h and
width w and a stride s over an image of height H and width W, the windows are the boxes

    (y, x, y + h, x + w)    for y = 0, s, 2s, ... with y + h <= H,  and  x = 0, s, 2s, ... with x + w <= W

in corner form (y1, x1, y2, x2) (pixel y1 <= row < y2, x1 <= column < x2). Order: window size
by window size in the given order; within a size, row by row (y increasing) and, within a row,
x increasing. A window larger than the image gives no boxes.

Implement with numpy:
- `sliding_windows(image_height, image_width, window_sizes, stride)`: window_sizes is a list
  whose entries are an integer (a square window) or a (height, width) pair. Return a float
  array of shape (n, 4) with all windows in the order above.
- `detect_with_sliding_window(image, score_fn, window_sizes, stride, score_threshold)`: image
  (H, W, C); score each window by calling `score_fn(crop)` on its pixels
  crop = image[y1:y2, x1:x2] (it returns a number, e.g. a classifier's probability of "object").
  Return (boxes, scores): the windows whose score is > score_threshold, shape (k, 4), and their
  scores, shape (k,), in window order.

This is the brute force that R-CNN's region proposals replace: thousands of classifier calls
per image. You may not use dlcourse.detection, tensorflow, keras or torch.
"""

# %%
import numpy as np


# %%
def sliding_windows(image_height, image_width, window_sizes, stride):
    """All windows (y1, x1, y2, x2) that fit, size by size, row by row; shape (n, 4)."""
    ### BEGIN SOLUTION
    windows = []
    for size in window_sizes:
        height, width = (size, size) if np.isscalar(size) else size
        for y in range(0, image_height - height + 1, stride):
            for x in range(0, image_width - width + 1, stride):
                windows.append([y, x, y + height, x + width])
    return np.array(windows, dtype=float).reshape(-1, 4)
    ### END SOLUTION


# %%
def detect_with_sliding_window(image, score_fn, window_sizes, stride, score_threshold):
    """Windows scoring > score_threshold and their scores: (k, 4) and (k,)."""
    ### BEGIN SOLUTION
    image = np.asarray(image)
    windows = sliding_windows(image.shape[0], image.shape[1], window_sizes, stride)
    scores = np.array([float(score_fn(image[int(y1):int(y2), int(x1):int(x2)]))
                       for y1, x1, y2, x2 in windows])
    keep = scores > score_threshold
    return windows[keep], scores[keep]
    ### END SOLUTION
