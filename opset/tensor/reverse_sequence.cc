// ReverseSequence: for each batch entry b, reverses the first sequence_lens[b] steps along the
// time axis and copies the rest. Batch and time are axes 0 and 1 (either order); each
// (batch, time) pair is one contiguous row, so this is a row gather.
#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

class ReverseSequence final : public OpKernel {
 public:
  ReverseSequence(int64_t batch_axis, int64_t time_axis) : batch_axis_(batch_axis), time_axis_(time_axis) {}

  void infer(InferContext& ctx) const override {
    check_index_input(ctx, 1, "ReverseSequence", "sequence_lens");
    ctx.set_output(0, ctx.input_type(0));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    check(x.rank() >= 2, ErrorCode::kInvalidArgument, "ReverseSequence: the input must have rank >= 2");
    const int64_t batch = x.shape()[batch_axis_], time = x.shape()[time_axis_];
    const std::vector<int64_t> lens = ints_of(*ctx.input(1));
    check(static_cast<int64_t>(lens.size()) == batch, ErrorCode::kInvalidArgument, "ReverseSequence: ", lens.size(),
          " sequence_lens for a batch of ", batch);
    for (int64_t l : lens)
      check(l >= 0 && l <= time, ErrorCode::kInvalidArgument, "ReverseSequence: sequence length ", l,
            " is out of range for a time axis of ", time);
    const int64_t d1 = x.shape()[1], inner = x.numel() / std::max<int64_t>(x.shape()[0] * d1, 1);
    std::vector<int64_t> offsets(static_cast<size_t>(x.shape()[0] * d1));
    for (int64_t i0 = 0; i0 < x.shape()[0]; ++i0) {
      for (int64_t i1 = 0; i1 < d1; ++i1) {
        const int64_t b = batch_axis_ == 0 ? i0 : i1, t = batch_axis_ == 0 ? i1 : i0;
        const int64_t src_t = t < lens[b] ? lens[b] - 1 - t : t;
        offsets[i0 * d1 + i1] = (batch_axis_ == 0 ? b * d1 + src_t : src_t * d1 + b) * inner;
      }
    }
    Tensor& y = ctx.output(0, x.shape());
    if (y.numel() == 0) return;
    dispatch_move(x.dtype(), "ReverseSequence", [&](auto tag) {
      using T = decltype(tag);
      kernels::gather_rows(x.data_as<T>(), offsets.data(), static_cast<int64_t>(offsets.size()), inner, y.data_as<T>(),
                           ctx.par());
    });
  }

 private:
  int64_t batch_axis_;
  int64_t time_axis_;
};

}  // namespace

std::unique_ptr<OpKernel> build_reverse_sequence(const BuildContext& b) {
  const int64_t batch_axis = b.node.get_int("batch_axis", 1), time_axis = b.node.get_int("time_axis", 0);
  check((batch_axis == 0 && time_axis == 1) || (batch_axis == 1 && time_axis == 0), ErrorCode::kInvalidModel,
        "ReverseSequence: batch_axis and time_axis must be 0 and 1 in some order");
  return std::make_unique<ReverseSequence>(batch_axis, time_axis);
}

}  // namespace ortl::opset
