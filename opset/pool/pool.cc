// MaxPool (1-24, with the optional Indices output), AveragePool (1-24), LpPool (1-24) and
// GlobalMax/Average/LpPool. One builder per op reads every attribute of every version: later
// versions only add attributes (ceil_mode 10, dilations 10/19, storage_order 8) whose defaults
// give the older behaviour, and LpPool-1's float `p` reads like the later int `p`.
#include "kernels/pool/pool.h"

#include <algorithm>

#include "kernels/base/isa.h"
#include "kernels/nchwc/nchwc.h"
#include "opset/pool/pool.h"
#include "opset/util.h"

namespace ortl::opset {
namespace {

using kernels::PoolKind;
using kernels::PoolType;

enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };

bool pool_type(DType dt, PoolKind kind, PoolType* t) {
  switch (dt) {
    case DType::kFloat: *t = PoolType::kF32; return true;
    case DType::kDouble: *t = PoolType::kF64; return true;
    case DType::kUInt8: *t = PoolType::kU8; return kind == PoolKind::kMax;
    case DType::kInt8: *t = PoolType::kI8; return kind == PoolKind::kMax;
    default: return false;
  }
}

const char* kind_name(PoolKind k) {
  return k == PoolKind::kMax ? "MaxPool" : (k == PoolKind::kAvg ? "AveragePool" : "LpPool");
}

float read_p(const graph::Node& node) {
  const float p = node.get_float("p", 2.f);  // an int from LpPool-2 on, a float in LpPool-1
  check(p > 0, ErrorCode::kInvalidModel, "p must be positive, got ", p);
  return p;
}

class Pool final : public OpKernel {
 public:
  Pool(const BuildContext& ctx, PoolKind kind, bool nchwc = false) : kind_(kind), nchwc_(nchwc) {
    const graph::Node& n = ctx.node;
    kernel_ = n.get_ints("kernel_shape");
    check(!kernel_.empty(), ErrorCode::kInvalidModel, "kernel_shape is required");
    const size_t D = kernel_.size();
    strides_ = n.get_ints("strides", std::vector<int64_t>(D, 1));
    dilations_ = n.get_ints("dilations", std::vector<int64_t>(D, 1));
    pads_ = n.get_ints("pads", std::vector<int64_t>(2 * D, 0));
    if (strides_.empty()) strides_.assign(D, 1);
    if (dilations_.empty()) dilations_.assign(D, 1);
    if (pads_.empty()) pads_.assign(2 * D, 0);
    check(strides_.size() == D && dilations_.size() == D && pads_.size() == 2 * D, ErrorCode::kInvalidModel,
          "strides, dilations and pads must match kernel_shape (", D, " axes)");
    for (size_t d = 0; d < D; ++d) {
      check(kernel_[d] > 0 && strides_[d] > 0 && dilations_[d] > 0, ErrorCode::kInvalidModel,
            "kernel_shape, strides and dilations must be positive");
      check(pads_[d] >= 0 && pads_[D + d] >= 0, ErrorCode::kInvalidModel, "pads must not be negative");
    }
    const std::string ap = n.get_string("auto_pad", "NOTSET");
    if (ap == "NOTSET") {
      auto_pad_ = AutoPad::kNotSet;
    } else if (ap == "SAME_UPPER") {
      auto_pad_ = AutoPad::kSameUpper;
    } else if (ap == "SAME_LOWER") {
      auto_pad_ = AutoPad::kSameLower;
    } else if (ap == "VALID") {
      auto_pad_ = AutoPad::kValid;
    } else {
      fail(ErrorCode::kInvalidModel, "auto_pad '", ap, "' is not valid");
    }
    ceil_mode_ = n.get_int("ceil_mode", 0) != 0;
    count_include_pad_ = n.get_int("count_include_pad", 0) != 0;
    const int64_t so = n.get_int("storage_order", 0);
    check(so == 0 || so == 1, ErrorCode::kInvalidModel, "storage_order must be 0 or 1");
    column_major_ = so == 1;
    if (kind == PoolKind::kLp) p_ = read_p(n);
    check(!nchwc || (D == 2 && kind != PoolKind::kLp), ErrorCode::kInvalidModel,
          "NCHWc pooling is 2-D max or average only");
  }

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    if (nchwc_) return infer_nchwc(ctx, x);
    PoolType t;
    check(x.dtype == DType::kUndefined || pool_type(x.dtype, kind_, &t), ErrorCode::kNotImplemented, kind_name(kind_),
          ": dtype ", dtype_name(x.dtype), " is not supported");
    TypeInfo y{x.dtype, false, {}};
    if (x.has_shape) {
      check(x.shape.size() == kernel_.size() + 2, ErrorCode::kInvalidArgument, kind_name(kind_), ": input rank ",
            x.shape.size(), " does not match kernel_shape (", kernel_.size(), " spatial axes)");
      y.has_shape = true;
      y.shape = {x.shape[0], x.shape[1]};
      for (size_t d = 0; d < kernel_.size(); ++d) {
        const Dim& in = x.shape[d + 2];
        if (in.known()) {
          int64_t out, pb, pe;
          axis(d, in.value, &out, &pb, &pe);
          y.shape.push_back(out);
        } else {
          y.shape.push_back(ctx.fresh_dim());
        }
      }
    }
    ctx.set_output(0, y);
    if (ctx.num_outputs() > 1) {
      check(kind_ == PoolKind::kMax, ErrorCode::kInvalidModel, kind_name(kind_), " has one output");
      y.dtype = DType::kInt64;
      ctx.set_output(1, y);
    }
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (nchwc_) return run_nchwc(ctx, x);
    const size_t D = kernel_.size();
    check(static_cast<size_t>(x.rank()) == D + 2, ErrorCode::kInvalidArgument, kind_name(kind_), ": input rank ",
          x.rank(), " does not match kernel_shape");
    PoolType t;
    check(pool_type(x.dtype(), kind_, &t), ErrorCode::kNotImplemented, kind_name(kind_), ": dtype ",
          dtype_name(x.dtype()), " is not supported");
    kernels::PoolParams p;
    p.kind = kind_;
    p.batch = x.dim(0);
    p.channels = x.dim(1);
    p.kernel = kernel_;
    p.stride = strides_;
    p.dilation = dilations_;
    p.count_include_pad = count_include_pad_;
    p.p = p_;
    p.column_major_indices = column_major_;
    std::vector<int64_t> shape = {p.batch, p.channels};
    for (size_t d = 0; d < D; ++d) {
      int64_t out, pb, pe;
      axis(d, x.dim(static_cast<int>(d + 2)), &out, &pb, &pe);
      p.in.push_back(x.dim(static_cast<int>(d + 2)));
      p.out.push_back(out);
      p.pad_begin.push_back(pb);
      p.pad_end.push_back(pe);
      shape.push_back(out);
    }
    Tensor& y = ctx.output(0, shape);
    int64_t* indices = nullptr;
    if (ctx.num_outputs() > 1 && ctx.has_output(1)) indices = ctx.output(1, shape).data_as<int64_t>();
    kernels::pool(p, t, x.data(), y.data(), indices, ctx.par());
  }

  // 2-D max / average: the per-ISA float32 variant (other dtypes and the Indices output take the
  // generic path).
  std::string kernel_name() const override {
    if (nchwc_) return kind_ == PoolKind::kMax ? "nchwc_max_pool" : "nchwc_avg_pool";
    if (kernel_.size() == 2 && kind_ != PoolKind::kLp) return kernels::select_pool2d_f32(kernels::active_isa()).name;
    return std::string("pool_") + (kind_ == PoolKind::kMax ? "max" : (kind_ == PoolKind::kAvg ? "avg" : "lp")) +
           "_generic";
  }

 private:
  // X [N, C/16, H, W, 16] -> Y [N, C/16, OH, OW, 16] (float, no Indices output).
  void infer_nchwc(InferContext& ctx, const TypeInfo& x) const {
    check(x.dtype == DType::kFloat || x.dtype == DType::kUndefined, ErrorCode::kNotImplemented, "Nchwc",
          kind_name(kind_), ": dtype ", dtype_name(x.dtype), " is not supported");
    check(ctx.num_outputs() == 1, ErrorCode::kInvalidModel, "Nchwc", kind_name(kind_), " has one output");
    TypeInfo y{DType::kFloat, false, {}};
    if (x.has_shape) {
      check(x.rank() == 5, ErrorCode::kInvalidArgument, "Nchwc", kind_name(kind_), ": X must be NCHWc, got ",
            shape_str(x.shape));
      y = x;
      for (size_t d = 0; d < 2; ++d) {
        int64_t out, pb, pe;
        if (x.shape[d + 2].known()) {
          axis(d, x.shape[d + 2].value, &out, &pb, &pe);
          y.shape[d + 2] = Dim(out);
        } else {
          y.shape[d + 2] = ctx.fresh_dim();
        }
      }
    }
    ctx.set_output(0, y);
  }

  void run_nchwc(RunContext& ctx, const Tensor& x) const {
    check(x.dtype() == DType::kFloat && x.rank() == 5 && x.dim(4) == kernels::nchwc::kBlock,
          ErrorCode::kInvalidArgument, "Nchwc", kind_name(kind_), ": X must be float NCHWc, got ",
          shape_str(x.shape()));
    kernels::nchwc::Pool2dParams p;
    p.batch = x.dim(0);
    p.c = x.dim(1) * kernels::nchwc::kBlock;  // whole blocks: pad lanes pool like the others
    p.ih = x.dim(2), p.iw = x.dim(3);
    axis(0, p.ih, &p.oh, &p.ph, &p.ph_end);
    axis(1, p.iw, &p.ow, &p.pw, &p.pw_end);
    p.kh = kernel_[0], p.kw = kernel_[1], p.sh = strides_[0], p.sw = strides_[1];
    p.dh = dilations_[0], p.dw = dilations_[1];
    p.max = kind_ == PoolKind::kMax;
    p.count_include_pad = count_include_pad_;
    Tensor& y = ctx.output(0, {p.batch, x.dim(1), p.oh, p.ow, kernels::nchwc::kBlock});
    kernels::nchwc::pool2d(p, x.data_as<float>(), y.data_as<float>(), ctx.par());
  }

  // Output length and explicit pads of spatial axis d for input length `in`.
  void axis(size_t d, int64_t in, int64_t* out, int64_t* pb, int64_t* pe) const {
    const size_t D = kernel_.size();
    const int64_t k = kernel_[d], s = strides_[d], dl = dilations_[d];
    if (auto_pad_ == AutoPad::kSameUpper || auto_pad_ == AutoPad::kSameLower) {
      kernels::pool_same_pads(in, k, s, dl, auto_pad_ == AutoPad::kSameUpper, out, pb, pe);
    } else if (auto_pad_ == AutoPad::kValid) {
      *pb = *pe = 0;
      *out = kernels::pool_out_len(in, k, s, dl, 0, 0, false);
    } else {
      *pb = pads_[d];
      *pe = pads_[D + d];
      *out = kernels::pool_out_len(in, k, s, dl, *pb, *pe, ceil_mode_);
    }
    // VALID keeps the spec's ceil((in - window + 1) / stride), which is 0 for a window longer
    // than the axis (an empty output, as ORT gives); explicit pads that leave no room are an error.
    check(*out >= 1 || in == 0 || auto_pad_ == AutoPad::kValid, ErrorCode::kInvalidArgument, kind_name(kind_),
          ": the window (kernel ", k, ", dilation ", dl, ") does not fit spatial axis ", d, " of length ", in,
          " with its padding");
  }

  PoolKind kind_;
  bool nchwc_ = false;
  std::vector<int64_t> kernel_, strides_, dilations_, pads_;
  AutoPad auto_pad_ = AutoPad::kNotSet;
  bool ceil_mode_ = false, count_include_pad_ = false, column_major_ = false;
  float p_ = 2.f;
};

class GlobalPool final : public OpKernel {
 public:
  GlobalPool(const BuildContext& ctx, PoolKind kind, bool nchwc = false) : kind_(kind), nchwc_(nchwc) {
    if (kind == PoolKind::kLp) p_ = read_p(ctx.node);
    check(!nchwc || kind != PoolKind::kLp, ErrorCode::kInvalidModel, "NCHWc global pooling is max or average only");
  }

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    PoolType t;
    check(x.dtype == DType::kUndefined || pool_type(x.dtype, kind_, &t), ErrorCode::kNotImplemented, "Global",
          kind_name(kind_), ": dtype ", dtype_name(x.dtype), " is not supported");
    TypeInfo y{x.dtype, false, {}};
    if (x.has_shape) {
      check(x.shape.size() >= 2, ErrorCode::kInvalidArgument, "Global", kind_name(kind_), ": input rank ",
            x.shape.size(), " is below 2");
      y.has_shape = true;
      y.shape = x.shape;
      const size_t spatial_end = y.shape.size() - (nchwc_ ? 1 : 0);  // NCHWc: the lane dim stays
      for (size_t d = 2; d < spatial_end; ++d) y.shape[d] = Dim(1);
    }
    ctx.set_output(0, y);
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    check(x.rank() >= 2, ErrorCode::kInvalidArgument, "Global", kind_name(kind_), ": input rank ", x.rank(),
          " is below 2");
    if (nchwc_) {  // [N, C/16, H, W, 16] -> [N, C/16, 1, 1, 16]
      check(x.dtype() == DType::kFloat && x.rank() == 5 && x.dim(4) == kernels::nchwc::kBlock,
            ErrorCode::kInvalidArgument, "NchwcGlobal", kind_name(kind_), ": X must be float NCHWc, got ",
            shape_str(x.shape()));
      Tensor& y = ctx.output(0, {x.dim(0), x.dim(1), 1, 1, kernels::nchwc::kBlock});
      kernels::nchwc::global_pool(x.dim(0), x.dim(1) * kernels::nchwc::kBlock, x.dim(2) * x.dim(3),
                                  kind_ == PoolKind::kMax, x.data_as<float>(), y.data_as<float>(), ctx.par());
      return;
    }
    PoolType t;
    check(pool_type(x.dtype(), kind_, &t), ErrorCode::kNotImplemented, "Global", kind_name(kind_), ": dtype ",
          dtype_name(x.dtype()), " is not supported");
    std::vector<int64_t> shape = x.shape();
    int64_t plane = 1;
    for (size_t d = 2; d < shape.size(); ++d) {
      plane *= shape[d];
      shape[d] = 1;
    }
    Tensor& y = ctx.output(0, shape);
    kernels::global_pool(kind_, t, p_, x.dim(0) * x.dim(1), plane, x.data(), y.data(), ctx.par());
  }

  std::string kernel_name() const override {
    if (nchwc_) return kind_ == PoolKind::kMax ? "nchwc_global_max_pool" : "nchwc_global_avg_pool";
    if (kind_ != PoolKind::kLp) return std::string("global_") + kernels::select_pool2d_f32(kernels::active_isa()).name;
    return "global_pool_generic";
  }

 private:
  PoolKind kind_;
  bool nchwc_ = false;
  float p_ = 2.f;
};

}  // namespace

std::unique_ptr<OpKernel> build_max_pool(const BuildContext& ctx) {
  return std::make_unique<Pool>(ctx, PoolKind::kMax);
}
std::unique_ptr<OpKernel> build_average_pool(const BuildContext& ctx) {
  return std::make_unique<Pool>(ctx, PoolKind::kAvg);
}
std::unique_ptr<OpKernel> build_lp_pool(const BuildContext& ctx) { return std::make_unique<Pool>(ctx, PoolKind::kLp); }
std::unique_ptr<OpKernel> build_global_max_pool(const BuildContext& ctx) {
  return std::make_unique<GlobalPool>(ctx, PoolKind::kMax);
}
std::unique_ptr<OpKernel> build_global_average_pool(const BuildContext& ctx) {
  return std::make_unique<GlobalPool>(ctx, PoolKind::kAvg);
}
std::unique_ptr<OpKernel> build_global_lp_pool(const BuildContext& ctx) {
  return std::make_unique<GlobalPool>(ctx, PoolKind::kLp);
}

std::unique_ptr<OpKernel> build_nchwc_max_pool(const BuildContext& ctx) {
  return std::make_unique<Pool>(ctx, PoolKind::kMax, true);
}
std::unique_ptr<OpKernel> build_nchwc_average_pool(const BuildContext& ctx) {
  return std::make_unique<Pool>(ctx, PoolKind::kAvg, true);
}
std::unique_ptr<OpKernel> build_nchwc_global_max_pool(const BuildContext& ctx) {
  return std::make_unique<GlobalPool>(ctx, PoolKind::kMax, true);
}
std::unique_ptr<OpKernel> build_nchwc_global_average_pool(const BuildContext& ctx) {
  return std::make_unique<GlobalPool>(ctx, PoolKind::kAvg, true);
}

}  // namespace ortl::opset
