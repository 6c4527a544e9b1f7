#include "runtime/contexts.h"

namespace ortl::runtime {

const graph::TypeInfo& TableInferContext::input_type(int i) const {
  static const graph::TypeInfo kNone;
  return has_input(i) ? types_[node_.inputs[i]] : kNone;
}

const Tensor* TableInferContext::input_value(int i) const {
  if (!has_input(i)) return nullptr;
  const auto& v = values_[node_.inputs[i]];
  return v ? &*v : nullptr;
}

void TableInferContext::set_output(int i, graph::TypeInfo t) {
  if (i < 0 || i >= num_outputs() || node_.outputs[i] < 0) return;
  types_[node_.outputs[i]] = std::move(t);
}

void TableInferContext::set_output_value(int i, Tensor v) {
  if (i < 0 || i >= num_outputs() || node_.outputs[i] < 0) return;
  values_[node_.outputs[i]] = std::move(v);
}

TensorInferContext::TensorInferContext(const graph::Node& node, const std::vector<Tensor>& vals)
    : node_(node), vals_(vals), in_types_(node.inputs.size()), out_types_(node.outputs.size()) {
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const int id = node.inputs[i];
    if (id >= 0 && vals[id].defined())
      in_types_[i] = graph::TypeInfo::of(vals[id].dtype(), graph::from_concrete(vals[id].shape()));
  }
}

bool TensorInferContext::has_input(int i) const {
  return i >= 0 && i < num_inputs() && node_.inputs[i] >= 0 && vals_[node_.inputs[i]].defined();
}

const Tensor* TensorInferContext::input_value(int i) const { return has_input(i) ? &vals_[node_.inputs[i]] : nullptr; }

void TensorInferContext::set_output(int i, graph::TypeInfo t) {
  if (i >= 0 && i < num_outputs()) out_types_[i] = std::move(t);
}

const Tensor* TableRunContext::input(int i) const {
  if (i < 0 || i >= num_inputs() || node_.inputs[i] < 0) return nullptr;
  const Tensor& t = vals_[node_.inputs[i]];
  return t.defined() ? &t : nullptr;
}

int TableRunContext::out_id(int i) const {
  check(has_output(i), ErrorCode::kRuntime, "output ", i, " is not connected");
  return node_.outputs[i];
}

DType TableRunContext::out_dtype(int i) const {
  const DType dt = types_[out_id(i)].dtype;
  if (dt != DType::kUndefined) return dt;
  if (runtime_types_) return (*runtime_types_)[i].dtype;
  return dt;
}

Tensor& TableRunContext::output(int i) {
  const int id = out_id(i);
  if (vals_[id].defined()) return vals_[id];
  if (!runtime_types_) {  // the planner did not know this shape: infer it from the actual inputs
    TensorInferContext ictx(node_, vals_);
    kernel_.infer(ictx);
    runtime_types_ = ictx.outputs();
  }
  const graph::TypeInfo& t = (*runtime_types_)[i];
  check(t.has_shape && graph::all_known(t.shape), ErrorCode::kRuntime, "the shape of output ", i,
        " is unknown at run time");
  vals_[id] = Tensor(t.dtype != DType::kUndefined ? t.dtype : out_dtype(i), graph::to_concrete(t.shape));
  return vals_[id];
}

Tensor& TableRunContext::output(int i, const std::vector<int64_t>& shape) {
  const int id = out_id(i);
  if (vals_[id].defined() && vals_[id].shape() == shape) return vals_[id];
  DType dt = out_dtype(i);
  if (dt == DType::kUndefined) {
    TensorInferContext ictx(node_, vals_);
    kernel_.infer(ictx);
    runtime_types_ = ictx.outputs();
    dt = (*runtime_types_)[i].dtype;
  }
  vals_[id] = Tensor(dt, shape);
  return vals_[id];
}

void TableRunContext::alias_output(int i, const Tensor& src, const std::vector<int64_t>& shape) {
  vals_[out_id(i)] = src.reshaped(shape);
}

graph::CompositePtr TableRunContext::input_composite_ptr(int i) const {
  if (!composites_ || i < 0 || i >= num_inputs() || node_.inputs[i] < 0) return nullptr;
  const size_t id = static_cast<size_t>(node_.inputs[i]);
  return id < composites_->size() ? (*composites_)[id] : nullptr;
}

void TableRunContext::set_output_composite(int i, graph::CompositePtr v) {
  const int id = out_id(i);
  check(composites_ != nullptr, ErrorCode::kNotImplemented, "sequence/optional values cannot be computed here");
  if (composites_->size() < vals_.size()) composites_->resize(vals_.size());
  (*composites_)[id] = std::move(v);
  vals_[id] = Tensor();
}

}  // namespace ortl::runtime
