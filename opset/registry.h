// The opset registry: (domain, op_type, opset range) -> builder. Built-in ops come from the one
// declarative list in opset/ops.cc; custom ops are added at run time through the public API.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "opset/op.h"

namespace ortl::opset {

// Newest opset version ort-lite knows for the default domain: that of the pinned onnx release
// (1.23). Versions after an entry's last semantic change only added types, so open-ended
// entries run up to here; the backend node tests check each op at its newest version.
constexpr int kMaxOpset = 28;

struct OpEntry {
  std::string domain;  // "" for ai.onnx
  std::string op_type;
  int since = 1;          // first opset version this entry implements
  int until = kMaxOpset;  // last opset version (inclusive)
  std::function<std::unique_ptr<OpKernel>(const BuildContext&)> build;
};

class Registry {
 public:
  static Registry& global();
  // The entry covering `opset` for (domain, op_type), or nullptr.
  const OpEntry* find(const std::string& domain, const std::string& op_type, int opset) const;
  // Adds an entry; a later entry for the same (domain, op, since) replaces the earlier one.
  void add(OpEntry e);
  std::vector<OpEntry> entries() const;

 private:
  Registry();
  mutable std::mutex mu_;
  std::vector<OpEntry> entries_;
};

// Builds the kernel for a node; throws kNotImplemented naming the node when no entry fits.
std::unique_ptr<OpKernel> build_kernel(const graph::Node& node, const graph::Graph& g,
                                       const SubgraphCompiler* subgraphs = nullptr);

}  // namespace ortl::opset
