// Identity and Dropout: views of their input. Dropout's optional mask is all true (all ones
// before opset 10, where the mask has the input's dtype). Dropout with training_mode = true and a
// non-zero ratio (opset >= 12) writes a fresh output instead, its mask drawn from numpy's
// RandomState(seed) stream as onnx's reference does (kernels/random/random.h).
#include <algorithm>
#include <cstring>
#include <optional>
#include <random>

#include "kernels/random/random.h"
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
  Dropout(bool bool_mask, bool mode_inputs, std::optional<int64_t> seed)
      : bool_mask_(bool_mask), mode_inputs_(mode_inputs), seed_(seed) {}

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
      if (ratio != 0.0f) return run_training(ctx, ratio);
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
  // Training mode without a seed draws a new mask every run: never fold it.
  bool deterministic() const override { return !mode_inputs_ || seed_.has_value(); }

 private:
  void run_training(RunContext& ctx, float ratio) const {
    const Tensor& x = *ctx.input(0);
    if (!(ratio >= 0.0f && ratio < 1.0f))
      fail(ErrorCode::kInvalidArgument, "Dropout: ratio ", ratio, " is not in [0, 1)");
    kernels::DropoutParams p;
    p.ratio = ratio;
    // numpy seeds MT19937 with the low 32 bits; without a seed every run differs.
    p.seed = seed_ ? static_cast<uint32_t>(*seed_) : std::random_device{}();
    Tensor& y = ctx.output(0, x.shape());
    uint8_t* mask = ctx.num_outputs() > 1 && ctx.has_output(1) ? ctx.output(1, x.shape()).data_as<uint8_t>() : nullptr;
    const int64_t n = x.numel();
    switch (x.dtype()) {
      case DType::kFloat: kernels::dropout_train<float>(p, n, x.data_as<float>(), y.data_as<float>(), mask); break;
      case DType::kDouble: kernels::dropout_train<double>(p, n, x.data_as<double>(), y.data_as<double>(), mask); break;
      case DType::kFloat16:
      case DType::kBFloat16: {
        const Tensor wide = half_to_float(x);
        Tensor out(DType::kFloat, x.shape());
        kernels::dropout_train<float>(p, n, wide.data_as<float>(), out.data_as<float>(), mask);
        float_to_half(out.data_as<float>(), y);
        break;
      }
      default: fail(ErrorCode::kNotImplemented, "Dropout: training mode for dtype ", dtype_name(x.dtype()));
    }
  }

  bool bool_mask_;               // opset >= 10
  bool mode_inputs_;             // ratio / training_mode inputs (opset >= 12)
  std::optional<int64_t> seed_;  // the seed attribute
};

}  // namespace

std::unique_ptr<OpKernel> build_identity(const BuildContext&) { return std::make_unique<Identity>(); }

std::unique_ptr<OpKernel> build_dropout(const BuildContext& b) {
  std::optional<int64_t> seed;
  if (b.node.has("seed")) seed = b.node.get_int("seed", 0);
  return std::make_unique<Dropout>(b.opset >= 10, b.opset >= 12, seed);
}

}  // namespace ortl::opset
