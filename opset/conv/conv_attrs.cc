#include "opset/conv/conv_attrs.h"

#include <algorithm>

namespace ortl::opset::conv {
namespace {

// Python-style floor division: the spec's ConvTranspose padding split is written for integers
// that may be negative (an output_shape one past the natural size gives total padding -1, and
// the onnx reference then pads the end, not the beginning).
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t at(const std::vector<int64_t>& v, size_t d, int64_t def) { return v.empty() ? def : v[d]; }

const char* op_name(const ConvAttrs& a) { return a.transpose ? "ConvTranspose" : "Conv"; }

}  // namespace

ConvAttrs parse_conv_attrs(const graph::Node& node, bool transpose) {
  ConvAttrs a;
  a.transpose = transpose;
  const std::string ap = node.get_string("auto_pad", "NOTSET");
  if (ap == "NOTSET") {
    a.auto_pad = AutoPad::kNotSet;
  } else if (ap == "SAME_UPPER") {
    a.auto_pad = AutoPad::kSameUpper;
  } else if (ap == "SAME_LOWER") {
    a.auto_pad = AutoPad::kSameLower;
  } else if (ap == "VALID") {
    a.auto_pad = AutoPad::kValid;
  } else {
    fail(ErrorCode::kInvalidModel, "auto_pad '", ap, "' is not valid");
  }
  a.group = node.get_int("group", 1);
  check(a.group >= 1, ErrorCode::kInvalidModel, "group must be positive, got ", a.group);
  a.kernel_shape = node.get_ints("kernel_shape");
  a.strides = node.get_ints("strides");
  a.dilations = node.get_ints("dilations");
  a.pads = node.get_ints("pads");
  for (int64_t k : a.kernel_shape) check(k > 0, ErrorCode::kInvalidModel, "kernel_shape must be positive");
  for (int64_t s : a.strides) check(s > 0, ErrorCode::kInvalidModel, "strides must be positive");
  for (int64_t d : a.dilations) check(d > 0, ErrorCode::kInvalidModel, "dilations must be positive");
  for (int64_t p : a.pads) check(p >= 0, ErrorCode::kInvalidModel, "pads must not be negative");
  check(a.pads.size() % 2 == 0, ErrorCode::kInvalidModel, "pads must have two entries per spatial axis");
  if (transpose) {
    a.output_padding = node.get_ints("output_padding");
    a.output_shape = node.get_ints("output_shape");
    for (int64_t p : a.output_padding) check(p >= 0, ErrorCode::kInvalidModel, "output_padding must not be negative");
    for (int64_t s : a.output_shape) check(s >= 0, ErrorCode::kInvalidModel, "output_shape must not be negative");
  } else {
    check(!node.has("output_padding") && !node.has("output_shape"), ErrorCode::kInvalidModel,
          "output_padding / output_shape belong to ConvTranspose");
  }
  return a;
}

Geometry resolve(const ConvAttrs& a, const std::vector<int64_t>& x, const std::vector<int64_t>& w) {
  const char* op = op_name(a);
  check(x.size() >= 3 && x.size() == w.size(), ErrorCode::kInvalidArgument, op, ": X (rank ", x.size(),
        ") and W (rank ", w.size(), ") must have the same rank, at least 3");
  const size_t rank = x.size() - 2;
  auto sized = [&](const std::vector<int64_t>& v, size_t n, const char* name) {
    check(v.empty() || v.size() == n, ErrorCode::kInvalidArgument, op, ": ", name, " has ", v.size(),
          " entries, expected ", n, " for ", rank, " spatial axes");
  };
  sized(a.kernel_shape, rank, "kernel_shape");
  sized(a.strides, rank, "strides");
  sized(a.dilations, rank, "dilations");
  sized(a.pads, 2 * rank, "pads");
  sized(a.output_padding, rank, "output_padding");
  // Some exporters write output_shape with the batch and channel dims in front.
  std::vector<int64_t> output_shape = a.output_shape;
  if (output_shape.size() == rank + 2) output_shape.erase(output_shape.begin(), output_shape.begin() + 2);
  sized(output_shape, rank, "output_shape");

  Geometry g;
  kernels::ConvParams& p = g.params;
  p.group = a.group;
  g.batch = p.batch = x[0];
  p.c_in = x[1];
  // Conv W: [M, C/group, k...]; ConvTranspose W: [C, M/group, k...].
  const int64_t w_in = a.transpose ? w[0] : w[1] * a.group;
  if (p.c_in >= 0 && w[a.transpose ? 0 : 1] >= 0) {
    check(p.c_in == w_in, ErrorCode::kInvalidArgument, op, ": X has ", p.c_in, " channels, W expects ", w_in,
          " (group ", a.group, ")");
  }
  if (p.c_in >= 0) {
    check(p.c_in % a.group == 0, ErrorCode::kInvalidArgument, op, ": ", p.c_in,
          " input channels are not divisible by group ", a.group);
  }
  if (a.transpose) {
    g.c_out = p.c_out = w[1] < 0 ? -1 : w[1] * a.group;
  } else {
    g.c_out = p.c_out = w[0];
    if (w[0] >= 0) {
      check(w[0] % a.group == 0, ErrorCode::kInvalidArgument, op, ": ", w[0],
            " output channels are not divisible by group ", a.group);
    }
  }

  for (size_t d = 0; d < rank; ++d) {
    const int64_t in = x[d + 2], wk = w[d + 2];
    int64_t k = at(a.kernel_shape, d, wk);
    if (!a.kernel_shape.empty() && wk >= 0) {
      check(k == wk, ErrorCode::kInvalidArgument, op, ": kernel_shape[", d, "] = ", k, " but W has ", wk);
    }
    const int64_t s = at(a.strides, d, 1), dil = at(a.dilations, d, 1);
    const int64_t dk = k < 0 ? -1 : (k - 1) * dil + 1;
    int64_t out = -1, pb = 0;
    const bool same = a.auto_pad == AutoPad::kSameUpper || a.auto_pad == AutoPad::kSameLower;
    if (!a.transpose) {
      if (same) {
        // Output ceil(in / s); the total padding needed for it, the odd one at the end (UPPER)
        // or the beginning (LOWER).
        if (in >= 0) out = (in + s - 1) / s;
        if (in >= 0 && dk >= 0) {
          const int64_t total = std::max<int64_t>(0, (out - 1) * s + dk - in);
          pb = a.auto_pad == AutoPad::kSameUpper ? total / 2 : (total + 1) / 2;
        }
      } else {
        const bool valid = a.auto_pad == AutoPad::kValid;
        pb = valid ? 0 : at(a.pads, d, 0);
        const int64_t pe = valid ? 0 : at(a.pads, d + rank, 0);
        if (in >= 0 && dk >= 0) {
          check(in + pb + pe >= dk, ErrorCode::kInvalidArgument, op, ": spatial axis ", d, " of size ", in, " (padded ",
                in + pb + pe, ") is smaller than the dilated kernel ", dk);
          out = (in + pb + pe - dk) / s + 1;
        }
      }
    } else {
      // natural = s * (in - 1) + output_padding + dk: the full extent the scatter covers.
      const int64_t op_pad = at(a.output_padding, d, 0);
      const int64_t natural = in >= 0 && dk >= 0 ? s * (in - 1) + op_pad + dk : -1;
      if (!output_shape.empty() || same) {
        // Spec: given (or, for SAME_*, in * s) output extent; the padding follows from it.
        out = !output_shape.empty() ? output_shape[d] : (in >= 0 ? in * s : -1);
        if (natural >= 0 && out >= 0) {
          int64_t total = natural - out;
          // NOTSET with an output past the natural end: zeros at the end, as in ORT and the onnx
          // reference (the spec's split is meant for total >= 0).
          if (!same && total < 0) total = 0;
          pb = a.auto_pad == AutoPad::kSameUpper ? floor_div(total, 2) : total - floor_div(total, 2);
        }
      } else {
        const bool valid = a.auto_pad == AutoPad::kValid;
        pb = valid ? 0 : at(a.pads, d, 0);
        const int64_t pe = valid ? 0 : at(a.pads, d + rank, 0);
        if (natural >= 0) {
          out = natural - pb - pe;
          check(out >= 0, ErrorCode::kInvalidArgument, op, ": pads ", pb, "+", pe, " exceed the output extent ",
                natural, " of spatial axis ", d);
        }
      }
    }
    g.out.push_back(out);
    p.in.push_back(in);
    p.out.push_back(out);
    p.kernel.push_back(k);
    p.strides.push_back(s);
    p.dilations.push_back(dil);
    p.pads_begin.push_back(pb);
  }
  return g;
}

TypeInfo conv_output_type(const ConvAttrs& a, InferContext& ctx) {
  const TypeInfo& xt = ctx.input_type(0);
  const TypeInfo& wt = ctx.input_type(1);
  check(xt.dtype == DType::kFloat || xt.dtype == DType::kDouble || xt.dtype == DType::kFloat16 ||
            xt.dtype == DType::kBFloat16 || xt.dtype == DType::kUndefined,
        ErrorCode::kNotImplemented, op_name(a), ": dtype ", dtype_name(xt.dtype), " is not supported");
  check(wt.dtype == xt.dtype || wt.dtype == DType::kUndefined || xt.dtype == DType::kUndefined,
        ErrorCode::kInvalidArgument, op_name(a), ": W is ", dtype_name(wt.dtype), " but X is ", dtype_name(xt.dtype));
  TypeInfo y{xt.dtype, false, {}};
  const int rank = xt.has_shape ? xt.rank() : wt.rank();
  if (rank < 0) return y;
  auto extents = [&](const TypeInfo& t) {
    std::vector<int64_t> v(static_cast<size_t>(rank), -1);
    if (t.has_shape) {
      check(t.rank() == rank, ErrorCode::kInvalidArgument, op_name(a), ": X (rank ", xt.rank(), ") and W (rank ",
            wt.rank(), ") must have the same rank");
      for (int i = 0; i < rank; ++i) v[i] = t.shape[i].value;
    }
    return v;
  };
  const Geometry g = resolve(a, extents(xt), extents(wt));
  if (ctx.has_input(2) && ctx.input_type(2).has_shape && g.c_out >= 0) {
    const Shape& b = ctx.input_type(2).shape;
    check(b.size() == 1 && (!b[0].known() || b[0].value == g.c_out), ErrorCode::kInvalidArgument, op_name(a),
          ": B must be 1-D with ", g.c_out, " entries, got ", graph::shape_str(b));
  }
  y.has_shape = true;
  y.shape.push_back(xt.has_shape ? xt.shape[0] : ctx.fresh_dim());
  y.shape.push_back(g.c_out >= 0 ? Dim(g.c_out) : ctx.fresh_dim());
  for (int64_t o : g.out) y.shape.push_back(o >= 0 ? Dim(o) : ctx.fresh_dim());
  return y;
}

void infer_conv(const ConvAttrs& a, InferContext& ctx) { ctx.set_output(0, conv_output_type(a, ctx)); }

kernels::ConvEpilogue parse_activation(const graph::Node& n) {
  using Act = kernels::ConvEpilogue::Act;
  kernels::ConvEpilogue ep;
  const std::string act = n.get_string("activation", "");
  ep.alpha = n.get_float("activation_alpha", 0.f);
  ep.beta = n.get_float("activation_beta", 0.f);
  if (act.empty()) {
    ep.act = Act::kNone;
  } else if (act == "Relu") {
    ep.act = Act::kRelu;
  } else if (act == "Clip") {
    ep.act = Act::kClip;
  } else if (act == "LeakyRelu") {
    ep.act = Act::kLeakyRelu;
  } else if (act == "HardSwish") {
    ep.act = Act::kHardSwish;
  } else if (act == "Silu") {
    ep.act = Act::kSilu;
  } else {
    fail(ErrorCode::kInvalidModel, n.describe(), ": unknown activation '", act, "'");
  }
  return ep;
}

}  // namespace ortl::opset::conv
