// The public C++ API over runtime::Session.
#include <ort_lite/ort_lite.hpp>

#include "graph/loader.h"
#include "runtime/session.h"

namespace ort_lite {
namespace {

ortl::runtime::Options convert(const SessionOptions& o) {
  ortl::runtime::Options r;
  r.threads = o.intra_op_threads;
  r.optimization_level = o.optimization_level;
  r.verbose = o.verbose;
  return r;
}

ValueInfo info(const std::string& name, const ortl::graph::TypeInfo& t) {
  ValueInfo v;
  v.name = name;
  v.dtype = t.dtype;
  v.has_shape = t.has_shape;
  for (const auto& d : t.shape) {
    v.shape.push_back(d.known() ? d.value : -1);
    v.dim_names.push_back(d.symbol);
  }
  return v;
}

}  // namespace

const char* version() { return ORTL_VERSION; }

Session::Session(const std::string& model_path, const SessionOptions& options)
    : impl_(std::make_shared<ortl::runtime::Session>(ortl::graph::load_model_file(model_path), convert(options))) {
  init();
}

Session::Session(const void* model_bytes, size_t size, const SessionOptions& options)
    : impl_(std::make_shared<ortl::runtime::Session>(ortl::graph::load_model_bytes(model_bytes, size),
                                                     convert(options))) {
  init();
}

Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

void Session::init() {
  for (const auto& [n, t] : impl_->input_info()) inputs_.push_back(info(n, t));
  for (const auto& [n, t] : impl_->output_info()) outputs_.push_back(info(n, t));
}

std::vector<Tensor> Session::run(const NamedTensors& inputs, const std::vector<std::string>& output_names) const {
  return impl_->run(inputs, output_names);
}

PlanInfo Session::plan_info(const NamedTensors& inputs) const {
  const auto s = impl_->plan_stats(inputs);
  PlanInfo p;
  p.arena_bytes = s.arena_bytes;
  p.naive_bytes = s.naive_bytes;
  p.nodes = s.nodes;
  p.folded_nodes = s.folded_nodes;
  p.inplace = s.inplace;
  p.views = s.views;
  return p;
}

}  // namespace ort_lite
