// GRU: gates z, r, h (f = Sigmoid, g = Tanh by default); linear_before_reset (from version 3)
// applies r after the recurrent product of the h gate. Versions: 1, 3, 7, 14 (layout), 22.
#include "opset/rnn/recurrent.h"
#include "opset/rnn/rnn.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_gru(const BuildContext& ctx) {
  return rnn::build_recurrent(ctx, {kernels::RnnCell::kGru, "GRU", ctx.opset >= 14, ctx.opset >= 3});
}

}  // namespace ortl::opset
