// The in-memory graph: values (tensors flowing between nodes) with types and symbolic shapes,
// nodes with parsed attributes, initializers, and nested subgraphs for control-flow attributes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/common.h"

namespace ortl::graph {

// A dimension: a known size, or unknown with an optional symbol ("batch", "seq").
struct Dim {
  int64_t value = -1;
  std::string symbol;

  Dim() = default;
  Dim(int64_t v) : value(v) {}  // NOLINT: dims are built from integers all the time
  explicit Dim(std::string sym) : symbol(std::move(sym)) {}
  bool known() const { return value >= 0; }
  bool operator==(const Dim& o) const {
    return known() ? value == o.value : (!o.known() && !symbol.empty() && symbol == o.symbol);
  }
};

using Shape = std::vector<Dim>;
using ortl::shape_str;
std::string shape_str(const Shape& s);
bool all_known(const Shape& s);
std::vector<int64_t> to_concrete(const Shape& s);  // requires all_known
Shape from_concrete(const std::vector<int64_t>& v);

// What a value holds. Sequences and optionals carry the type of their tensors in TypeInfo's
// dtype/shape (shape: that of every element when they agree). kOther: maps and sparse tensors.
enum class ValueKind : uint8_t { kTensor, kSequence, kOptionalTensor, kOptionalSequence, kOther };

// A value's type: element type plus shape; has_shape = false means the rank is unknown too.
struct TypeInfo {
  DType dtype = DType::kUndefined;
  bool has_shape = false;
  Shape shape;
  ValueKind kind = ValueKind::kTensor;

  static TypeInfo of(DType t, Shape s) { return {t, true, std::move(s)}; }
  int rank() const { return has_shape ? static_cast<int>(shape.size()) : -1; }
  bool is_tensor() const { return kind == ValueKind::kTensor; }
  bool is_sequence() const { return kind == ValueKind::kSequence || kind == ValueKind::kOptionalSequence; }
  bool is_optional() const { return kind == ValueKind::kOptionalTensor || kind == ValueKind::kOptionalSequence; }
};

// A run-time value that is not a plain tensor: a sequence of tensors, or an optional that is
// empty or holds a tensor or a sequence. Immutable once built (shared between values), and it
// owns its tensors: builders copy arena-backed tensors in, since the arena is reused.
struct Composite {
  ValueKind kind = ValueKind::kSequence;  // kSequence, kOptionalTensor or kOptionalSequence
  bool has_element = true;                // optionals: false when empty
  DType elem_dtype = DType::kUndefined;   // the tensors' dtype, known even for an empty sequence
  std::vector<Tensor> items;              // the sequence's tensors; an optional tensor is items[0]

  bool is_optional_empty() const {
    return (kind == ValueKind::kOptionalTensor || kind == ValueKind::kOptionalSequence) && !has_element;
  }
};
using CompositePtr = std::shared_ptr<const Composite>;

// Anything a graph input or output holds: a tensor, or a composite.
struct AnyValue {
  Tensor tensor;
  CompositePtr composite;

  AnyValue() = default;
  AnyValue(Tensor t) : tensor(std::move(t)) {}           // NOLINT: tensors convert implicitly
  AnyValue(CompositePtr c) : composite(std::move(c)) {}  // NOLINT
  bool defined() const { return tensor.defined() || composite != nullptr; }
};

class Graph;

enum class AttrType {
  kUndefined,
  kFloat,
  kInt,
  kString,
  kTensor,
  kGraph,
  kFloats,
  kInts,
  kStrings,
  kTensors,
  kGraphs,
  kTypeProto
};

struct Attribute {
  AttrType type = AttrType::kUndefined;
  float f = 0;
  int64_t i = 0;
  std::string s;
  Tensor t;
  std::shared_ptr<Graph> g;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;
  std::vector<Tensor> tensors;
  std::vector<std::shared_ptr<Graph>> graphs;
  TypeInfo tp;  // kTypeProto (Optional's `type`)
};

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;        // "" is the default ONNX domain ("ai.onnx" is normalised to "")
  int opset = 0;             // the opset version imported for `domain`
  std::vector<int> inputs;   // value ids; -1 marks an omitted optional input
  std::vector<int> outputs;  // value ids; -1 marks an omitted optional output
  std::map<std::string, Attribute> attrs;
  // Trailing inputs the node does not declare: outer-scope values its subgraphs read, in the
  // order capture_names() gives. They keep those values alive until the node runs.
  int implicit_inputs = 0;

  bool has(const std::string& a) const { return attrs.count(a) != 0; }
  const Attribute* attr(const std::string& a) const;
  int64_t get_int(const std::string& a, int64_t def) const;
  float get_float(const std::string& a, float def) const;
  std::string get_string(const std::string& a, const std::string& def) const;
  std::vector<int64_t> get_ints(const std::string& a, std::vector<int64_t> def = {}) const;
  std::vector<float> get_floats(const std::string& a, std::vector<float> def = {}) const;
  std::vector<std::string> get_strings(const std::string& a) const;
  const Tensor* get_tensor(const std::string& a) const;
  // "node 'conv1' (Conv)": the prefix of every error about this node.
  std::string describe() const;
};

struct Value {
  std::string name;
  TypeInfo type;
  int producer = -1;           // node index, -1 for graph inputs, initializers and outer-scope values
  std::vector<int> consumers;  // node indices (a node appears once per input slot using it)
  bool is_input = false;       // declared graph input (may also have an initializer: a default)
  bool is_output = false;
  bool is_outer = false;  // read from an enclosing graph (subgraphs only)
  std::optional<Tensor> initializer;
};

class Graph {
 public:
  std::string name;
  std::string source;  // file the graph came from, for error messages
  int64_t ir_version = 0;
  std::string producer;               // producer_name and producer_version of the model
  std::map<std::string, int> opsets;  // domain -> version ("" for ai.onnx)
  std::vector<Value> values;
  std::vector<Node> nodes;  // topologically sorted once import is done
  std::vector<int> inputs;  // declared inputs that are not pure initializers, in order
  std::vector<int> outputs;
  std::vector<int> captures;  // subgraphs: values read from an enclosing graph (free variables)

  int find(const std::string& value_name) const;  // -1 when absent
  int add_value(const std::string& value_name);   // returns the existing id if present
  // Rebuilds producer/consumer links from nodes and sorts nodes topologically; throws on a
  // cycle or on a value read before anything produces it.
  void finalize();

 private:
  std::unordered_map<std::string, int> index_;
};

// The outer-scope names a node's subgraphs read: every graph attribute in attribute-name order,
// each graph's captures in order, first occurrence kept. Node::implicit_inputs follow this order.
std::vector<std::string> capture_names(const Node& n);

}  // namespace ortl::graph
