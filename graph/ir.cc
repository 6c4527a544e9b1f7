// Graph bookkeeping: attribute access with defaults, value lookup and topological sorting.
#include "graph/ir.h"

#include <algorithm>
#include <deque>

namespace ortl::graph {

std::string shape_str(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ",";
    out += s[i].known() ? std::to_string(s[i].value) : (s[i].symbol.empty() ? "?" : s[i].symbol);
  }
  return out + "]";
}

bool all_known(const Shape& s) {
  for (const Dim& d : s)
    if (!d.known()) return false;
  return true;
}

std::vector<int64_t> to_concrete(const Shape& s) {
  std::vector<int64_t> v(s.size());
  for (size_t i = 0; i < s.size(); ++i) v[i] = s[i].value;
  return v;
}

Shape from_concrete(const std::vector<int64_t>& v) { return Shape(v.begin(), v.end()); }

const Attribute* Node::attr(const std::string& a) const {
  auto it = attrs.find(a);
  return it == attrs.end() ? nullptr : &it->second;
}

int64_t Node::get_int(const std::string& a, int64_t def) const {
  const Attribute* p = attr(a);
  if (!p) return def;
  check(p->type == AttrType::kInt, ErrorCode::kInvalidModel, describe(), ": attribute '", a, "' must be an int");
  return p->i;
}

float Node::get_float(const std::string& a, float def) const {
  const Attribute* p = attr(a);
  if (!p) return def;
  if (p->type == AttrType::kInt) return static_cast<float>(p->i);
  check(p->type == AttrType::kFloat, ErrorCode::kInvalidModel, describe(), ": attribute '", a, "' must be a float");
  return p->f;
}

std::string Node::get_string(const std::string& a, const std::string& def) const {
  const Attribute* p = attr(a);
  if (!p) return def;
  check(p->type == AttrType::kString, ErrorCode::kInvalidModel, describe(), ": attribute '", a, "' must be a string");
  return p->s;
}

std::vector<int64_t> Node::get_ints(const std::string& a, std::vector<int64_t> def) const {
  const Attribute* p = attr(a);
  if (!p) return def;
  if (p->type == AttrType::kInt) return {p->i};
  check(p->type == AttrType::kInts, ErrorCode::kInvalidModel, describe(), ": attribute '", a,
        "' must be a list of ints");
  return p->ints;
}

std::vector<float> Node::get_floats(const std::string& a, std::vector<float> def) const {
  const Attribute* p = attr(a);
  if (!p) return def;
  if (p->type == AttrType::kFloat) return {p->f};
  check(p->type == AttrType::kFloats, ErrorCode::kInvalidModel, describe(), ": attribute '", a,
        "' must be a list of floats");
  return p->floats;
}

std::vector<std::string> Node::get_strings(const std::string& a) const {
  const Attribute* p = attr(a);
  if (!p) return {};
  if (p->type == AttrType::kString) return {p->s};
  check(p->type == AttrType::kStrings, ErrorCode::kInvalidModel, describe(), ": attribute '", a,
        "' must be a list of strings");
  return p->strings;
}

const Tensor* Node::get_tensor(const std::string& a) const {
  const Attribute* p = attr(a);
  if (!p) return nullptr;
  check(p->type == AttrType::kTensor, ErrorCode::kInvalidModel, describe(), ": attribute '", a, "' must be a tensor");
  return &p->t;
}

std::string Node::describe() const {
  std::string d = domain.empty() ? op_type : domain + "." + op_type;
  return "node '" + name + "' (" + d + ")";
}

std::vector<std::string> capture_names(const Node& n) {
  std::vector<std::string> names;
  auto add = [&](const Graph* g) {
    if (!g) return;
    for (int v : g->captures) {
      const std::string& name = g->values[v].name;
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  };
  for (const auto& [key, a] : n.attrs) {
    if (a.type == AttrType::kGraph) add(a.g.get());
    if (a.type == AttrType::kGraphs)
      for (const auto& g : a.graphs) add(g.get());
  }
  return names;
}

int Graph::find(const std::string& value_name) const {
  auto it = index_.find(value_name);
  return it == index_.end() ? -1 : it->second;
}

int Graph::add_value(const std::string& value_name) {
  auto it = index_.find(value_name);
  if (it != index_.end()) return it->second;
  const int id = static_cast<int>(values.size());
  values.push_back(Value{});
  values.back().name = value_name;
  index_.emplace(value_name, id);
  return id;
}

void Graph::finalize() {
  for (Value& v : values) {
    v.producer = -1;
    v.consumers.clear();
  }
  const int n = static_cast<int>(nodes.size());
  for (int i = 0; i < n; ++i) {
    for (int o : nodes[i].outputs) {
      if (o < 0) continue;
      Value& v = values[o];
      if (v.producer >= 0)
        fail(ErrorCode::kInvalidModel, source, ": value '", v.name, "' is produced by both ",
             nodes[v.producer].describe(), " and ", nodes[i].describe());
      check(!v.initializer && !v.is_input, ErrorCode::kInvalidModel, source, ": ", nodes[i].describe(), " writes '",
            v.name, "', which is a graph input or initializer");
      v.producer = i;
    }
  }
  // Kahn's algorithm, stable: ready nodes run in file order.
  std::vector<int> pending(n, 0);
  for (int i = 0; i < n; ++i) {
    for (int in : nodes[i].inputs) {
      if (in < 0) continue;
      Value& v = values[in];
      v.consumers.push_back(i);
      if (v.producer >= 0) {
        ++pending[i];
      } else {
        check(v.is_input || v.initializer || v.is_outer, ErrorCode::kInvalidModel, source, ": ", nodes[i].describe(),
              " reads '", v.name, "', which no node, input or initializer provides");
      }
    }
  }
  std::deque<int> ready;
  for (int i = 0; i < n; ++i)
    if (pending[i] == 0) ready.push_back(i);
  std::vector<int> order;
  order.reserve(n);
  while (!ready.empty()) {
    const int i = ready.front();
    ready.pop_front();
    order.push_back(i);
    for (int o : nodes[i].outputs) {
      if (o < 0) continue;
      for (int c : values[o].consumers)
        if (--pending[c] == 0) ready.push_back(c);
    }
  }
  if (static_cast<int>(order.size()) != n) {
    for (int i = 0; i < n; ++i)
      if (pending[i] > 0)
        fail(ErrorCode::kInvalidModel, source, ": the graph has a cycle through ", nodes[i].describe());
  }
  for (int o : outputs) {
    const Value& v = values[o];
    check(v.producer >= 0 || v.is_input || v.initializer || v.is_outer, ErrorCode::kInvalidModel, source,
          ": graph output '", v.name, "' is never produced");
  }
  // Reorder nodes and remap producer/consumer indices.
  std::vector<Node> sorted;
  sorted.reserve(n);
  for (int i : order) sorted.push_back(std::move(nodes[i]));
  nodes = std::move(sorted);
  for (Value& v : values) {
    v.producer = -1;
    v.consumers.clear();
  }
  for (int i = 0; i < n; ++i) {
    for (int o : nodes[i].outputs)
      if (o >= 0) values[o].producer = i;
    for (int in : nodes[i].inputs)
      if (in >= 0) values[in].consumers.push_back(i);
  }
}

}  // namespace ortl::graph
