// Loading ONNX files into the IR: ModelProto parsing, tensors (typed fields, raw_data, external
// data mapped with mmap), Constant nodes folded into initializers, model-local functions inlined.
#pragma once

#include <memory>
#include <string>

#include "graph/ir.h"

namespace ortl::onnx {
class TensorProto;
}

namespace ortl::graph {

// Loads and imports a model; `path` is used for error messages and to resolve external data.
std::shared_ptr<Graph> load_model_file(const std::string& path);
// The same from bytes in memory; external data is resolved relative to `base_dir` (if given).
std::shared_ptr<Graph> load_model_bytes(const void* data, size_t size, const std::string& name = "<memory>",
                                        const std::string& base_dir = "");

// TensorProto <-> Tensor. `context` names the tensor in error messages. 4- and 2-bit types are
// packed in files (raw_data, int32_data, external data) and unpacked in a Tensor (tensor.hpp):
// reading unpacks them, writing packs them again.
Tensor tensor_from_proto(const onnx::TensorProto& tp, const std::string& base_dir, const std::string& context);
void tensor_to_proto(const Tensor& t, const std::string& name, onnx::TensorProto* tp);

// A serialized TensorProto file (the `input_0.pb` of the onnx test layout). Returns its name too.
Tensor load_tensor_pb(const std::string& path, std::string* name = nullptr);
void save_tensor_pb(const Tensor& t, const std::string& name, const std::string& path);
// A serialized value of the given type: a TensorProto, or a SequenceProto / OptionalProto for
// sequence and optional types (sequences of tensors, optionals of a tensor or such a sequence).
AnyValue load_value_pb(const std::string& path, const TypeInfo& type);

}  // namespace ortl::graph
