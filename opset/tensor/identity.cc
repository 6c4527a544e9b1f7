// Identity and Dropout (inference): views of their input. Dropout's optional mask is all true
// (all ones before opset 10, where the mask has the input's dtype).
#include <algorithm>
#include <cstring>

#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

class Identity final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override { ctx.set_output(0, ctx.input_type(0)); }
  void run(RunContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) {  // a sequence or optional: immutable, shared as is
      CompositePtr c = ctx.input_composite_ptr(0);
      check(c != nullptr, ErrorCode::kInvalidArgument, "Identity: the input is missing");
      ctx.set_output_composite(0, std::move(c));
      return;
    }
    ctx.alias_output(0, *x, x->shape());
  }
  bool is_view() const override { return true; }
};

class Dropout final : public OpKernel {
 public:
  Dropout(bool bool_mask, bool mode_inputs) : bool_mask_(bool_mask), mode_inputs_(mode_inputs) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    ctx.set_output(0, x);
    if (ctx.num_outputs() > 1) ctx.set_output(1, TypeInfo{bool_mask_ ? DType::kBool : x.dtype, x.has_shape, x.shape});
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (mode_inputs_ && ctx.input(2) && scalar_int(*ctx.input(2), "Dropout", "training_mode") != 0) {
      const std::vector<float> r = ctx.input(1) ? floats_of(*ctx.input(1)) : std::vector<float>{0.5f};
      const float ratio = r.empty() ? 0.5f : r[0];
      check(ratio == 0.0f, ErrorCode::kNotImplemented,
            "Dropout: training_mode=true with a non-zero ratio is not supported (ort-lite runs inference only)");
    }
    ctx.alias_output(0, x, x.shape());
    if (ctx.num_outputs() > 1 && ctx.has_output(1)) {
      Tensor& mask = ctx.output(1, x.shape());
      const uint64_t one = value_bits(1.0, mask.dtype());
      dispatch_by_size(mask.dtype(), "Dropout", [&](auto t) {
        using T = decltype(t);
        T v;
        std::memcpy(&v, &one, sizeof(T));
        std::fill_n(mask.data_as<T>(), mask.numel(), v);
      });
    }
  }

  bool is_view() const override { return true; }

 private:
  bool bool_mask_;    // opset >= 10
  bool mode_inputs_;  // ratio / training_mode inputs (opset >= 12)
};

}  // namespace

std::unique_ptr<OpKernel> build_identity(const BuildContext&) { return std::make_unique<Identity>(); }

std::unique_ptr<OpKernel> build_dropout(const BuildContext& b) {
  return std::make_unique<Dropout>(b.opset >= 10, b.opset >= 12);
}

}  // namespace ortl::opset
