#include "opset/control/control_util.h"

#include <algorithm>
#include <cstring>

namespace ortl::opset::control {

std::vector<AnyValue> Body::run(std::vector<AnyValue> inputs, RunContext& ctx) const {
  inputs.reserve(inputs.size() + capture_slots.size());
  for (int slot : capture_slots) inputs.push_back(input_value(ctx, slot));
  try {
    return graph->run(inputs, ctx.par());
  } catch (const Error& e) {
    throw Error(e.code(), "subgraph '" + attr + "': " + e.what());
  }
}

std::vector<TypeInfo> Body::infer(std::vector<TypeInfo> inputs, const InferContext& ctx) const {
  for (int slot : capture_slots) inputs.push_back(ctx.input_type(slot));
  return graph->infer(inputs);
}

TypeInfo any_shape(TypeInfo t) {
  t.has_shape = false;
  t.shape.clear();
  return t;
}

Body compile_body(const BuildContext& b, const std::string& attr, int num_inputs, int num_outputs) {
  const graph::Attribute* a = b.node.attr(attr);
  check(a != nullptr, ErrorCode::kInvalidModel, "missing subgraph attribute '", attr, "'");
  check(a->type == graph::AttrType::kGraph && a->g, ErrorCode::kInvalidModel, "attribute '", attr, "' must be a graph");
  const graph::Graph& g = *a->g;
  const int nin = static_cast<int>(g.inputs.size()), nout = static_cast<int>(g.outputs.size());
  if (num_inputs >= 0 && nin != num_inputs)
    fail(ErrorCode::kInvalidModel, "subgraph '", attr, "' has ", nin, " inputs, the node needs ", num_inputs);
  if (num_outputs >= 0 && nout != num_outputs)
    fail(ErrorCode::kInvalidModel, "subgraph '", attr, "' has ", nout, " outputs, the node needs ", num_outputs);
  check(b.subgraphs != nullptr, ErrorCode::kNotImplemented, "subgraphs need a runtime session to run");
  Body body;
  body.attr = attr;
  const std::vector<std::string> names = graph::capture_names(b.node);
  const int formal = formal_inputs(b.node);
  for (int v : g.captures) {
    const auto it = std::find(names.begin(), names.end(), g.values[v].name);
    const int slot = formal + static_cast<int>(it - names.begin());
    if (it == names.end() || b.node.implicit_inputs <= 0 || slot >= static_cast<int>(b.node.inputs.size()))
      fail(ErrorCode::kInvalidModel, "subgraph '", attr, "' reads '", g.values[v].name,
           "', which the enclosing graph does not provide");
    body.capture_slots.push_back(slot);
  }
  // Captured values are typed as the enclosing graph declares them, so the body's types can be
  // inferred at session creation.
  graph::Graph typed = g;
  for (size_t c = 0; c < g.captures.size(); ++c) {
    graph::TypeInfo& t = typed.values[g.captures[c]].type;
    if (t.dtype == DType::kUndefined && t.is_tensor()) t = b.graph.values[b.node.inputs[body.capture_slots[c]]].type;
  }
  try {
    body.graph = b.subgraphs->compile(typed);
  } catch (const Error& e) {
    throw Error(e.code(), "subgraph '" + attr + "': " + e.what());
  }
  return body;
}

AnyValue input_value(const RunContext& ctx, int i) {
  if (const Tensor* t = ctx.input(i)) return *t;
  return ctx.input_composite_ptr(i);
}

void set_output_value(RunContext& ctx, int i, const AnyValue& v, bool owned) {
  if (!ctx.has_output(i)) return;
  if (v.composite) {
    ctx.set_output_composite(i, v.composite);
    return;
  }
  check(v.tensor.defined(), ErrorCode::kRuntime, "output ", i, " has no value");
  if (owned) {
    ctx.alias_output(i, v.tensor, v.tensor.shape());
  } else {
    Tensor& dst = ctx.output(i, v.tensor.shape());
    if (dst.dtype() != v.tensor.dtype()) {  // the planner guessed another type: take ours
      ctx.alias_output(i, v.tensor.clone(), v.tensor.shape());
      return;
    }
    copy_tensor(v.tensor, dst);
  }
}

TypeInfo loose_type(InferContext& ctx, const TypeInfo& t, int extra_leading_dims) {
  TypeInfo out;
  out.dtype = t.dtype;
  out.kind = t.kind;
  if (t.has_shape && t.is_tensor()) {
    out.has_shape = true;
    for (int d = 0; d < t.rank() + extra_leading_dims; ++d) out.shape.push_back(ctx.fresh_dim());
  }
  return out;
}

bool scalar_bool(const Tensor& t, const char* what) {
  check(t.numel() == 1, ErrorCode::kInvalidArgument, what, " must hold one value, got shape ", shape_str(t.shape()));
  check(t.dtype() == DType::kBool, ErrorCode::kInvalidArgument, what, " must be bool, got ", dtype_name(t.dtype()));
  return *t.data_as<uint8_t>() != 0;
}

int64_t scalar_int(const Tensor& t, const char* what) {
  check(t.numel() == 1, ErrorCode::kInvalidArgument, what, " must hold one value, got shape ", shape_str(t.shape()));
  if (t.dtype() == DType::kInt64) return *t.data_as<int64_t>();
  if (t.dtype() == DType::kInt32) return *t.data_as<int32_t>();
  fail(ErrorCode::kInvalidArgument, what, " must be int64, got ", dtype_name(t.dtype()));
}

void copy_tensor(const Tensor& src, Tensor& dst) {
  check(src.dtype() == dst.dtype() && src.numel() == dst.numel(), ErrorCode::kRuntime, "copy of ",
        dtype_name(src.dtype()), shape_str(src.shape()), " into ", dtype_name(dst.dtype()), shape_str(dst.shape()));
  if (src.dtype() == DType::kString)
    std::copy_n(src.data_as<std::string>(), src.numel(), dst.data_as<std::string>());
  else if (src.nbytes())
    std::memcpy(dst.data(), src.data(), src.nbytes());
}

namespace {

// Moves `outer` blocks of `inner` elements (bytes, or strings) between strided layouts.
void copy_blocks(const Tensor& src, int64_t src_off, int64_t src_stride, Tensor& dst, int64_t dst_off,
                 int64_t dst_stride, int64_t outer, int64_t inner) {
  if (src.dtype() == DType::kString) {
    for (int64_t o = 0; o < outer; ++o)
      std::copy_n(src.data_as<std::string>() + src_off + o * src_stride, inner,
                  dst.data_as<std::string>() + dst_off + o * dst_stride);
    return;
  }
  const size_t es = dtype_size(src.dtype());
  for (int64_t o = 0; o < outer; ++o)
    std::memcpy(static_cast<char*>(dst.data()) + (dst_off + o * dst_stride) * es,
                static_cast<const char*>(src.data()) + (src_off + o * src_stride) * es, inner * es);
}

}  // namespace

Tensor stack(const std::vector<Tensor>& parts, int64_t axis, const char* what) {
  check(!parts.empty(), ErrorCode::kRuntime, what, ": nothing to stack");
  const Tensor& p0 = parts[0];
  for (const Tensor& p : parts)
    check(p.dtype() == p0.dtype() && p.shape() == p0.shape(), ErrorCode::kInvalidArgument, what,
          ": per-iteration outputs differ in type or shape (", dtype_name(p.dtype()), shape_str(p.shape()), " vs ",
          dtype_name(p0.dtype()), shape_str(p0.shape()), ")");
  std::vector<int64_t> shape = p0.shape();
  check(axis >= 0 && axis <= p0.rank(), ErrorCode::kInvalidArgument, what, ": axis ", axis, " out of range");
  shape.insert(shape.begin() + axis, static_cast<int64_t>(parts.size()));
  Tensor out(p0.dtype(), shape);
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= p0.shape()[d];
  for (int64_t d = axis; d < p0.rank(); ++d) inner *= p0.shape()[d];
  const int64_t n = static_cast<int64_t>(parts.size());
  for (int64_t k = 0; k < n; ++k) copy_blocks(parts[k], 0, inner, out, k * inner, n * inner, outer, inner);
  return out;
}

Tensor take(const Tensor& t, int64_t axis, int64_t i) {
  std::vector<int64_t> shape = t.shape();
  const int64_t len = shape[axis];
  shape.erase(shape.begin() + axis);
  Tensor out(t.dtype(), shape);
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= t.shape()[d];
  for (int64_t d = axis + 1; d < t.rank(); ++d) inner *= t.shape()[d];
  copy_blocks(t, i * inner, len * inner, out, 0, inner, outer, inner);
  return out;
}

}  // namespace ortl::opset::control
