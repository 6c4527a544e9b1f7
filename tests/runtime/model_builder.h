// Builds small ONNX models in tests directly through the generated protobuf classes.
#pragma once

#include <string>
#include <vector>

#include "graph/common.h"
#include "graph/loader.h"
#include "onnx.pb.h"

namespace ortl::test {

class ModelBuilder {
 public:
  explicit ModelBuilder(int opset = 17, int ir_version = 8) {
    m_.set_ir_version(ir_version);
    m_.set_producer_name("ort-lite-tests");
    auto* o = m_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    m_.mutable_graph()->set_name("test");
  }
  onnx::ModelProto& model() { return m_; }
  onnx::GraphProto& graph() { return *m_.mutable_graph(); }

  // dims: -1 gives a symbolic dim named "d<i>"; rank_known=false leaves the shape out.
  void input(const std::string& name, DType dt, const std::vector<int64_t>& dims) {
    add_value(graph().add_input(), name, dt, dims);
  }
  void output(const std::string& name, DType dt, const std::vector<int64_t>& dims = {}, bool with_shape = false) {
    auto* v = graph().add_output();
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(static_cast<int>(dt));
    if (with_shape)
      for (int64_t d : dims) tt->mutable_shape()->add_dim()->set_dim_value(d);
  }
  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& ins,
                        const std::vector<std::string>& outs, const std::string& name = "") {
    auto* n = graph().add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + std::to_string(graph().node_size()) : name);
    for (const auto& i : ins) n->add_input(i);
    for (const auto& o : outs) n->add_output(o);
    return *n;
  }
  void initializer(const std::string& name, const Tensor& t) {
    graph::tensor_to_proto(t, name, graph().add_initializer());
  }
  std::string bytes() const { return m_.SerializeAsString(); }

  static void attr_int(onnx::NodeProto& n, const std::string& name, int64_t v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void attr_ints(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  static void attr_tensor(onnx::NodeProto& n, const std::string& name, const Tensor& t) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::TENSOR);
    graph::tensor_to_proto(t, "", a->mutable_t());
  }

 private:
  static void add_value(onnx::ValueInfoProto* v, const std::string& name, DType dt, const std::vector<int64_t>& dims) {
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(static_cast<int>(dt));
    auto* sh = tt->mutable_shape();
    for (size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] >= 0)
        sh->add_dim()->set_dim_value(dims[i]);
      else
        sh->add_dim()->set_dim_param(std::string(1, 'd') += std::to_string(i));
    }
  }
  onnx::ModelProto m_;
};

inline Tensor make_f32(const std::vector<int64_t>& shape, const std::vector<float>& v) {
  Tensor t(DType::kFloat, shape);
  std::copy(v.begin(), v.end(), t.data_as<float>());
  return t;
}

inline Tensor make_i64(const std::vector<int64_t>& shape, const std::vector<int64_t>& v) {
  Tensor t(DType::kInt64, shape);
  std::copy(v.begin(), v.end(), t.data_as<int64_t>());
  return t;
}

inline std::vector<float> values(const Tensor& t) {
  return std::vector<float>(t.data_as<float>(), t.data_as<float>() + t.numel());
}

}  // namespace ortl::test
