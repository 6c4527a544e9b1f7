// RNN: Ht = f(Xt * Wi^T + Ht-1 * Ri^T + Wbi + Rbi), f = Tanh by default. Versions: 1 (with the
// unused output_sequence attribute), 7 (the same maths), 14 (layout), 22 (bfloat16).
#include "opset/rnn/recurrent.h"
#include "opset/rnn/rnn.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_rnn(const BuildContext& ctx) {
  return rnn::build_recurrent(ctx, {kernels::RnnCell::kRnn, "RNN", ctx.opset >= 14, false});
}

}  // namespace ortl::opset
