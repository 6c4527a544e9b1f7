// Resize (opset 10, 11-24) and Upsample (7-8 with a scales attribute, 9+ with a scales input).
// The output shape follows from the scales/sizes values: infer() computes it when they are
// known (initializers, folded shape subgraphs) and emits unknown dims of the right rank
// otherwise; run() always recomputes it from the actual values.
#include "kernels/resize/resize.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "opset/resize/resize.h"
#include "opset/resize/resize_geometry.h"
#include "opset/util.h"

namespace ortl::opset {
namespace {

enum class Given { kAbsent, kKnown, kUnknown };

template <class T>
uint64_t int_bits(float v) {
  const double r =
      std::clamp(std::nearbyint(static_cast<double>(v)), static_cast<double>(std::numeric_limits<T>::min()),
                 static_cast<double>(std::numeric_limits<T>::max()));
  const T t = static_cast<T>(r);
  uint64_t bits = 0;
  std::memcpy(&bits, &t, sizeof(T));
  return bits;
}

// The extrapolation value in the storage of dtype dt (little-endian, low bytes first).
uint64_t fill_bits(DType dt, float v) {
  uint32_t f;
  std::memcpy(&f, &v, 4);
  switch (dt) {
    case DType::kBool: return v != 0;
    case DType::kInt16: return int_bits<int16_t>(v);
    case DType::kUInt16: return int_bits<uint16_t>(v);
    case DType::kInt32: return int_bits<int32_t>(v);
    case DType::kUInt32: return int_bits<uint32_t>(v);
    case DType::kInt64: return int_bits<int64_t>(v);
    case DType::kUInt64: return int_bits<uint64_t>(v);
    case DType::kBFloat16: return (f + 0x7fffu + ((f >> 16) & 1u)) >> 16;  // round to nearest even
    case DType::kFloat16: {
      const uint32_t sign = (f >> 16) & 0x8000u;
      const float a = std::fabs(v);
      if (!(a <= 65504.f)) return sign | (a != a ? 0x7e00u : 0x7c00u);
      if (a < 6.103515625e-05f) return sign | static_cast<uint32_t>(std::nearbyint(a * 16777216.f));  // subnormal
      uint32_t u;
      std::memcpy(&u, &a, 4);
      const uint32_t r = u + 0xfffu + ((u >> 13) & 1u);  // round the 13 dropped bits to even
      return sign | ((r - (112u << 23)) >> 13);
    }
    default: return 0;
  }
}

class Resize final : public OpKernel {
 public:
  Resize(const BuildContext& ctx, bool upsample) {
    attrs_ = parse_resize_attrs(ctx.node, ctx.opset, upsample);
    if (upsample && ctx.opset < 9) {
      attr_scales_ = ctx.node.get_floats("scales");
      check(!attr_scales_.empty(), ErrorCode::kInvalidModel, "Upsample needs the 'scales' attribute");
    } else if (upsample || ctx.opset < 11) {
      scales_in_ = 1;
    } else {
      roi_in_ = 1;
      scales_in_ = 2;
      sizes_in_ = 3;
    }
  }

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    const size_t r = x.shape.size();
    std::vector<float> scales;
    std::vector<int64_t> sizes;
    const Given gs = read_scales(ctx, scales);
    const Given gz = read_sizes(ctx, sizes);
    Shape out = x.shape;
    std::vector<int> axes = resized_axes(static_cast<int64_t>(r));
    if (gs == Given::kUnknown || gz == Given::kUnknown || (gs == Given::kAbsent && gz == Given::kAbsent)) {
      for (int a : axes) out[static_cast<size_t>(a)] = ctx.fresh_dim();
    } else if (graph::all_known(x.shape)) {
      const kernels::ResizeParams p = resize_geometry(attrs_, graph::to_concrete(x.shape), scales, sizes, {});
      out = graph::from_concrete(p.out_shape);
    } else {
      // Symbolic input dims: sizes fix the resized dims (stretch), a scale of exactly 1 keeps
      // the dim, anything else is a new unknown.
      for (size_t i = 0; i < axes.size(); ++i) {
        Dim& d = out[static_cast<size_t>(axes[i])];
        const Dim in = d;
        if (gz == Given::kKnown && attrs_.policy == AspectPolicy::kStretch && i < sizes.size()) {
          d = Dim(sizes[i]);
        } else if (gs == Given::kKnown && i < scales.size() && in.known()) {
          d = Dim(static_cast<int64_t>(std::floor(static_cast<double>(scales[i]) * static_cast<double>(in.value))));
        } else if (!(gs == Given::kKnown && i < scales.size() && scales[i] == 1.f)) {
          d = ctx.fresh_dim();
        }
      }
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, std::move(out)));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    std::vector<float> scales = attr_scales_, roi;
    std::vector<int64_t> sizes;
    if (scales_in_ >= 0 && scales_in_ < ctx.num_inputs() && ctx.input(scales_in_)) {
      scales = read_floats(*ctx.input(scales_in_));
    }
    if (sizes_in_ >= 0 && sizes_in_ < ctx.num_inputs() && ctx.input(sizes_in_)) {
      sizes = read_ints(*ctx.input(sizes_in_));
    }
    if (roi_in_ >= 0 && roi_in_ < ctx.num_inputs() && ctx.input(roi_in_)) roi = read_floats(*ctx.input(roi_in_));
    const kernels::ResizeParams p = resize_geometry(attrs_, x.shape(), scales, sizes, roi);
    Tensor& y = ctx.output(0, p.out_shape);
    if (y.numel() == 0) return;
    const DType dt = x.dtype();
    if (p.mode == kernels::ResizeMode::kNearest && !interp_type(dt, nullptr)) {
      check(dt != DType::kString && dtype_size(dt) > 0 && dtype_size(dt) <= 8, ErrorCode::kNotImplemented,
            "Resize: dtype ", dtype_name(dt), " is not supported");
      // Any other fixed-size type: nearest moves bytes.
      const uint64_t fill = fill_bits(dt, p.extrapolation_value);
      kernels::resize_nearest(p, dtype_size(dt), &fill, x.data(), y.data(), ctx.par());
      return;
    }
    kernels::ResizeType t;
    check(interp_type(dt, &t), ErrorCode::kNotImplemented, "Resize: dtype ", dtype_name(dt),
          " is not supported by mode linear/cubic");
    kernels::resize(p, t, x.data(), y.data(), ctx.par());
  }

  std::vector<int> shape_inputs() const override {
    std::vector<int> v;
    if (scales_in_ >= 0) v.push_back(scales_in_);
    if (sizes_in_ >= 0) v.push_back(sizes_in_);
    return v;
  }

  std::string kernel_name() const override {
    kernels::ResizeParams p;
    p.mode = attrs_.mode;
    p.antialias = attrs_.antialias;
    return kernels::resize_kernel_name(p, kernels::ResizeType::kF32);
  }

 private:
  static bool interp_type(DType dt, kernels::ResizeType* t) {
    kernels::ResizeType v;
    switch (dt) {
      case DType::kFloat: v = kernels::ResizeType::kF32; break;
      case DType::kDouble: v = kernels::ResizeType::kF64; break;
      case DType::kUInt8: v = kernels::ResizeType::kU8; break;
      case DType::kInt8: v = kernels::ResizeType::kI8; break;
      default: return false;
    }
    if (t) *t = v;
    return true;
  }

  std::vector<int> resized_axes(int64_t r) const {
    std::vector<int> axes;
    if (attrs_.axes.empty()) {
      for (int i = 0; i < r; ++i) axes.push_back(i);
    } else {
      for (int64_t a : attrs_.axes) axes.push_back(static_cast<int>(normalize_axis(a, r)));
    }
    return axes;
  }

  // An optional input is absent when omitted or empty (scales=[] next to sizes, opset 11-12).
  static Given given(InferContext& ctx, int i, const Tensor** v) {
    *v = nullptr;
    if (i < 0 || !ctx.has_input(i)) return Given::kAbsent;
    *v = ctx.input_value(i);
    if (*v) return (*v)->numel() == 0 ? Given::kAbsent : Given::kKnown;
    const TypeInfo& t = ctx.input_type(i);
    if (t.has_shape && t.shape.size() == 1 && t.shape[0].known() && t.shape[0].value == 0) return Given::kAbsent;
    return Given::kUnknown;
  }

  Given read_scales(InferContext& ctx, std::vector<float>& out) const {
    if (!attr_scales_.empty()) {
      out = attr_scales_;
      return Given::kKnown;
    }
    const Tensor* v;
    const Given g = given(ctx, scales_in_, &v);
    if (g == Given::kKnown) out = read_floats(*v);
    return g;
  }

  Given read_sizes(InferContext& ctx, std::vector<int64_t>& out) const {
    const Tensor* v;
    const Given g = given(ctx, sizes_in_, &v);
    if (g == Given::kKnown) out = read_ints(*v);
    return g;
  }

  ResizeAttrs attrs_;
  std::vector<float> attr_scales_;  // Upsample-7
  int roi_in_ = -1, scales_in_ = -1, sizes_in_ = -1;
};

}  // namespace

std::unique_ptr<OpKernel> build_resize(const BuildContext& ctx) { return std::make_unique<Resize>(ctx, false); }
std::unique_ptr<OpKernel> build_upsample(const BuildContext& ctx) { return std::make_unique<Resize>(ctx, true); }

}  // namespace ortl::opset
