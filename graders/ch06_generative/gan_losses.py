"""Grader for ch06_generative/gan_losses."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.generative", "keras", "tensorflow", "scipy")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "value_function": {"d_real": "(M,)", "d_fake": "(M',)"},
    "discriminator_loss": {"logits_real": "(M,)", "logits_fake": "(M',)"},
    "generator_loss": {"logits_fake": "(M',)"},
    "generator_loss_gradient": {"logits_fake": "(M',)"},
}


@check(points=1, visible=True)
def value_and_losses_on_a_small_batch(sub):
    """V from probabilities, L_D and both generator losses on two real and three generated examples."""
    a_real, a_fake = np.array([2.0, 0.5]), np.array([-1.0, 0.0, 1.5])
    sigmoid = lambda a: 1.0 / (1.0 + np.exp(-a))  # noqa: E731
    return {"value": sub.value_function(sigmoid(a_real), sigmoid(a_fake)),
            "loss_d": sub.discriminator_loss(a_real, a_fake),
            "loss_g_saturating": sub.generator_loss(a_fake, True),
            "loss_g_non_saturating": sub.generator_loss(a_fake, False)}


@check(points=1)
def losses_on_random_batches_of_different_sizes(sub):
    """V, L_D and both generator losses with M = 7 real and M' = 4 generated examples."""
    rng = np.random.default_rng(3)
    a_real, a_fake = 2.0 * rng.normal(size=7), 2.0 * rng.normal(size=4)
    return {"value": sub.value_function(1.0 / (1.0 + np.exp(-a_real)), 1.0 / (1.0 + np.exp(-a_fake))),
            "loss_d": sub.discriminator_loss(a_real, a_fake),
            "loss_g_saturating": sub.generator_loss(a_fake, True),
            "loss_g_non_saturating": sub.generator_loss(a_fake, False)}


@check(points=1)
def losses_with_huge_logits(sub):
    """L_D and both generator losses stay finite and exact for logits of +-1000."""
    a_real, a_fake = np.array([1000.0, -1000.0, 3.0]), np.array([-1000.0, 1000.0])
    return {"loss_d": sub.discriminator_loss(a_real, a_fake),
            "loss_g_saturating": sub.generator_loss(a_fake, True),
            "loss_g_non_saturating": sub.generator_loss(a_fake, False)}


@check(points=1, visible=True)
def gradients_when_the_discriminator_wins(sub):
    """both gradients where D(G(z)) is near 0 (logits -8 and -12) and at a logit of 0."""
    a_fake = np.array([-8.0, -12.0, 0.0])
    return {"grad_saturating": sub.generator_loss_gradient(a_fake, True),
            "grad_non_saturating": sub.generator_loss_gradient(a_fake, False)}


@check(points=2, rtol=1e-6, atol=1e-9)
def gradients_on_a_random_batch(sub):
    """both gradients for M' = 6 logits, some of them +-1000."""
    a_fake = np.concatenate([3.0 * np.random.default_rng(8).normal(size=4), [1000.0, -1000.0]])
    return {"grad_saturating": sub.generator_loss_gradient(a_fake, True),
            "grad_non_saturating": sub.generator_loss_gradient(a_fake, False)}
