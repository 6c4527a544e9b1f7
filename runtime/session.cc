// Session creation (kernels, symbolic inference) and the executor. Planning is in planner.cc.
#include "runtime/session.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <set>

#include "graph/passes/optimize.h"
#include "opset/registry.h"
#include "runtime/contexts.h"
#include "runtime/planner.h"

namespace ortl::runtime {

void rethrow_with_node(const Error& e, const graph::Graph& g, const graph::Node& n) {
  const std::string msg = e.what();
  if (msg.find(n.describe()) != std::string::npos) throw e;
  throw Error(e.code(), g.source + ": " + n.describe() + ": " + msg);
}

struct Session::Bound {
  std::vector<graph::AnyValue> inputs;  // per graph input, undefined when not provided
  std::string key;
};

namespace {

// A subgraph runs as a session of its own over a copy of the graph in which the captured outer
// values are extra inputs; its plans are cached by input shapes like any session's.
class SessionSubgraph final : public opset::Subgraph {
 public:
  SessionSubgraph(const graph::Graph& g, const Options& opts) : declared_inputs_(static_cast<int>(g.inputs.size())) {
    auto copy = std::make_shared<graph::Graph>(g);
    for (int v : copy->captures) {
      copy->values[v].is_outer = false;
      copy->values[v].is_input = true;
      copy->inputs.push_back(v);
    }
    copy->captures.clear();
    Options o = opts;
    o.threads = 1;  // intra-op work runs on the outer session's pool (see run)
    o.lenient_symbolic = true;
    session_ = std::make_unique<Session>(std::move(copy), o);
    for (const auto& [name, t] : session_->output_info()) out_types_.push_back(t);
  }
  int num_inputs() const override { return declared_inputs_; }
  int num_outputs() const override { return static_cast<int>(out_types_.size()); }
  const graph::TypeInfo& output_type(int i) const override { return out_types_[i]; }
  std::vector<graph::TypeInfo> infer(const std::vector<graph::TypeInfo>& input_types) const override {
    return session_->infer_outputs(input_types);
  }
  std::vector<graph::AnyValue> run(const std::vector<graph::AnyValue>& inputs, kernels::Parallel& par) const override {
    return session_->run_positional(inputs, par);
  }

 private:
  int declared_inputs_;
  std::unique_ptr<Session> session_;
  std::vector<graph::TypeInfo> out_types_;
};

class SessionCompiler final : public opset::SubgraphCompiler {
 public:
  explicit SessionCompiler(Options opts) : opts_(opts) {}
  std::unique_ptr<opset::Subgraph> compile(const graph::Graph& g) const override {
    return std::make_unique<SessionSubgraph>(g, opts_);
  }

 private:
  Options opts_;
};

}  // namespace

Session::Session(std::shared_ptr<graph::Graph> g, Options opts) : graph_(std::move(g)), opts_(opts) {
  // Each session owns a freshly loaded graph, so the passes may rewrite it in place.
  if (opts_.optimization_level >= 1) graph::optimize(*graph_, opts_.optimization_level);
  const graph::Graph& gr = *graph_;
  compiler_ = std::make_unique<SessionCompiler>(opts_);
  kernels_.reserve(gr.nodes.size());
  for (const graph::Node& n : gr.nodes) {
    for (const auto& [name, a] : n.attrs) {
      if ((a.type == graph::AttrType::kGraph || a.type == graph::AttrType::kGraphs) &&
          !opset::Registry::global().find(n.domain, n.op_type, n.opset)) {
        fail(ErrorCode::kNotImplemented, gr.source, ": ", n.describe(), ": control flow with subgraphs (attribute '",
             name, "') is not supported yet");
      }
    }
    kernels_.push_back(opset::build_kernel(n, gr, compiler_.get()));
    // Initializers whose consumers are all built by now are freed as soon as they are packed, so
    // at most one packed copy and its source coexist (nodes are in topological order).
    for (int v : n.inputs) {
      if (v >= 0 && gr.values[v].consumers.back() < static_cast<int>(kernels_.size())) release_if_prepacked(v);
    }
  }
  // Graph inputs that feed an input slot whose value decides shapes (Resize scales, Reshape
  // shape, ...) are part of the plan key: their values are known at plan time.
  key_input_.assign(gr.inputs.size(), 0);
  for (size_t k = 0; k < gr.inputs.size(); ++k) {
    const graph::Value& v = gr.values[gr.inputs[k]];
    for (int c : v.consumers) {
      const graph::Node& n = gr.nodes[c];
      for (int slot : kernels_[c]->shape_inputs())
        if (slot < static_cast<int>(n.inputs.size()) && n.inputs[slot] == gr.inputs[k]) key_input_[k] = 1;
    }
  }
  infer_symbolic();
  pool_ = std::make_unique<ThreadPool>(opts_.threads);
  plan_static_inputs();
  if (opts_.verbose) {
    for (size_t i = 0; i < gr.nodes.size(); ++i)
      std::cerr << "[ort-lite] " << gr.nodes[i].describe() << " -> " << kernels_[i]->kernel_name() << "\n";
  }
}

// An initializer that every consumer holds in a packed form of its own (OpKernel::prepacked_inputs)
// is replaced by a data-less tensor of the same dtype and shape, so its memory is freed (or, when
// a kernel shares the buffer, owned by that kernel alone). Graph outputs and overridable inputs
// keep theirs.
void Session::release_if_prepacked(int v) {
  graph::Value& val = graph_->values[v];
  if (!val.initializer || val.is_input || val.is_output || val.initializer->nbytes() == 0 ||
      val.initializer->data() == nullptr)
    return;
  for (int c : val.consumers) {
    const std::vector<int> slots = kernels_[c]->prepacked_inputs();
    const graph::Node& n = graph_->nodes[c];
    for (size_t s = 0; s < n.inputs.size(); ++s) {
      if (n.inputs[s] == v && std::find(slots.begin(), slots.end(), static_cast<int>(s)) == slots.end()) return;
    }
  }
  val.initializer = Tensor::view(val.initializer->dtype(), val.initializer->shape(), nullptr);
}

// Every graph input a plain tensor of a static declared shape, none deciding shapes by its value:
// the one plan such a model has is made now, and its arena allocated and touched, so the first run
// costs what the others do (YOLOv8n: first run 65 -> 56 ms against a 55 ms p50). Anything that
// fails here is left to the first run, which reports it.
void Session::plan_static_inputs() {
  const graph::Graph& gr = *graph_;
  std::vector<graph::AnyValue> inputs;
  for (size_t k = 0; k < gr.inputs.size(); ++k) {
    const graph::TypeInfo& t = declared_[gr.inputs[k]];
    if (key_input_[k] || !t.is_tensor() || t.dtype == DType::kUndefined || t.dtype == DType::kString || !t.has_shape)
      return;
    std::vector<int64_t> shape;
    for (const graph::Dim& d : t.shape) {
      if (!d.known()) return;
      shape.push_back(d.value);
    }
    graph::AnyValue v;
    v.tensor = Tensor(t.dtype, shape);
    inputs.push_back(std::move(v));
  }
  try {
    std::shared_ptr<const Plan> plan = get_plan(bind(std::move(inputs)));
    if (plan->arena_bytes > 0) std::memset(take_arena(plan->arena_bytes).get(), 0, plan->arena_bytes);
  } catch (const std::exception&) {
  }
}

void Session::infer_symbolic() {
  const graph::Graph& gr = *graph_;
  InferState st;
  st.types.resize(gr.values.size());
  st.values.resize(gr.values.size());
  for (size_t v = 0; v < gr.values.size(); ++v) {
    const graph::Value& val = gr.values[v];
    st.types[v] = val.type;
    if (val.initializer && !val.is_input) st.values[v] = *val.initializer;
  }
  infer_graph(gr, kernels_, st, /*fold=*/false, kernels::serial(), opts_.lenient_symbolic);
  declared_ = std::move(st.types);
  // Declared output types win where inference found nothing better: a dim the model names
  // ("N", "OH") is kept instead of a fresh unk__ symbol.
  for (int o : gr.outputs) {
    const graph::TypeInfo& decl = gr.values[o].type;
    graph::TypeInfo& inf = declared_[o];
    if (inf.dtype == DType::kUndefined) inf.dtype = decl.dtype;
    if (!inf.has_shape) {
      inf.has_shape = decl.has_shape;
      inf.shape = decl.shape;
    } else if (decl.has_shape && decl.shape.size() == inf.shape.size()) {
      for (size_t d = 0; d < inf.shape.size(); ++d)
        if (!inf.shape[d].known() && (decl.shape[d].known() || !decl.shape[d].symbol.empty()))
          inf.shape[d] = decl.shape[d];
    }
  }
}

std::vector<graph::TypeInfo> Session::infer_outputs(const std::vector<graph::TypeInfo>& input_types) const {
  const graph::Graph& gr = *graph_;
  InferState st;
  st.types = declared_;
  st.values.resize(gr.values.size());
  for (size_t v = 0; v < gr.values.size(); ++v) {
    const graph::Value& val = gr.values[v];
    if (val.initializer && !val.is_input) st.values[v] = *val.initializer;
  }
  for (size_t k = 0; k < gr.inputs.size() && k < input_types.size(); ++k)
    if (input_types[k].dtype != DType::kUndefined || !input_types[k].is_tensor())
      st.types[gr.inputs[k]] = input_types[k];
  infer_graph(gr, kernels_, st, /*fold=*/false, kernels::serial(), /*lenient=*/true);
  std::vector<graph::TypeInfo> out;
  for (int o : gr.outputs) out.push_back(st.types[o].dtype != DType::kUndefined ? st.types[o] : declared_[o]);
  return out;
}

std::vector<std::pair<std::string, graph::TypeInfo>> Session::input_info() const {
  std::vector<std::pair<std::string, graph::TypeInfo>> out;
  for (int v : graph_->inputs) out.emplace_back(graph_->values[v].name, declared_[v]);
  return out;
}

std::vector<std::pair<std::string, graph::TypeInfo>> Session::output_info() const {
  std::vector<std::pair<std::string, graph::TypeInfo>> out;
  for (int v : graph_->outputs) out.emplace_back(graph_->values[v].name, declared_[v]);
  return out;
}

template <class V>
std::vector<graph::AnyValue> Session::by_name(const std::vector<std::pair<std::string, V>>& inputs) const {
  const graph::Graph& gr = *graph_;
  std::vector<graph::AnyValue> by_pos(gr.inputs.size());
  auto expected = [&] {
    std::string s;
    for (int v : gr.inputs) s += (s.empty() ? "" : ", ") + gr.values[v].name;
    return s;
  };
  for (const auto& [name, t] : inputs) {
    size_t k = 0;
    while (k < gr.inputs.size() && gr.values[gr.inputs[k]].name != name) ++k;
    check(k < gr.inputs.size(), ErrorCode::kInvalidArgument, gr.source, ": unknown input '", name,
          "'; the model's inputs are: ", expected());
    check(!by_pos[k].defined(), ErrorCode::kInvalidArgument, gr.source, ": input '", name, "' is given twice");
    graph::AnyValue v(t);
    check(v.defined(), ErrorCode::kInvalidArgument, gr.source, ": input '", name, "' is an empty tensor handle");
    by_pos[k] = std::move(v);
  }
  for (size_t k = 0; k < gr.inputs.size(); ++k) {
    const graph::Value& v = gr.values[gr.inputs[k]];
    check(by_pos[k].defined() || v.initializer, ErrorCode::kInvalidArgument, gr.source, ": missing input '", v.name,
          "'; the model's inputs are: ", expected());
  }
  return by_pos;
}

Session::Bound Session::bind(std::vector<graph::AnyValue> inputs) const {
  const graph::Graph& gr = *graph_;
  check(inputs.size() == gr.inputs.size(), ErrorCode::kInvalidArgument, gr.source, ": ", inputs.size(),
        " inputs given, the graph has ", gr.inputs.size());
  Bound b;
  b.inputs = std::move(inputs);
  for (size_t k = 0; k < gr.inputs.size(); ++k) {
    const graph::Value& val = gr.values[gr.inputs[k]];
    const std::string& name = val.name;
    const graph::AnyValue& in = b.inputs[k];
    const graph::TypeInfo& decl = declared_[gr.inputs[k]];
    if (!in.defined()) {
      check(val.initializer.has_value(), ErrorCode::kInvalidArgument, gr.source, ": missing input '", name, "'");
      b.key += "D;";
      continue;
    }
    if (in.composite) {
      // Sequence/optional inputs: plans depend on their declared type only.
      check(!decl.is_tensor() || decl.dtype == DType::kUndefined, ErrorCode::kInvalidArgument, gr.source, ": input '",
            name, "' must be a ", dtype_name(decl.dtype), " tensor, got a sequence or optional");
      b.key += 'C';
      b.key += std::to_string(static_cast<int>(in.composite->elem_dtype));
      b.key += ';';
      continue;
    }
    const Tensor& t = in.tensor;
    check(decl.kind != graph::ValueKind::kSequence, ErrorCode::kInvalidArgument, gr.source, ": input '", name,
          "' must be a sequence, got a tensor");
    check(decl.dtype == DType::kUndefined || decl.dtype == t.dtype(), ErrorCode::kInvalidArgument, gr.source,
          ": input '", name, "' must be ", dtype_name(decl.dtype), ", got ", dtype_name(t.dtype()));
    if (decl.has_shape) {
      check(decl.rank() == t.rank(), ErrorCode::kInvalidArgument, gr.source, ": input '", name, "' must have rank ",
            decl.rank(), " ", graph::shape_str(decl.shape), ", got shape ", shape_str(t.shape()));
      for (int d = 0; d < t.rank(); ++d)
        check(!decl.shape[d].known() || decl.shape[d].value == t.shape()[d], ErrorCode::kInvalidArgument, gr.source,
              ": input '", name, "' must have shape ", graph::shape_str(decl.shape), ", got ", shape_str(t.shape()));
    }
    checked_numel(t.shape());
    check(t.numel() == 0 || t.data() != nullptr, ErrorCode::kInvalidArgument, gr.source, ": input '", name,
          "' has no data");
    // Plan key: dtype and shape of each input, plus the bytes of shape-deciding inputs.
    b.key += std::to_string(static_cast<int>(t.dtype())) + shape_str(t.shape());
    if (key_input_[k] && t.dtype() != DType::kString) b.key.append(static_cast<const char*>(t.data()), t.nbytes());
    b.key += ';';
  }
  return b;
}

std::shared_ptr<const Plan> Session::get_plan(const Bound& b) const {
  {
    std::lock_guard<std::mutex> lock(plan_mu_);
    auto it = plans_.find(b.key);
    if (it != plans_.end()) return it->second;
  }
  std::shared_ptr<const Plan> p = make_plan(b);  // planned outside the lock; a racing twin is harmless
  std::lock_guard<std::mutex> lock(plan_mu_);
  if (plans_.size() >= 64) plans_.erase(plans_.begin());  // bound the cache for shape-churning callers
  return plans_.emplace(b.key, p).first->second;
}

std::shared_ptr<Plan> Session::make_plan(const Bound& b) const {
  const graph::Graph& gr = *graph_;
  InferState st;
  st.types.resize(gr.values.size());
  st.values.resize(gr.values.size());
  for (size_t v = 0; v < gr.values.size(); ++v) {
    const graph::Value& val = gr.values[v];
    if (val.initializer) {
      st.types[v] = graph::TypeInfo::of(val.initializer->dtype(), graph::from_concrete(val.initializer->shape()));
      if (!val.is_input) st.values[v] = *val.initializer;
    } else {
      st.types[v] = declared_[v];  // outer-scope and unused values
    }
  }
  for (size_t k = 0; k < gr.inputs.size(); ++k) {
    const int v = gr.inputs[k];
    if (b.inputs[k].composite) {
      st.types[v] = declared_[v];
      if (st.types[v].is_tensor()) st.types[v].kind = b.inputs[k].composite->kind;
      if (st.types[v].dtype == DType::kUndefined) st.types[v].dtype = b.inputs[k].composite->elem_dtype;
      continue;
    }
    const Tensor& t = b.inputs[k].defined() ? b.inputs[k].tensor : *gr.values[v].initializer;
    st.types[v] = graph::TypeInfo::of(t.dtype(), graph::from_concrete(t.shape()));
    if (key_input_[k] || !b.inputs[k].defined()) st.values[v] = t;
  }
  infer_graph(gr, kernels_, st, /*fold=*/true, *pool_);
  return plan_memory(gr, kernels_, std::move(st));
}

PlanStats Session::plan_stats(const std::vector<std::pair<std::string, Tensor>>& inputs) const {
  auto p = get_plan(bind(by_name(inputs)));
  PlanStats s;
  s.arena_bytes = p->arena_bytes;
  s.naive_bytes = p->naive_bytes;
  s.nodes = static_cast<int>(graph_->nodes.size());
  for (char f : p->folded) s.folded_nodes += f ? 1 : 0;
  s.inplace = p->inplace_count;
  s.views = p->view_count;
  return s;
}

std::shared_ptr<void> Session::take_arena(size_t bytes) const {
  constexpr size_t kKeep = 4;  // concurrent runs (and held outputs) beyond this allocate afresh
  std::lock_guard<std::mutex> lock(arena_mu_);
  Arena* spare = nullptr;
  for (Arena& a : arenas_) {
    if (a.mem.use_count() != 1) continue;
    if (a.bytes >= bytes) return a.mem;
    spare = &a;
  }
  void* p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
  check(p != nullptr, ErrorCode::kOutOfMemory, graph_->source, ": cannot allocate the ", bytes, "-byte arena");
  Arena fresh{std::shared_ptr<void>(p, [](void* q) { std::free(q); }), bytes};
  if (spare) {
    *spare = fresh;  // a free arena too small for this plan: replaced
  } else if (arenas_.size() < kKeep) {
    arenas_.push_back(fresh);
  }
  return fresh.mem;
}

std::vector<int> Session::output_ids(const std::vector<std::string>& output_names) const {
  const graph::Graph& gr = *graph_;
  if (output_names.empty()) return gr.outputs;
  std::vector<int> outs;
  for (const std::string& name : output_names) {
    const int v = gr.find(name);
    check(v >= 0 && std::find(gr.outputs.begin(), gr.outputs.end(), v) != gr.outputs.end(), ErrorCode::kInvalidArgument,
          gr.source, ": '", name, "' is not an output of the model");
    outs.push_back(v);
  }
  return outs;
}

std::vector<Tensor> Session::run(const std::vector<std::pair<std::string, Tensor>>& inputs,
                                 const std::vector<std::string>& output_names, std::vector<NodeEvent>* events) const {
  const std::vector<int> outs = output_ids(output_names);
  std::vector<graph::AnyValue> vals = execute(bind(by_name(inputs)), outs, *pool_, events);
  std::vector<Tensor> result;
  result.reserve(vals.size());
  for (size_t k = 0; k < vals.size(); ++k) {
    check(!vals[k].composite, ErrorCode::kNotImplemented, graph_->source, ": output '", graph_->values[outs[k]].name,
          "' is a sequence or optional; run it through run_values");
    result.push_back(std::move(vals[k].tensor));
  }
  return result;
}

std::vector<graph::AnyValue> Session::run_values(const std::vector<std::pair<std::string, graph::AnyValue>>& inputs,
                                                 const std::vector<std::string>& output_names) const {
  return execute(bind(by_name(inputs)), output_ids(output_names), *pool_, nullptr);
}

std::vector<graph::AnyValue> Session::run_positional(std::vector<graph::AnyValue> inputs,
                                                     kernels::Parallel& par) const {
  return execute(bind(std::move(inputs)), graph_->outputs, par, nullptr);
}

std::vector<graph::AnyValue> Session::execute(const Bound& b, const std::vector<int>& outs, kernels::Parallel& par,
                                              std::vector<NodeEvent>* events) const {
  const graph::Graph& gr = *graph_;
  std::shared_ptr<const Plan> plan = get_plan(b);

  std::vector<Tensor> vals(gr.values.size());
  for (size_t v = 0; v < gr.values.size(); ++v) {
    if (plan->consts[v])
      vals[v] = *plan->consts[v];
    else if (gr.values[v].initializer)
      vals[v] = *gr.values[v].initializer;
  }
  // Sequences and optionals live in a table of their own, sized only when one occurs, so plain
  // tensor graphs run exactly as before.
  std::vector<graph::CompositePtr> composites;
  for (size_t k = 0; k < gr.inputs.size(); ++k) {
    if (b.inputs[k].tensor.defined()) vals[gr.inputs[k]] = b.inputs[k].tensor;
    if (b.inputs[k].composite) {
      if (composites.empty()) composites.resize(gr.values.size());
      composites[gr.inputs[k]] = b.inputs[k].composite;
    }
  }

  std::shared_ptr<void> arena = plan->arena_bytes > 0 ? take_arena(plan->arena_bytes) : nullptr;
  for (size_t v = 0; v < gr.values.size(); ++v) {
    if (plan->offset[v] < 0) continue;
    const graph::TypeInfo& t = plan->types[v];
    vals[v] =
        Tensor::wrap(t.dtype, graph::to_concrete(t.shape), static_cast<char*>(arena.get()) + plan->offset[v], arena);
  }

  using Clock = std::chrono::steady_clock;
  const Clock::time_point run_start = Clock::now();
  std::vector<char> is_out(gr.values.size(), 0);
  for (int o : gr.outputs) is_out[o] = 1;
  for (size_t i = 0; i < gr.nodes.size(); ++i) {
    if (plan->folded[i]) continue;
    const graph::Node& n = gr.nodes[i];
    TableRunContext ctx(n, *kernels_[i], vals, plan->types, par, &composites);
    const Clock::time_point node_start = events ? Clock::now() : run_start;
    try {
      kernels_[i]->run(ctx);
    } catch (const Error& e) {
      rethrow_with_node(e, gr, n);
    } catch (const std::bad_alloc&) {
      fail(ErrorCode::kOutOfMemory, gr.source, ": ", n.describe(), ": out of memory");
    } catch (const std::exception& e) {
      fail(ErrorCode::kRuntime, gr.source, ": ", n.describe(), ": ", e.what());
    }
    if (events) {
      const auto us = [&](Clock::time_point t) {
        return std::chrono::duration<double, std::micro>(t - run_start).count();
      };
      events->push_back({static_cast<int>(i), us(node_start), us(Clock::now()) - us(node_start)});
    }
    // Drop tensors nobody reads any more (frees heap buffers of dynamically shaped values).
    for (int in : n.inputs)
      if (in >= 0 && plan->last_use[in] == static_cast<int>(i) && !is_out[in] && plan->offset[in] < 0 &&
          gr.values[in].producer >= 0) {
        vals[in] = Tensor();
        if (!composites.empty()) composites[in].reset();
      }
  }

  std::vector<graph::AnyValue> result;
  result.reserve(outs.size());
  for (int o : outs) {
    const graph::Value& v = gr.values[o];
    if (!vals[o].defined() && !composites.empty() && composites[o]) {
      result.emplace_back(composites[o]);  // immutable, owns its tensors
      continue;
    }
    check(vals[o].defined(), ErrorCode::kRuntime, gr.source, ": output '", v.name, "' was not produced");
    // Never hand out model constants or the caller's input buffers (or views of them) as outputs.
    bool borrowed = v.producer < 0 || plan->folded[v.producer];
    for (size_t k = 0; k < gr.inputs.size() && !borrowed; ++k)
      borrowed = b.inputs[k].tensor.defined() && vals[o].data() == b.inputs[k].tensor.data() && vals[o].nbytes() > 0;
    if (!borrowed && !vals[o].storage()) borrowed = true;
    if (!borrowed && vals[o].storage() != arena) {
      for (const graph::Value& iv : gr.values)
        if (iv.initializer && iv.initializer->data() == vals[o].data() && vals[o].nbytes() > 0) borrowed = true;
    }
    result.push_back(borrowed ? vals[o].clone() : vals[o]);
  }
  return result;
}

}  // namespace ortl::runtime
