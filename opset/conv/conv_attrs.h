// Attributes and geometry shared by Conv and ConvTranspose: parsed once in the builder, resolved
// against input extents (known or not) by the same function at infer and at run time, so the
// planned output shape and the kernel's parameters cannot disagree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/conv/conv.h"
#include "opset/op.h"

namespace ortl::opset::conv {

enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };

struct ConvAttrs {
  AutoPad auto_pad = AutoPad::kNotSet;
  int64_t group = 1;
  // Empty when absent; per-dim defaults are applied once the spatial rank is known.
  std::vector<int64_t> kernel_shape, strides, dilations, pads;
  std::vector<int64_t> output_padding, output_shape;  // ConvTranspose only
  bool transpose = false;
};

// Reads and validates the attributes; throws kInvalidModel on a bad value.
ConvAttrs parse_conv_attrs(const graph::Node& node, bool transpose);

// Shapes with -1 for an unknown extent (unknown rank is handled by the callers).
struct Geometry {
  int64_t batch = -1, c_out = -1;
  std::vector<int64_t> out;    // spatial output extents, -1 where unknown
  kernels::ConvParams params;  // complete only when every extent is known
};

// x: [N, C, in...], w: Conv [M, C/group, k...] / ConvTranspose [C, M/group, k...]; either may have
// -1 entries. Checks what it can and throws kInvalidArgument on a definite mismatch.
Geometry resolve(const ConvAttrs& a, const std::vector<int64_t>& x, const std::vector<int64_t>& w);

// Shared infer(): X, W, optional B -> Y. conv_output_type is the same without setting it.
TypeInfo conv_output_type(const ConvAttrs& a, InferContext& ctx);
void infer_conv(const ConvAttrs& a, InferContext& ctx);

// FusedConv / NchwcConv epilogue attributes: `activation` (Relu, Clip, LeakyRelu, HardSwish, Silu
// or absent) with `activation_alpha` / `activation_beta`; throws kInvalidModel naming the node.
kernels::ConvEpilogue parse_activation(const graph::Node& n);

}  // namespace ortl::opset::conv
