// Builders of the tensor op family (listed in opset/tensor/ops.inc): shape manipulation and
// data movement. Kernels live in kernels/transform/.
#pragma once

#include "opset/op.h"

namespace ortl::opset {

// Views (output aliases input 0).
std::unique_ptr<OpKernel> build_reshape(const BuildContext& b);
std::unique_ptr<OpKernel> build_flatten(const BuildContext& b);
std::unique_ptr<OpKernel> build_squeeze(const BuildContext& b);
std::unique_ptr<OpKernel> build_unsqueeze(const BuildContext& b);
std::unique_ptr<OpKernel> build_identity(const BuildContext& b);
std::unique_ptr<OpKernel> build_dropout(const BuildContext& b);

// Data movement.
std::unique_ptr<OpKernel> build_transpose(const BuildContext& b);
std::unique_ptr<OpKernel> build_concat(const BuildContext& b);
std::unique_ptr<OpKernel> build_split(const BuildContext& b);
std::unique_ptr<OpKernel> build_slice(const BuildContext& b);
std::unique_ptr<OpKernel> build_gather(const BuildContext& b);
std::unique_ptr<OpKernel> build_gather_elements(const BuildContext& b);
std::unique_ptr<OpKernel> build_gather_nd(const BuildContext& b);
std::unique_ptr<OpKernel> build_scatter_elements(const BuildContext& b);
std::unique_ptr<OpKernel> build_scatter_nd(const BuildContext& b);
std::unique_ptr<OpKernel> build_tensor_scatter(const BuildContext& b);
std::unique_ptr<OpKernel> build_compress(const BuildContext& b);
std::unique_ptr<OpKernel> build_reverse_sequence(const BuildContext& b);
std::unique_ptr<OpKernel> build_expand(const BuildContext& b);
std::unique_ptr<OpKernel> build_tile(const BuildContext& b);
std::unique_ptr<OpKernel> build_pad(const BuildContext& b);
std::unique_ptr<OpKernel> build_center_crop_pad(const BuildContext& b);
std::unique_ptr<OpKernel> build_depth_to_space(const BuildContext& b);
std::unique_ptr<OpKernel> build_space_to_depth(const BuildContext& b);

// Shapes and generators.
std::unique_ptr<OpKernel> build_shape(const BuildContext& b);
std::unique_ptr<OpKernel> build_size(const BuildContext& b);
std::unique_ptr<OpKernel> build_constant_of_shape(const BuildContext& b);
std::unique_ptr<OpKernel> build_range(const BuildContext& b);
std::unique_ptr<OpKernel> build_eye_like(const BuildContext& b);
std::unique_ptr<OpKernel> build_trilu(const BuildContext& b);
std::unique_ptr<OpKernel> build_one_hot(const BuildContext& b);
std::unique_ptr<OpKernel> build_nonzero(const BuildContext& b);
std::unique_ptr<OpKernel> build_cumsum(const BuildContext& b);
std::unique_ptr<OpKernel> build_cumprod(const BuildContext& b);

}  // namespace ortl::opset
