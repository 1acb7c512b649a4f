"""Chapter 4, part A: convolutional neural networks and image classification.

Lecture: §4.1 Basic structure and components; §4.2 Training a CNN; §4.3 Image Classification

- convolution by hand in numpy: `conv2d_naive` (loops), `im2col` and `conv2d_im2col` (one
  matrix multiply), with `conv_padding`, `conv_output_size`, `pad_images` ("valid", "same",
  explicit padding; stride; dilation); backpropagation `conv2d_backward` with `col2im`; and
  the Keras layer `Conv2D`
- pooling: `max_pool2d`, `max_pool2d_backward`, `global_average_pool2d` (numpy) and the layers
  `MaxPooling2D`, `GlobalAveragePooling2D`
- 1x1 convolutions and channel reduction: `pointwise_conv2d` (the notes' y_{i,j,k} formula),
  the costs `conv2d_multiply_adds`, `conv2d_cost`, and GoogLeNet's `InceptionModule`
- depthwise-separable convolution: `depthwise_conv2d`, `separable_conv2d` (numpy), the layers
  `DepthwiseConv2D`, `SeparableConv2D`, and the parameter counts `conv2d_param_count`,
  `separable_conv2d_param_count`
- `ResidualBlock`: the notes' y = F(x) + x with F = conv-BN-ReLU-conv-BN; options: ResNet's ReLU
  after the sum, a 1x1 projection shortcut when the shape changes
- data augmentation, random only in training: `RandomCrop` (AlexNet's; the centre at
  inference), `RandomPaddedCrop`, `RandomHorizontalFlip`
- linear classifiers (numpy): `softmax`, `softmax_cross_entropy`, `softmax_loss`,
  `softmax_loss_naive`, `multiclass_hinge`, `svm_loss`, `svm_loss_naive`; the Keras loss
  `MulticlassHinge`
- `small_cnn`: a small CNN classifier (about 98% test accuracy on `dlcourse.data.load_digits`)
- transfer learning: `select_classes`, `feature_extractor`, `transfer_model`
- plots: `plot_filters`, `plot_feature_maps`
"""

from dlcourse.cnn.augmentation import RandomCrop, RandomHorizontalFlip, RandomPaddedCrop
from dlcourse.cnn.classifiers import (
    MulticlassHinge,
    multiclass_hinge,
    softmax,
    softmax_cross_entropy,
    softmax_loss,
    softmax_loss_naive,
    svm_loss,
    svm_loss_naive,
)
from dlcourse.cnn.convolution import (
    Conv2D,
    col2im,
    conv2d_backward,
    conv2d_im2col,
    conv2d_naive,
    conv_output_size,
    conv_padding,
    im2col,
    pad_images,
)
from dlcourse.cnn.inception import InceptionModule, conv2d_cost, conv2d_multiply_adds, pointwise_conv2d
from dlcourse.cnn.models import small_cnn
from dlcourse.cnn.plots import plot_feature_maps, plot_filters
from dlcourse.cnn.pooling import (
    GlobalAveragePooling2D,
    MaxPooling2D,
    global_average_pool2d,
    max_pool2d,
    max_pool2d_backward,
)
from dlcourse.cnn.residual import ResidualBlock
from dlcourse.cnn.separable import (
    DepthwiseConv2D,
    SeparableConv2D,
    conv2d_param_count,
    depthwise_conv2d,
    separable_conv2d,
    separable_conv2d_param_count,
)
from dlcourse.cnn.transfer import feature_extractor, select_classes, transfer_model

__all__ = [
    "conv_padding",
    "conv_output_size",
    "pad_images",
    "conv2d_naive",
    "im2col",
    "conv2d_im2col",
    "col2im",
    "conv2d_backward",
    "Conv2D",
    "max_pool2d",
    "max_pool2d_backward",
    "global_average_pool2d",
    "MaxPooling2D",
    "GlobalAveragePooling2D",
    "depthwise_conv2d",
    "separable_conv2d",
    "conv2d_param_count",
    "separable_conv2d_param_count",
    "DepthwiseConv2D",
    "SeparableConv2D",
    "pointwise_conv2d",
    "conv2d_multiply_adds",
    "conv2d_cost",
    "InceptionModule",
    "ResidualBlock",
    "RandomCrop",
    "RandomPaddedCrop",
    "RandomHorizontalFlip",
    "softmax",
    "softmax_cross_entropy",
    "softmax_loss",
    "softmax_loss_naive",
    "multiclass_hinge",
    "svm_loss",
    "svm_loss_naive",
    "MulticlassHinge",
    "small_cnn",
    "select_classes",
    "feature_extractor",
    "transfer_model",
    "plot_filters",
    "plot_feature_maps",
]
