#include "opset/registry.h"

#include <algorithm>

namespace ortl::opset {

std::vector<OpEntry> builtin_ops();  // opset/ops.cc

Registry::Registry() : entries_(builtin_ops()) {}

Registry& Registry::global() {
  static Registry r;
  return r;
}

const OpEntry* Registry::find(const std::string& domain, const std::string& op_type, int opset) const {
  std::lock_guard<std::mutex> lock(mu_);
  const OpEntry* best = nullptr;
  for (const OpEntry& e : entries_) {
    if (e.domain != domain || e.op_type != op_type) continue;
    // Custom domains are often imported with version 1 or left at 0: accept the newest entry.
    const bool fits = opset <= 0 ? true : (e.since <= opset && opset <= e.until);
    if (fits && (!best || e.since > best->since)) best = &e;
  }
  return best;
}

void Registry::add(OpEntry e) {
  std::lock_guard<std::mutex> lock(mu_);
  for (OpEntry& old : entries_) {
    if (old.domain == e.domain && old.op_type == e.op_type && old.since == e.since) {
      old = std::move(e);
      return;
    }
  }
  entries_.push_back(std::move(e));
}

std::vector<OpEntry> Registry::entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_;
}

std::unique_ptr<OpKernel> build_kernel(const graph::Node& node, const graph::Graph& g,
                                       const SubgraphCompiler* subgraphs) {
  const OpEntry* e = Registry::global().find(node.domain, node.op_type, node.opset);
  if (!e) {
    fail(ErrorCode::kNotImplemented, g.source, ": ", node.describe(), ": unsupported op '",
         node.domain.empty() ? "" : node.domain + ".", node.op_type, "' at opset ", node.opset);
  }
  try {
    return e->build(BuildContext{node, g, node.opset, subgraphs});
  } catch (const Error& err) {
    // Builders report attribute problems without file/node context; add it once here.
    const std::string msg = err.what();
    if (msg.find(node.describe()) != std::string::npos) throw;
    throw Error(err.code(), g.source + ": " + node.describe() + ": " + msg);
  }
}

}  // namespace ortl::opset
