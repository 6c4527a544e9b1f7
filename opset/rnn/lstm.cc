// LSTM: gates i, o, f, c with optional peepholes P (f = Sigmoid, g = h = Tanh by default) and
// input_forget (f = 1 - i). Versions: 1, 7, 14 (layout), 22 (bfloat16).
#include "opset/rnn/recurrent.h"
#include "opset/rnn/rnn.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_lstm(const BuildContext& ctx) {
  return rnn::build_recurrent(ctx, {kernels::RnnCell::kLstm, "LSTM", ctx.opset >= 14, false});
}

}  // namespace ortl::opset
