// The op layer shared by RNN, GRU and LSTM: attribute parsing (direction, activations with
// their alpha / beta, clip, layout), shape inference and input validation around the kernels of
// kernels/rnn. The three op files only say which cell and which attributes their versions have.
#pragma once

#include <string>

#include "kernels/rnn/rnn.h"
#include "opset/op.h"

namespace ortl::opset::rnn {

struct RecurrentAttrs {
  kernels::RnnCell cell = kernels::RnnCell::kRnn;
  const char* op = "RNN";
  bool allow_layout = false;  // layout exists from opset 14
  bool allow_lbr = false;     // GRU linear_before_reset exists from opset 3
};

// Parses the node's attributes; throws kInvalidArgument for a bad direction, activation name,
// activation count, layout or negative hidden_size / clip.
std::unique_ptr<OpKernel> build_recurrent(const BuildContext& ctx, const RecurrentAttrs& a);

}  // namespace ortl::opset::rnn
