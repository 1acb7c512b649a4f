"""Region proposals in the manner of selective search (Uijlings et al., 2013), simplified.

Lecture: §4.4 Object Detection

Chapter 4 (object detection). The notes name region proposal, or selective search, as the way
to boxes that adapt to each object's size; how selective search works is beyond the notes.

R-CNN does not look at every window: it classifies the ~2000 regions that selective search
proposes. Selective search over-segments the image, then repeatedly merges the two most similar
adjacent regions until one is left, and proposes the bounding box of every region it ever held
-- small parts, whole objects, groups of objects.

This module keeps that structure and simplifies its parts:

- the over-segmentation (`over_segment`) joins 4-neighbouring pixels whose colours differ by
  less than a fixed threshold (connected components), instead of Felzenszwalb and
  Huttenlocher's adaptive graph criterion;
- the similarity (`region_similarity`) is colour + size + fill, with colour compared by mean
  colour instead of colour histograms, and no texture term:

      s_colour(i, j) = 1 - |c_i - c_j| / sqrt(3)        (c: mean RGB colour, in [0, 1]^3)
      s_size(i, j)   = 1 - (size_i + size_j) / size_image
      s_fill(i, j)   = 1 - (size(BB_ij) - size_i - size_j) / size_image
      s(i, j)        = s_colour + s_size + s_fill

  where size is a pixel count and BB_ij the bounding box of both regions. s_size merges small
  regions first; s_fill prefers regions that fill each other's gaps.
"""

import heapq
import math

import numpy as np

__all__ = ["over_segment", "region_similarity", "greedy_grouping", "selective_search"]


def over_segment(image, threshold=0.1):
    """Label the connected regions of pixels joined by small colour steps.

    Two 4-neighbouring pixels are joined when the Euclidean distance of their colours is
    < threshold; the regions are the connected components of that graph, numbered 0, 1, ...
    in the order of their first pixel in row-major order.

    Args:
        image: array of shape (H, W, C), values in [0, 1].
        threshold: the largest colour step inside a region, > 0.

    Returns:
        int64 array of shape (H, W): each pixel's region index.

    Example:

    >>> import numpy as np
    >>> from dlcourse.detection import over_segment
    >>> image = np.zeros((4, 4, 3)); image[1:3, 1:3] = 1.0
    >>> over_segment(image).tolist()[1]
    [0, 1, 1, 0]
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not threshold > 0:
        raise ValueError(f"threshold must be a positive colour distance, got {threshold!r}.")
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 3:
        raise ValueError(f"image must have shape (H, W, C), got shape {image.shape}.")
    height, width = image.shape[:2]
    index = np.arange(height * width).reshape(height, width)
    right = np.linalg.norm(image[:, 1:] - image[:, :-1], axis=-1) < threshold
    down = np.linalg.norm(image[1:] - image[:-1], axis=-1) < threshold
    senders = np.concatenate([index[:, :-1][right], index[:-1][down]])
    receivers = np.concatenate([index[:, 1:][right], index[1:][down]])
    graph = coo_matrix((np.ones(len(senders)), (senders, receivers)), shape=(index.size,) * 2)
    _, labels = connected_components(graph, directed=False)
    # Renumber by first appearance so that the numbering depends on the image only.
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse].reshape(height, width)


def region_similarity(colour_i, colour_j, size_i, size_j, box_i, box_j, image_area):
    """s_colour + s_size + s_fill of two regions (see the module docstring).

    Args:
        colour_i, colour_j: mean colours, sequences of C numbers.
        size_i, size_j: pixel counts.
        box_i, box_j: bounding boxes (y1, x1, y2, x2).
        image_area: H * W.

    Returns:
        The similarity, a float (at most 3).
    """
    colour = 1.0 - math.dist(colour_i, colour_j) / math.sqrt(3.0)
    size = 1.0 - (size_i + size_j) / image_area
    y1, x1 = min(box_i[0], box_j[0]), min(box_i[1], box_j[1])
    y2, x2 = max(box_i[2], box_j[2]), max(box_i[3], box_j[3])
    fill = 1.0 - ((y2 - y1) * (x2 - x1) - size_i - size_j) / image_area
    return float(colour + size + fill)


def greedy_grouping(image, segments):
    """Selective search's hierarchical grouping of a segmentation; the boxes of all regions.

    Start from the regions of `segments`; while two regions are adjacent, merge the most
    similar adjacent pair (`region_similarity`; ties go to the pair (i, j), i < j, that is
    smallest in lexicographic order) into a new region with the next free index, whose size
    is the sum, mean colour the size-weighted mean, box the union box, and neighbours the union
    of both neighbour sets.

    Args:
        image: array of shape (H, W, C), values in [0, 1].
        segments: int array of shape (H, W) with regions numbered 0, ..., n - 1.

    Returns:
        float64 array of shape (n + merges, 4): the box (y1, x1, y2, x2) of region 0, 1, ...,
        n - 1 and then of each merged region in the order it was made (2n - 1 boxes when the
        regions are connected, the last one the whole image).
    """
    image = np.asarray(image, dtype=np.float64)
    segments = np.asarray(segments)
    height, width, channels = image.shape
    n = int(segments.max()) + 1
    flat = segments.ravel()
    sizes = np.bincount(flat, minlength=n).astype(np.float64)
    colours = np.stack([np.bincount(flat, weights=image[..., k].ravel(), minlength=n)
                        for k in range(channels)], axis=1) / np.maximum(sizes, 1)[:, None]
    rows, cols = np.indices(segments.shape)
    boxes = np.stack([
        np.full(n, np.inf), np.full(n, np.inf), np.full(n, -np.inf), np.full(n, -np.inf)], axis=1)
    np.minimum.at(boxes[:, 0], flat, rows.ravel())
    np.minimum.at(boxes[:, 1], flat, cols.ravel())
    np.maximum.at(boxes[:, 2], flat, rows.ravel() + 1)
    np.maximum.at(boxes[:, 3], flat, cols.ravel() + 1)
    # Plain Python numbers: the loop below calls the similarity thousands of times.
    regions = {i: (float(sizes[i]), tuple(colours[i].tolist()), tuple(boxes[i].tolist()))
               for i in range(n)}
    neighbours = {i: set() for i in range(n)}
    pairs = np.concatenate([
        np.stack([segments[:, :-1].ravel(), segments[:, 1:].ravel()], axis=1),
        np.stack([segments[:-1].ravel(), segments[1:].ravel()], axis=1)])
    for i, j in np.unique(np.sort(pairs[pairs[:, 0] != pairs[:, 1]], axis=1), axis=0):
        neighbours[int(i)].add(int(j))
        neighbours[int(j)].add(int(i))
    area = float(height * width)

    def similarity(i, j):
        (size_i, colour_i, box_i), (size_j, colour_j, box_j) = regions[i], regions[j]
        return region_similarity(colour_i, colour_j, size_i, size_j, box_i, box_j, area)

    # A heap of (-similarity, i, j): popping gives the most similar pair, ties to the smallest
    # (i, j); entries of regions merged away are skipped when they come up.
    heap = [(-similarity(i, j), i, j) for i in neighbours for j in neighbours[i] if i < j]
    heapq.heapify(heap)
    out = [regions[i][2] for i in range(n)]
    while heap:
        _, i, j = heapq.heappop(heap)
        if i not in regions or j not in regions:
            continue
        new = len(out)
        (size_i, colour_i, box_i), (size_j, colour_j, box_j) = regions.pop(i), regions.pop(j)
        box = (min(box_i[0], box_j[0]), min(box_i[1], box_j[1]),
               max(box_i[2], box_j[2]), max(box_i[3], box_j[3]))
        size = size_i + size_j
        colour = tuple((size_i * a + size_j * b) / size for a, b in zip(colour_i, colour_j))
        regions[new] = (size, colour, box)
        neighbours[new] = (neighbours.pop(i) | neighbours.pop(j)) - {i, j}
        for k in sorted(neighbours[new]):
            neighbours[k] = (neighbours[k] - {i, j}) | {new}
            heapq.heappush(heap, (-similarity(k, new), k, new))
        out.append(box)
    return np.asarray(out, dtype=np.float64).reshape(-1, 4)


def selective_search(image, threshold=0.1, min_size=4):
    """Region proposals: over-segment, group greedily, return the distinct boxes.

    Args:
        image: array of shape (H, W, C), values in [0, 1].
        threshold: the over-segmentation's colour threshold (`over_segment`).
        min_size: drop proposals whose height or width is below this many pixels.

    Returns:
        float64 array of shape (n, 4): distinct proposal boxes (y1, x1, y2, x2), in the order the
        grouping first produced them (initial regions, then merges).

    Example:

    >>> import numpy as np
    >>> from dlcourse.detection import selective_search
    >>> image = np.zeros((16, 16, 3)); image[2:8, 3:11] = 1.0
    >>> [8, 3, 16, 11] in selective_search(image, min_size=1).tolist()
    False
    >>> [2.0, 3.0, 8.0, 11.0] in selective_search(image).tolist()
    True
    """
    boxes = greedy_grouping(image, over_segment(image, threshold))
    big = np.minimum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]) >= min_size
    boxes = boxes[big]
    _, first = np.unique(boxes, axis=0, return_index=True)
    return boxes[np.sort(first)]
