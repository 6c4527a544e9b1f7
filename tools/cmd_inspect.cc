// ort-lite inspect MODEL: inputs/outputs, opsets, op histogram, parameter count, and the ops
// ort-lite cannot run. `ort-lite inspect --ops` lists the registry instead.
#include <iostream>
#include <map>
#include <memory>

#include "graph/loader.h"
#include "opset/registry.h"
#include "tools/cli.h"

namespace ortl::tools {
namespace {

struct InspectArgs {
  std::string model;
  bool list_ops = false;
};

std::string type_str(const graph::TypeInfo& t) {
  std::string s = t.dtype == DType::kUndefined ? "non-tensor" : dtype_name(t.dtype);
  return s + " " + (t.has_shape ? graph::shape_str(t.shape) : "[?]");
}

void count_ops(const graph::Graph& g, std::map<std::string, int>& hist, std::map<std::string, int>& unsupported) {
  for (const graph::Node& n : g.nodes) {
    const std::string key = (n.domain.empty() ? "" : n.domain + ".") + n.op_type;
    ++hist[key];
    if (!opset::Registry::global().find(n.domain, n.op_type, n.opset))
      unsupported[key + " (opset " + std::to_string(n.opset) + ")"]++;
    for (const auto& [name, a] : n.attrs) {
      if (a.g) count_ops(*a.g, hist, unsupported);
      for (const auto& sg : a.graphs) count_ops(*sg, hist, unsupported);
    }
  }
}

int list_ops() {
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<int, int>>> ops;
  for (const auto& e : opset::Registry::global().entries()) ops[{e.domain, e.op_type}].emplace_back(e.since, e.until);
  std::cout << "| domain | op | opset versions |\n|---|---|---|\n";
  for (auto& [k, ranges] : ops) {
    std::sort(ranges.begin(), ranges.end());
    std::string r;
    for (const auto& [a, b] : ranges) r += (r.empty() ? "" : ", ") + std::to_string(a) + "-" + std::to_string(b);
    std::cout << "| " << (k.first.empty() ? "ai.onnx" : k.first) << " | " << k.second << " | " << r << " |\n";
  }
  std::cout << ops.size() << " ops\n";
  return 0;
}

int inspect(const InspectArgs& a) {
  if (a.list_ops) return list_ops();
  check(!a.model.empty(), ErrorCode::kInvalidArgument, "inspect needs a MODEL (or --ops)");
  auto g = graph::load_model_file(a.model);
  std::cout << "model: " << a.model << "\nir_version: " << g->ir_version << "\nproducer: " << g->producer
            << "\nopsets:";
  for (const auto& [d, v] : g->opsets) std::cout << " " << (d.empty() ? "ai.onnx" : d) << "=" << v;
  std::cout << "\ninputs:\n";
  for (int v : g->inputs) {
    const auto& val = g->values[v];
    std::cout << "  " << val.name << ": "
              << type_str(val.initializer ? graph::TypeInfo::of(val.initializer->dtype(),
                                                                graph::from_concrete(val.initializer->shape()))
                                          : val.type)
              << (val.initializer ? " (has a default initializer)" : "") << "\n";
  }
  std::cout << "outputs:\n";
  for (int v : g->outputs) std::cout << "  " << g->values[v].name << ": " << type_str(g->values[v].type) << "\n";
  int64_t params = 0, bytes = 0, inits = 0;
  for (const auto& v : g->values) {
    if (!v.initializer) continue;
    ++inits;
    params += v.initializer->numel();
    bytes += static_cast<int64_t>(v.initializer->nbytes());
  }
  std::cout << "parameters: " << params << " in " << inits << " initializers (" << bytes / (1024.0 * 1024.0)
            << " MiB)\n";
  std::map<std::string, int> hist, unsupported;
  count_ops(*g, hist, unsupported);
  std::cout << "nodes: " << g->nodes.size() << "\nops:\n";
  std::vector<std::pair<int, std::string>> sorted;
  for (const auto& [k, c] : hist) sorted.emplace_back(-c, k);
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [c, k] : sorted) std::cout << "  " << k << ": " << -c << "\n";
  if (unsupported.empty()) {
    std::cout << "unsupported ops: none\n";
  } else {
    std::cout << "unsupported ops:\n";
    for (const auto& [k, c] : unsupported) std::cout << "  " << k << ": " << c << "\n";
  }
  return 0;
}

}  // namespace

Subcommand add_inspect(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand("inspect", "describe a model, or list supported ops with --ops");
  cmd->add_option("model", args->model, "model.onnx");
  cmd->add_flag("--ops", args->list_ops, "list the ops and opset versions ort-lite supports");
  return {cmd, [args] { return inspect(*args); }};
}

}  // namespace ortl::tools
