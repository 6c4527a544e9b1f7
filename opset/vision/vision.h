// Builders of the vision op family (listed in opset/vision/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_grid_sample(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_affine_grid(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_nms(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_einsum(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_topk(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_unique(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_col2im(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_deform_conv(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_roi_align(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_max_unpool(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_det(const BuildContext& ctx);

}  // namespace ortl::opset
