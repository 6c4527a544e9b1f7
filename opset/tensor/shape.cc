// Shape and Size (whose values follow from shapes alone, so they are published at inference
// for constant folding), ConstantOfShape, Range and EyeLike.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <type_traits>

#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

class ShapeOp final : public OpKernel {
 public:
  ShapeOp(int64_t start, std::optional<int64_t> end) : start_(start), end_(end) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo::of(DType::kInt64, {ctx.fresh_dim()}));
      return;
    }
    const auto [b, e] = range(x.rank());
    ctx.set_output(0, TypeInfo::of(DType::kInt64, {Dim(e - b)}));
    if (graph::all_known(Shape(x.shape.begin() + b, x.shape.begin() + e))) {
      Tensor v(DType::kInt64, {e - b});
      for (int64_t i = b; i < e; ++i) v.data_as<int64_t>()[i - b] = x.shape[i].value;
      ctx.set_output_value(0, v);
    }
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const auto [b, e] = range(x.rank());
    Tensor& y = ctx.output(0, {e - b});
    for (int64_t i = b; i < e; ++i) y.data_as<int64_t>()[i - b] = x.shape()[i];
  }

 private:
  // [start, end) clamped to [0, rank]; empty when start > end.
  std::pair<int64_t, int64_t> range(int64_t rank) const {
    auto clamp = [rank](int64_t a) { return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank); };
    const int64_t b = clamp(start_), e = end_ ? clamp(*end_) : rank;
    return {b, std::max(b, e)};
  }
  int64_t start_;
  std::optional<int64_t> end_;
};

class Size final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    ctx.set_output(0, TypeInfo::of(DType::kInt64, {}));
    if (x.has_shape && graph::all_known(x.shape)) {
      Tensor v(DType::kInt64, {});
      v.data_as<int64_t>()[0] = checked_numel(concrete(x.shape));
      ctx.set_output_value(0, v);
    }
  }
  void run(RunContext& ctx) const override { ctx.output(0, {}).data_as<int64_t>()[0] = ctx.input(0)->numel(); }
};

class ConstantOfShape final : public OpKernel {
 public:
  explicit ConstantOfShape(Tensor value) : value_(std::move(value)) {}

  void infer(InferContext& ctx) const override {
    check(ctx.input_dtype(0) == DType::kUndefined || ctx.input_dtype(0) == DType::kInt64, ErrorCode::kInvalidArgument,
          "ConstantOfShape: the shape input must be int64");
    std::vector<int64_t> shape;
    if (known_ints(ctx, 0, shape)) {
      checked_numel(shape);
      ctx.set_output(0, TypeInfo::of(value_.dtype(), graph::from_concrete(shape)));
      return;
    }
    const TypeInfo& s = ctx.input_type(0);
    if (s.rank() == 1 && s.shape[0].known()) {
      ctx.set_output(0, TypeInfo::of(value_.dtype(), fresh_dims(ctx, s.shape[0].value)));
    } else {
      ctx.set_output(0, TypeInfo{value_.dtype(), false, {}});
    }
  }

  void run(RunContext& ctx) const override {
    Tensor& y = ctx.output(0, input_ints(ctx, 0));
    dispatch_move(value_.dtype(), "ConstantOfShape", [&](auto tag) {
      using T = decltype(tag);
      std::fill_n(y.data_as<T>(), y.numel(), value_.data_as<T>()[0]);
    });
  }

  std::vector<int> shape_inputs() const override { return {0}; }

 private:
  Tensor value_;
};

class Range final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    const DType dt = ctx.input_dtype(0);
    for (int i = 1; i < 3; ++i)
      check(ctx.input_dtype(i) == dt || ctx.input_dtype(i) == DType::kUndefined, ErrorCode::kInvalidArgument,
            "Range: start, limit and delta must have one dtype");
    const Tensor* s = ctx.input_value(0);
    const Tensor* l = ctx.input_value(1);
    const Tensor* d = ctx.input_value(2);
    ctx.set_output(0, TypeInfo::of(dt, {s && l && d ? Dim(count(*s, *l, *d)) : ctx.fresh_dim()}));
  }

  void run(RunContext& ctx) const override {
    const Tensor& s = *ctx.input(0);
    const Tensor& d = *ctx.input(2);
    const int64_t n = count(s, *ctx.input(1), d);
    Tensor& y = ctx.output(0, {n});
    if (is_half(s.dtype())) {  // stash_type float (the default and only choice before opset 27)
      const float start = floats_of(s)[0], delta = floats_of(d)[0];
      auto* out = y.data_as<uint16_t>();
      for (int64_t i = 0; i < n; ++i) {
        const float v = start + static_cast<float>(i) * delta;
        out[i] = s.dtype() == DType::kFloat16 ? float_to_half_bits(v) : float_to_bf16_bits(v);
      }
      return;
    }
    dispatch_numeric(s.dtype(), "Range", [&](auto tag) {
      using T = decltype(tag);
      const T start = s.data_as<T>()[0], delta = d.data_as<T>()[0];
      T* out = y.data_as<T>();
      if constexpr (std::is_floating_point_v<T>) {
        for (int64_t i = 0; i < n; ++i) out[i] = start + static_cast<T>(i) * delta;
      } else {  // by accumulation: every partial value is an output, so nothing overflows
        T v = start;
        for (int64_t i = 0; i < n; ++i, v = i < n ? static_cast<T>(v + delta) : v) out[i] = v;
      }
    });
  }

  std::vector<int> shape_inputs() const override { return {0, 1, 2}; }

 private:
  static bool is_half(DType dt) { return dt == DType::kFloat16 || dt == DType::kBFloat16; }

  // max(ceil((limit - start) / delta), 0), capped at the tensor size limit.
  static int64_t float_count(double diff, double delta) {
    check(delta != 0, ErrorCode::kInvalidArgument, "Range: delta must not be 0");
    const double q = std::ceil(diff / delta);
    check(!(q > 0x1p40), ErrorCode::kOutOfMemory, "Range: ", q, " elements is too many");
    return q > 0 ? static_cast<int64_t>(q) : 0;
  }

  static int64_t count(const Tensor& s, const Tensor& l, const Tensor& d) {
    check(s.numel() == 1 && l.numel() == 1 && d.numel() == 1, ErrorCode::kInvalidArgument,
          "Range: start, limit and delta must be scalars");
    check(s.dtype() == l.dtype() && s.dtype() == d.dtype(), ErrorCode::kInvalidArgument,
          "Range: start, limit and delta must have one dtype");
    if (is_half(s.dtype())) {
      const float start = floats_of(s)[0], limit = floats_of(l)[0], delta = floats_of(d)[0];
      return float_count(limit - start, delta);
    }
    int64_t n = 0;
    dispatch_numeric(s.dtype(), "Range", [&](auto tag) {
      using T = decltype(tag);
      const T start = s.data_as<T>()[0], limit = l.data_as<T>()[0], delta = d.data_as<T>()[0];
      if constexpr (std::is_floating_point_v<T>) {  // as ONNX Runtime: difference in T, division in double
        n = float_count(static_cast<double>(limit - start), static_cast<double>(delta));
      } else {  // exact integer ceil-division, in 128 bits so int64 extremes cannot overflow
        check(delta != T{0}, ErrorCode::kInvalidArgument, "Range: delta must not be 0");
        const __int128 diff = static_cast<__int128>(limit) - start, dd = delta;
        const __int128 q = diff / dd + ((diff % dd != 0) && ((diff > 0) == (dd > 0)) ? 1 : 0);
        check(q <= (__int128{1} << 40), ErrorCode::kOutOfMemory, "Range: too many elements");
        n = q > 0 ? static_cast<int64_t>(q) : 0;
      }
    });
    checked_numel({n});
    return n;
  }
};

class EyeLike final : public OpKernel {
 public:
  EyeLike(DType dtype, int64_t k) : dtype_(dtype), k_(k) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    check(!x.has_shape || x.rank() == 2, ErrorCode::kInvalidArgument, "EyeLike: the input must be 2-D, got rank ",
          x.rank());
    ctx.set_output(0, TypeInfo{dtype_ == DType::kUndefined ? x.dtype : dtype_, x.has_shape, x.shape});
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    check(x.rank() == 2, ErrorCode::kInvalidArgument, "EyeLike: the input must be 2-D, got rank ", x.rank());
    Tensor& y = ctx.output(0, x.shape());
    const uint64_t one_bits = value_bits(1.0, y.dtype());
    dispatch_by_size(y.dtype(), "EyeLike", [&](auto tag) {
      using T = decltype(tag);
      T one;
      std::memcpy(&one, &one_bits, sizeof(T));
      kernels::eye(y.data_as<T>(), x.shape()[0], x.shape()[1], k_, T{0}, one);
    });
  }

 private:
  DType dtype_;
  int64_t k_;
};

}  // namespace

std::unique_ptr<OpKernel> build_shape(const BuildContext& b) {
  if (b.opset < 15) return std::make_unique<ShapeOp>(0, std::nullopt);
  std::optional<int64_t> end;
  if (b.node.has("end")) end = b.node.get_int("end", 0);
  return std::make_unique<ShapeOp>(b.node.get_int("start", 0), end);
}

std::unique_ptr<OpKernel> build_size(const BuildContext&) { return std::make_unique<Size>(); }

std::unique_ptr<OpKernel> build_constant_of_shape(const BuildContext& b) {
  const Tensor* v = b.node.get_tensor("value");
  if (!v) {
    Tensor zero(DType::kFloat, {1});
    return std::make_unique<ConstantOfShape>(zero);
  }
  check(v->numel() == 1, ErrorCode::kInvalidModel, "ConstantOfShape: 'value' must hold one element, got shape ",
        shape_str(v->shape()));
  return std::make_unique<ConstantOfShape>(*v);
}

std::unique_ptr<OpKernel> build_range(const BuildContext&) { return std::make_unique<Range>(); }

std::unique_ptr<OpKernel> build_eye_like(const BuildContext& b) {
  DType dt = DType::kUndefined;
  if (b.node.has("dtype")) dt = static_cast<DType>(b.node.get_int("dtype", 0));
  if (dt != DType::kUndefined) value_bits(1.0, dt);  // throws for a dtype EyeLike cannot produce
  return std::make_unique<EyeLike>(dt, b.node.get_int("k", 0));
}

}  // namespace ortl::opset
