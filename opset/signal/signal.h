// Builders of the signal op family (listed in opset/signal/ops.inc).
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_dft(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_stft(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_hann_window(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_hamming_window(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_blackman_window(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_mel_weight_matrix(const BuildContext& ctx);

}  // namespace ortl::opset
