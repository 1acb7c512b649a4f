"""Pictures of chapter 6: latent spaces, sample grids, latent traversals, 2-D samples and densities.

Lecture: §6.1 Variational Autoencoders(VAE); §6.2 Generative Adversarial Network(GAN); §6.3 Flow-based Deep Generative Models

Every function draws into a given matplotlib Axes or a new bare Figure (no pyplot, so nothing is
shown or kept open behind the caller's back) and returns the Figure: in a notebook it displays
itself, elsewhere `figure.savefig("samples.png")`.
"""

from __future__ import annotations

import numpy as np

from dlcourse._plotting import new_axes as _new_axes

__all__ = ["plot_latent_space", "plot_image_grid", "plot_latent_traversal", "plot_samples_2d", "plot_density"]



def _tile(images, ncols):
    images = np.asarray(images, dtype=float)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3:
        raise ValueError(f"images must have shape (N, H, W) or (N, H, W, 1), got {images.shape}.")
    n, h, w = images.shape
    nrows = -(-n // ncols)
    canvas = np.full((nrows * (h + 1) - 1, ncols * (w + 1) - 1), np.nan)
    for k, image in enumerate(images):
        r, c = divmod(k, ncols)
        canvas[r * (h + 1): r * (h + 1) + h, c * (w + 1): c * (w + 1) + w] = image
    return canvas


def plot_latent_space(z, labels, title=None, ax=None):
    """Scatter the 2-D codes z of an (variational) autoencoder, coloured by class.

    Args:
        z: codes (N, 2), e.g. `Autoencoder.encode(x)` or the means of `VAE.encode(x)`.
        labels: class of each point (N,), e.g. the digit.
        title: optional title.
        ax: optional matplotlib Axes.

    Returns:
        The matplotlib Figure.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import plot_latent_space
    >>> figure = plot_latent_space(np.zeros((3, 2)), [0, 1, 2])
    >>> figure.axes[0].get_xlabel()
    'z_1'
    """
    z, labels = np.asarray(z, dtype=float), np.asarray(labels)
    if z.ndim != 2 or z.shape[1] != 2:
        raise ValueError(f"z must have shape (N, 2), got {z.shape}; train with latent_dim=2 or project first.")
    if len(labels) != len(z):
        raise ValueError(f"labels must have one entry per code: got {len(labels)} labels for {len(z)} codes.")
    ax = ax or _new_axes((5.5, 4.5))
    points = ax.scatter(z[:, 0], z[:, 1], c=labels, cmap="tab10", s=8, vmin=-0.5, vmax=9.5)
    ax.figure.colorbar(points, ax=ax, ticks=range(10), label="class")
    ax.set_xlabel("z_1")
    ax.set_ylabel("z_2")
    ax.set_title(title or "latent space")
    return ax.figure


def plot_image_grid(images, ncols=8, title=None, ax=None):
    """Tile images (N, H, W) or (N, H, W, 1) with values in [0, 1] into one grey picture.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import plot_image_grid
    >>> plot_image_grid(np.zeros((10, 8, 8, 1)), ncols=5).axes[0].images[0].get_array().shape
    (17, 44)
    """
    canvas = _tile(images, ncols)
    ax = ax or _new_axes((0.6 * ncols + 0.4, 0.6 * (canvas.shape[0] + 1) / 9 + 0.6))
    ax.imshow(canvas, cmap="gray_r", vmin=0.0, vmax=1.0)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax.figure


def plot_latent_traversal(images, values, title=None, ax=None):
    """Decoded images over a grid of two latent coordinates (`VAE.latent_traversal`).

    Args:
        images: (n * n, H, W, C): row i holds z_2 = values[n - 1 - i] (top is high), column j
            z_1 = values[j].
        values: the n grid values of each coordinate.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import plot_latent_traversal
    >>> figure = plot_latent_traversal(np.zeros((9, 8, 8, 1)), [-1.0, 0.0, 1.0])
    >>> figure.axes[0].get_xlabel()
    'z_1'
    """
    values = np.asarray(values, dtype=float)
    n = len(values)
    if len(images) != n * n:
        raise ValueError(f"a traversal over {n} values needs {n * n} images, got {len(images)}.")
    canvas = _tile(images, n)
    h = (canvas.shape[0] + 1) // n
    ax = ax or _new_axes((0.55 * n + 1.0, 0.55 * n + 0.8))
    ax.imshow(canvas, cmap="gray_r", vmin=0.0, vmax=1.0)
    ticks = np.arange(n) * h + (h - 1) / 2
    ax.set_xticks(ticks, [f"{v:.1f}" for v in values])
    ax.set_yticks(ticks, [f"{v:.1f}" for v in values[::-1]])
    ax.set_xlabel("z_1")
    ax.set_ylabel("z_2")
    ax.set_title(title or "latent traversal")
    return ax.figure


def plot_samples_2d(real, generated, centers=None, title=None, ax=None):
    """Real and generated 2-D samples in one scatter plot, with the known modes if given.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import plot_samples_2d
    >>> figure = plot_samples_2d(np.zeros((4, 2)), np.ones((4, 2)), centers=np.zeros((1, 2)))
    >>> [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    ['real', 'generated', 'modes']
    """
    real, generated = np.asarray(real, dtype=float), np.asarray(generated, dtype=float)
    ax = ax or _new_axes((5.0, 5.0))
    ax.scatter(real[:, 0], real[:, 1], s=4, alpha=0.4, color="tab:blue", label="real")
    ax.scatter(generated[:, 0], generated[:, 1], s=4, alpha=0.4, color="tab:orange", label="generated")
    if centers is not None:
        centers = np.asarray(centers, dtype=float)
        ax.scatter(centers[:, 0], centers[:, 1], marker="x", s=30, color="black", label="modes")
    ax.set_aspect("equal")
    ax.legend(loc="upper right")
    ax.set_title(title or "samples")
    return ax.figure


def plot_density(xs, ys, density, samples=None, title=None, ax=None):
    """A 2-D density on a grid (`density_on_grid`) as a heat map, with samples on top if given.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import plot_density
    >>> figure = plot_density(np.arange(3.0), np.arange(2.0), np.ones((2, 3)), samples=np.zeros((2, 2)))
    >>> len(figure.axes[0].collections)  # the heat map and the samples
    2
    """
    density = np.asarray(density, dtype=float)
    if density.shape != (len(ys), len(xs)):
        raise ValueError(f"density must have shape (len(ys), len(xs)) = {(len(ys), len(xs))}, got {density.shape}.")
    ax = ax or _new_axes((5.5, 4.5))
    image = ax.pcolormesh(xs, ys, density, shading="nearest", cmap="magma")
    ax.figure.colorbar(image, ax=ax, label="p(x)")
    if samples is not None:
        samples = np.asarray(samples, dtype=float)
        ax.scatter(samples[:, 0], samples[:, 1], s=3, color="cyan", alpha=0.5, label="samples")
        ax.legend(loc="upper right", markerscale=3)
    ax.set_aspect("equal")
    ax.set_title(title or "density")
    return ax.figure
