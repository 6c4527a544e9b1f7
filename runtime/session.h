// The session: a loaded graph with a kernel per node, a cache of execution plans keyed by the
// input-shape signature, and the executor that runs a plan on one arena per run.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "graph/ir.h"
#include "opset/op.h"
#include "runtime/thread_pool.h"

namespace ortl::runtime {

struct Options {
  int threads = 0;  // 0: one per core
  int optimization_level = 2;
  bool verbose = false;
  // Subgraphs: a node whose types cannot be inferred before the outer values are known is left
  // untyped at session creation instead of failing (plans are still inferred strictly).
  bool lenient_symbolic = false;
};

// Everything decided for one input signature: concrete types, plan-time constants, and where
// each intermediate lives in the run's arena.
struct Plan {
  std::vector<graph::TypeInfo> types;         // per value
  std::vector<std::optional<Tensor>> consts;  // per value: known before the run starts
  std::vector<char> folded;                   // per node: evaluated at plan time
  std::vector<int64_t> offset;                // per value: arena byte offset, -1 if not in the arena
  std::vector<int> last_use;                  // per value: index of the last node reading it
  size_t arena_bytes = 0;                     // planned arena size
  size_t naive_bytes = 0;                     // sum of all arena-eligible intermediates
  int inplace_count = 0;
  int view_count = 0;
};

struct PlanStats {
  size_t arena_bytes = 0;
  size_t naive_bytes = 0;
  int nodes = 0;
  int folded_nodes = 0;
  int inplace = 0;
  int views = 0;
};

class Session {
 public:
  Session(std::shared_ptr<graph::Graph> g, Options opts);

  const graph::Graph& graph() const { return *graph_; }
  // Declared/inferred types of the graph inputs and outputs (symbolic dims kept).
  std::vector<std::pair<std::string, graph::TypeInfo>> input_info() const;
  std::vector<std::pair<std::string, graph::TypeInfo>> output_info() const;
  const opset::OpKernel& kernel(int node) const { return *kernels_[node]; }

  // One node execution, for profiles (microseconds from the start of the run).
  struct NodeEvent {
    int node;
    double start_us;
    double dur_us;
  };
  // Runs the graph; outputs in the order of `output_names` (all graph outputs when empty).
  // With `events`, appends one NodeEvent per executed node.
  std::vector<Tensor> run(const std::vector<std::pair<std::string, Tensor>>& inputs,
                          const std::vector<std::string>& output_names, std::vector<NodeEvent>* events = nullptr) const;
  // The same for graphs whose inputs or outputs may be sequences or optionals.
  std::vector<graph::AnyValue> run_values(const std::vector<std::pair<std::string, graph::AnyValue>>& inputs,
                                          const std::vector<std::string>& output_names) const;
  // Inputs by position (every graph input, undefined where an initializer gives a default),
  // all graph outputs, intra-op work on `par`: how control-flow kernels run their subgraphs.
  std::vector<graph::AnyValue> run_positional(std::vector<graph::AnyValue> inputs, kernels::Parallel& par) const;
  // Plans (or fetches the cached plan) for these inputs without running, for reports.
  PlanStats plan_stats(const std::vector<std::pair<std::string, Tensor>>& inputs) const;
  kernels::Parallel& pool() const { return *pool_; }
  // Plans cached so far (one per input signature seen; models with static inputs get theirs at creation).
  size_t cached_plans() const {
    std::lock_guard<std::mutex> lock(plan_mu_);
    return plans_.size();
  }
  // Symbolic output types for these graph-input types (subgraphs, see opset::Subgraph::infer).
  std::vector<graph::TypeInfo> infer_outputs(const std::vector<graph::TypeInfo>& input_types) const;

 private:
  struct Bound;  // inputs matched to graph values
  template <class V>
  std::vector<graph::AnyValue> by_name(const std::vector<std::pair<std::string, V>>& inputs) const;
  std::vector<int> output_ids(const std::vector<std::string>& output_names) const;
  Bound bind(std::vector<graph::AnyValue> inputs) const;
  std::vector<graph::AnyValue> execute(const Bound& b, const std::vector<int>& outs, kernels::Parallel& par,
                                       std::vector<NodeEvent>* events) const;
  std::shared_ptr<const Plan> get_plan(const Bound& b) const;
  std::shared_ptr<Plan> make_plan(const Bound& b) const;
  void infer_symbolic();
  void release_if_prepacked(int value);
  void plan_static_inputs();
  std::shared_ptr<void> take_arena(size_t bytes) const;

  std::shared_ptr<graph::Graph> graph_;
  Options opts_;
  std::vector<std::unique_ptr<opset::OpKernel>> kernels_;
  std::vector<graph::TypeInfo> declared_;              // per value, after symbolic inference
  std::vector<char> key_input_;                        // per graph input: its value is part of the plan key
  std::unique_ptr<opset::SubgraphCompiler> compiler_;  // for the kernels of If, Loop, Scan, ...
  std::unique_ptr<ThreadPool> pool_;
  mutable std::mutex plan_mu_;
  mutable std::map<std::string, std::shared_ptr<const Plan>> plans_;
  // Arenas of earlier runs, reused by later ones: a fresh multi-megabyte buffer per run costs
  // page faults on every run. One is free when nothing but this list holds it (outputs that live
  // in an arena keep it busy until the caller drops them).
  struct Arena {
    std::shared_ptr<void> mem;
    size_t bytes = 0;
  };
  mutable std::mutex arena_mu_;
  mutable std::vector<Arena> arenas_;
};

// Re-throws `e` with the graph's file and the node's name and op prefixed (once).
[[noreturn]] void rethrow_with_node(const Error& e, const graph::Graph& g, const graph::Node& n);

}  // namespace ortl::runtime
