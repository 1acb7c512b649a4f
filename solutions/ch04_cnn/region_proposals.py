# %% [markdown]
"""Region proposals by hierarchical grouping (5 points)
Lecture: §4.4 Object Detection

The notes' answer to the sliding window's fixed window size is region proposal, or selective
search: propose the image regions likely to hold an object, whatever their size, and classify
only those; R-CNN classifies ~2000 such proposals per image. How selective search finds them is
beyond the notes: it (Uijlings et al., 2013) starts from an over-segmentation of the image and
repeatedly merges the two most similar adjacent regions until one region is left; every region
that ever exists -- the small initial ones, whole objects, groups of objects -- proposes its
bounding box. Here is a simplified version of its grouping.

A region r has a size (its pixel count), a mean colour c_r (mean RGB of its pixels) and a box
(y1, x1, y2, x2) (its pixels lie in rows y1 <= y < y2 and columns x1 <= x < x2). Two regions are
adjacent when a pixel of one is the up/down/left/right neighbour of a pixel of the other. The
similarity of regions i and j in an image of A = H * W pixels is

    s_colour = 1 - |c_i - c_j| / sqrt(3)              (|.| the Euclidean norm)
    s_size   = 1 - (size_i + size_j) / A
    s_fill   = 1 - (area(B_ij) - size_i - size_j) / A  (B_ij: the box of both regions together)
    s(i, j)  = s_colour + s_size + s_fill

The grouping:

    regions 0 .. n-1 are the segments; output their boxes in that order
    while some pair of regions is adjacent:
        take the adjacent pair (i, j), i < j, with the largest s(i, j)
            (among exactly equal similarities, the smallest (i, j) in lexicographic order)
        replace i and j by a new region with the next index (n, n+1, ...): size_i + size_j
            pixels, mean colour (size_i c_i + size_j c_j) / (size_i + size_j), the union box,
            adjacent to every region that i or j was adjacent to
        output the new region's box

Implement with numpy:
- `region_similarity(colour_i, colour_j, size_i, size_j, box_i, box_j, image_area)` -> a float.
- `greedy_grouping(image, segments)`: image (H, W, 3) floats, segments (H, W) integers numbering
  the regions 0 .. n-1 (each region connected). Return a float array of shape (2n - 1, 4): the
  boxes of regions 0 .. n-1, then of the n - 1 merged regions in the order they were made (the
  last is the whole image).

Where the R-CNN family goes next (beyond the notes, which leave the R-CNN series unfinished):
R-CNN warps each of the ~2000 proposals and runs the whole CNN on every one -- tens of seconds
per image. Fast R-CNN runs the CNN once per image and cuts each proposal out of the shared
feature map with RoI pooling (max pooling of the proposal's part of the feature map into a
fixed grid, e.g. 7 x 7), so the proposals share almost all the work.
Selective search (CPU, ~2 s per image) then dominates, and Faster R-CNN replaces it by a region
proposal network: a small convolutional head on the same feature map that scores a fixed set of
anchor boxes at every position as object / not object and regresses them (as in the box
regression exercise), followed by non-maximum suppression.

You may not use dlcourse.detection, skimage (scikit-image) or cv2 (OpenCV's
cv2.ximgproc.segmentation).
"""

# %%
import numpy as np


# %%
def region_similarity(colour_i, colour_j, size_i, size_j, box_i, box_j, image_area):
    """s_colour + s_size + s_fill of two regions; a float."""
    ### BEGIN SOLUTION
    colour = 1 - np.linalg.norm(np.asarray(colour_i, float) - np.asarray(colour_j, float)) / np.sqrt(3)
    size = 1 - (size_i + size_j) / image_area
    height = max(box_i[2], box_j[2]) - min(box_i[0], box_j[0])
    width = max(box_i[3], box_j[3]) - min(box_i[1], box_j[1])
    fill = 1 - (height * width - size_i - size_j) / image_area
    return float(colour + size + fill)
    ### END SOLUTION


# %%
def greedy_grouping(image, segments):
    """Boxes of the initial regions, then of each merged region in order; shape (2n - 1, 4)."""
    ### BEGIN SOLUTION
    image, segments = np.asarray(image, dtype=float), np.asarray(segments)
    area = segments.size
    n = int(segments.max()) + 1
    regions, boxes = {}, []
    for k in range(n):
        rows, cols = np.nonzero(segments == k)
        box = (rows.min(), cols.min(), rows.max() + 1, cols.max() + 1)
        regions[k] = (len(rows), image[rows, cols].mean(axis=0), box)
        boxes.append(box)
    neighbours = {k: set() for k in range(n)}
    for a, b in zip(np.concatenate([segments[:, :-1].ravel(), segments[:-1].ravel()]),
                    np.concatenate([segments[:, 1:].ravel(), segments[1:].ravel()])):
        if a != b:
            neighbours[int(a)].add(int(b))
            neighbours[int(b)].add(int(a))
    while any(neighbours[k] for k in regions):
        best, pair = -np.inf, None
        for i in sorted(regions):
            for j in sorted(neighbours[i]):
                if i < j:
                    s = region_similarity(regions[i][1], regions[j][1], regions[i][0], regions[j][0],
                                          regions[i][2], regions[j][2], area)
                    if s > best:
                        best, pair = s, (i, j)
        i, j = pair
        (size_i, colour_i, box_i), (size_j, colour_j, box_j) = regions.pop(i), regions.pop(j)
        new = len(boxes)
        box = (min(box_i[0], box_j[0]), min(box_i[1], box_j[1]),
               max(box_i[2], box_j[2]), max(box_i[3], box_j[3]))
        regions[new] = (size_i + size_j, (size_i * colour_i + size_j * colour_j) / (size_i + size_j), box)
        neighbours[new] = (neighbours.pop(i) | neighbours.pop(j)) - {i, j}
        for k in neighbours[new]:
            neighbours[k] = (neighbours[k] - {i, j}) | {new}
        boxes.append(box)
    return np.array(boxes, dtype=float).reshape(-1, 4)
    ### END SOLUTION
