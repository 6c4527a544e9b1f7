// ModelProto -> Graph. Everything in a model file is untrusted: sizes are checked against the
// bytes actually present, external data may not leave the model's folder, and every failure
// names the file and the tensor or node involved.
#include "graph/loader.h"

#include <fcntl.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <set>

#include "onnx.pb.h"

namespace ortl::graph {
namespace {

namespace fs = std::filesystem;

// A read-only mapping of a whole external-data file, shared by every tensor that points into it.
struct Mapping {
  void* addr = nullptr;
  size_t size = 0;
  ~Mapping() {
    if (addr && size) munmap(addr, size);
  }
};

std::shared_ptr<Mapping> map_file(const std::string& path, const std::string& context) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  check(fd >= 0, ErrorCode::kInvalidModel, context, ": cannot open external data file '", path, "'");
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    ::close(fd);
    fail(ErrorCode::kInvalidModel, context, ": cannot stat '", path, "'");
  }
  auto m = std::make_shared<Mapping>();
  m->size = static_cast<size_t>(st.st_size);
  if (m->size > 0) {
    m->addr = mmap(nullptr, m->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m->addr == MAP_FAILED) {
      m->addr = nullptr;
      ::close(fd);
      fail(ErrorCode::kInvalidModel, context, ": cannot map '", path, "'");
    }
  }
  ::close(fd);
  return m;
}

template <class Src, class Dst>
void copy_field(const Src& field, Dst* dst, int64_t n, const std::string& context) {
  check(field.size() == n, ErrorCode::kInvalidModel, context, ": holds ", field.size(), " values, its shape needs ", n);
  for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<Dst>(field.Get(static_cast<int>(i)));
}

// Bytes of n elements in an ONNX file: 2-, 4- and 6-bit types are packed into one little-endian
// bit stream (element i at bits [i * bits, (i + 1) * bits)), the last byte zero-padded.
int64_t file_bytes(DType dt, int64_t n) { return (n * dtype_bits(dt) + 7) / 8; }

// Packed elements -> one byte each (int4/int2 sign-extended, the rest zero-extended). A 6-bit
// element may straddle two bytes; `size` bounds the reads.
void unpack_bits(const uint8_t* src, size_t size, DType dt, uint8_t* dst, int64_t n) {
  const int bits = dtype_bits(dt);
  const unsigned mask = (1u << bits) - 1;
  const bool sign = dt == DType::kInt4 || dt == DType::kInt2;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t bit = i * bits;
    const auto byte = static_cast<size_t>(bit / 8);
    unsigned word = src[byte];
    if (byte + 1 < size) word |= static_cast<unsigned>(src[byte + 1]) << 8;
    const unsigned v = (word >> (bit % 8)) & mask;
    dst[i] = static_cast<uint8_t>(sign && (v >> (bits - 1)) ? v | ~mask : v);
  }
}

// The inverse: one byte each -> packed, the unused high bits of the last byte zero.
std::string pack_bits(const uint8_t* src, DType dt, int64_t n) {
  const int bits = dtype_bits(dt);
  const unsigned mask = (1u << bits) - 1;
  std::string out(static_cast<size_t>(file_bytes(dt, n)), '\0');
  for (int64_t i = 0; i < n; ++i) {
    const int64_t bit = i * bits;
    const auto byte = static_cast<size_t>(bit / 8);
    const unsigned v = (src[i] & mask) << (bit % 8);
    out[byte] = static_cast<char>(static_cast<uint8_t>(out[byte]) | (v & 0xff));
    if (v >> 8) out[byte + 1] = static_cast<char>(static_cast<uint8_t>(out[byte + 1]) | (v >> 8));
  }
  return out;
}

// Whether a packed buffer of `size` bytes holds n elements: exactly file_bytes, or for 6-bit
// types up to whole 3-byte groups (onnx's reader accepts the padding).
bool packed_size_ok(DType dt, int64_t n, int64_t size) {
  if (size == file_bytes(dt, n)) return true;
  return dtype_bits(dt) == 6 && size > file_bytes(dt, n) && size <= (n + 3) / 4 * 3;
}

// A tensor of dt unpacked from `bytes` file bytes (the size was checked by the caller).
Tensor unpacked_tensor(const void* bytes, size_t size, DType dt, const std::vector<int64_t>& shape) {
  Tensor t(dt, shape);
  unpack_bits(static_cast<const uint8_t*>(bytes), size, dt, t.data_as<uint8_t>(), t.numel());
  return t;
}

// A model's own raw initializers from this size on keep the parsed bytes as their storage (see
// tensor_from_proto_impl); smaller ones are copied.
constexpr size_t kAdoptBytes = size_t{1} << 12;

Tensor external_tensor(const onnx::TensorProto& tp, DType dt, const std::vector<int64_t>& shape,
                       const std::string& base_dir, const std::string& context) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& kv : tp.external_data()) {
    try {
      if (kv.key() == "location")
        location = kv.value();
      else if (kv.key() == "offset")
        offset = std::stoll(kv.value());
      else if (kv.key() == "length")
        length = std::stoll(kv.value());
    } catch (const std::exception&) {
      fail(ErrorCode::kInvalidModel, context, ": bad external_data entry '", kv.key(), "'='", kv.value(), "'");
    }
  }
  check(!location.empty(), ErrorCode::kInvalidModel, context, ": external data without a location");
  const fs::path rel(location);
  check(rel.is_relative() && rel.lexically_normal().string().rfind("..", 0) != 0, ErrorCode::kInvalidModel, context,
        ": external data location '", location, "' leaves the model's folder");
  const std::string path = (fs::path(base_dir.empty() ? "." : base_dir) / rel).string();
  auto m = map_file(path, context);
  const int64_t nbytes = file_bytes(dt, checked_numel(shape));
  if (length < 0) length = static_cast<int64_t>(m->size) - offset;
  check(offset >= 0 && length == nbytes && offset + length <= static_cast<int64_t>(m->size), ErrorCode::kInvalidModel,
        context, ": external data (offset ", offset, ", length ", length, ") does not hold ", nbytes, " bytes inside '",
        path, "' (", m->size, " bytes)");
  // Mapped read-only: kernels never write to initializers, so no copy is needed. Misaligned
  // offsets are legal but SIMD code wants 4-byte alignment at least: copy those.
  char* ptr = static_cast<char*>(m->addr) + offset;
  if (dtype_bits(dt) < 8) return unpacked_tensor(ptr, static_cast<size_t>(nbytes), dt, shape);
  if (reinterpret_cast<uintptr_t>(ptr) % 64 != 0) {
    Tensor t(dt, shape);
    if (nbytes) std::memcpy(t.data(), ptr, nbytes);
    return t;
  }
  return Tensor::wrap(dt, shape, ptr, std::move(m));
}

}  // namespace

namespace {

// adopt: tp itself, mutable, when its raw bytes may become the tensor's storage (a model's own
// initializers, see Importer); else null.
Tensor tensor_from_proto_impl(const onnx::TensorProto& tp, const std::string& base_dir, const std::string& context,
                              onnx::TensorProto* adopt) {
  const DType dt = static_cast<DType>(tp.data_type());
  check(dtype_size(dt) != 0, ErrorCode::kNotImplemented, context, ": unsupported tensor data type ", tp.data_type());
  std::vector<int64_t> shape(tp.dims().begin(), tp.dims().end());
  for (int64_t d : shape)
    check(d >= 0, ErrorCode::kInvalidModel, context, ": negative dimension in ", shape_str(shape));
  try {
    checked_numel(shape);
  } catch (const Error& e) {
    fail(e.code(), context, ": ", e.what());
  }
  if (tp.data_location() == onnx::TensorProto::EXTERNAL) return external_tensor(tp, dt, shape, base_dir, context);

  const int64_t n = checked_numel(shape);
  const bool packed = dtype_bits(dt) < 8;
  if (dt != DType::kString && tp.has_raw_data()) {
    const auto size = static_cast<int64_t>(tp.raw_data().size());
    const size_t nbytes = static_cast<size_t>(n) * dtype_size(dt);
    if (packed ? !packed_size_ok(dt, n, size) : size != static_cast<int64_t>(nbytes))
      fail(ErrorCode::kInvalidModel, context, ": raw_data has ", size, " bytes, shape ", shape_str(shape), " of ",
           dtype_name(dt), " needs ", file_bytes(dt, n));
    if (packed) return unpacked_tensor(tp.raw_data().data(), tp.raw_data().size(), dt, shape);
    // The parsed bytes themselves become the storage (no copy, no fresh pages: BERT-base session
    // creation spent a fifth of its time copying 438 MB and faulting in the copy). Heap blocks
    // are 16-byte aligned; no kernel needs more of its inputs.
    if (adopt && nbytes >= kAdoptBytes && reinterpret_cast<uintptr_t>(tp.raw_data().data()) % 16 == 0) {
      std::shared_ptr<std::string> bytes(adopt->release_raw_data());
      return Tensor::wrap(dt, shape, bytes->data(), bytes);
    }
    Tensor t(dt, shape);
    if (nbytes) std::memcpy(t.data(), tp.raw_data().data(), nbytes);
    return t;
  }
  Tensor t(dt, shape);
  if (dt == DType::kString) {
    check(tp.string_data_size() == n, ErrorCode::kInvalidModel, context, ": holds ", tp.string_data_size(),
          " strings, its shape needs ", n);
    for (int64_t i = 0; i < n; ++i) t.data_as<std::string>()[i] = tp.string_data(static_cast<int>(i));
    return t;
  }
  if (dtype_bits(dt) == 2 || dtype_bits(dt) == 4) {  // int32_data holds one packed byte per entry
    std::vector<uint8_t> bytes(static_cast<size_t>(file_bytes(dt, n)));
    copy_field(tp.int32_data(), bytes.data(), static_cast<int64_t>(bytes.size()), context);
    unpack_bits(bytes.data(), bytes.size(), dt, t.data_as<uint8_t>(), n);
    return t;
  }
  if (dtype_bits(dt) == 6) {  // int32_data holds one element per entry, in its low 6 bits
    copy_field(tp.int32_data(), t.data_as<uint8_t>(), n, context);
    for (int64_t i = 0; i < n; ++i) t.data_as<uint8_t>()[i] &= 0x3f;
    return t;
  }
  switch (dt) {
    case DType::kFloat: copy_field(tp.float_data(), t.data_as<float>(), n, context); break;
    case DType::kDouble: copy_field(tp.double_data(), t.data_as<double>(), n, context); break;
    case DType::kInt64: copy_field(tp.int64_data(), t.data_as<int64_t>(), n, context); break;
    case DType::kUInt32: copy_field(tp.uint64_data(), t.data_as<uint32_t>(), n, context); break;
    case DType::kUInt64: copy_field(tp.uint64_data(), t.data_as<uint64_t>(), n, context); break;
    case DType::kInt32: copy_field(tp.int32_data(), t.data_as<int32_t>(), n, context); break;
    case DType::kInt16: copy_field(tp.int32_data(), t.data_as<int16_t>(), n, context); break;
    case DType::kInt8: copy_field(tp.int32_data(), t.data_as<int8_t>(), n, context); break;
    case DType::kUInt16:
    case DType::kFloat16:
    case DType::kBFloat16: copy_field(tp.int32_data(), t.data_as<uint16_t>(), n, context); break;
    case DType::kUInt8:
    case DType::kBool:
    case DType::kFloat8E4M3FN:
    case DType::kFloat8E4M3FNUZ:
    case DType::kFloat8E5M2:
    case DType::kFloat8E5M2FNUZ:
    case DType::kFloat8E8M0: copy_field(tp.int32_data(), t.data_as<uint8_t>(), n, context); break;
    default: fail(ErrorCode::kNotImplemented, context, ": unsupported tensor data type ", dtype_name(dt));
  }
  return t;
}

}  // namespace

Tensor tensor_from_proto(const onnx::TensorProto& tp, const std::string& base_dir, const std::string& context) {
  return tensor_from_proto_impl(tp, base_dir, context, nullptr);
}

void tensor_to_proto(const Tensor& t, const std::string& name, onnx::TensorProto* tp) {
  tp->Clear();
  tp->set_name(name);
  tp->set_data_type(static_cast<int>(t.dtype()));
  for (int64_t d : t.shape()) tp->add_dims(d);
  if (t.dtype() == DType::kString) {
    for (int64_t i = 0; i < t.numel(); ++i) tp->add_string_data(t.data_as<std::string>()[i]);
  } else if (dtype_bits(t.dtype()) < 8) {
    tp->set_raw_data(pack_bits(t.data_as<uint8_t>(), t.dtype(), t.numel()));
  } else {
    tp->set_raw_data(t.data(), t.nbytes());
  }
}

namespace {

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  check(f.good(), ErrorCode::kInvalidArgument, path, ": cannot open file");
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return bytes;
}

template <class Msg>
void parse_message(Msg* msg, const void* data, size_t size, const std::string& what) {
  check(size <= static_cast<size_t>(std::numeric_limits<int>::max()), ErrorCode::kInvalidModel, what,
        ": larger than 2 GiB; keep large weights in external data");
  google::protobuf::io::CodedInputStream in(static_cast<const uint8_t*>(data), static_cast<int>(size));
  in.SetTotalBytesLimit(std::numeric_limits<int>::max());
  check(msg->ParseFromCodedStream(&in) && in.ConsumedEntireMessage(), ErrorCode::kInvalidModel, what,
        ": not a valid ONNX protobuf (truncated or corrupted file)");
}

TypeInfo type_from_proto(const onnx::TypeProto& tp) {
  TypeInfo ti;
  // Sequences and optionals keep the kind and the type of their tensors.
  if (tp.has_sequence_type() || tp.has_optional_type()) {
    const bool seq = tp.has_sequence_type();
    const onnx::TypeProto& elem = seq ? tp.sequence_type().elem_type() : tp.optional_type().elem_type();
    ti = type_from_proto(elem);
    if (seq)
      ti.kind = ti.kind == ValueKind::kTensor ? ValueKind::kSequence : ValueKind::kOther;
    else if (ti.kind == ValueKind::kTensor || ti.kind == ValueKind::kSequence)
      ti.kind = ti.kind == ValueKind::kTensor ? ValueKind::kOptionalTensor : ValueKind::kOptionalSequence;
    else
      ti.kind = ValueKind::kOther;
    return ti;
  }
  if (!tp.has_tensor_type()) {
    if (tp.value_case() != onnx::TypeProto::VALUE_NOT_SET) ti.kind = ValueKind::kOther;  // maps, sparse
    return ti;
  }
  const auto& tt = tp.tensor_type();
  ti.dtype = static_cast<DType>(tt.elem_type());
  if (tt.has_shape()) {
    ti.has_shape = true;
    for (const auto& d : tt.shape().dim()) {
      if (d.has_dim_value() && d.dim_value() >= 0)
        ti.shape.emplace_back(d.dim_value());
      else
        ti.shape.emplace_back(Dim(d.dim_param()));
    }
  }
  return ti;
}

// Everything needed while importing one model: the functions to inline and the file context.
class Importer {
 public:
  // release_from: the model's own graph, mutable, when its initializers' raw bytes may be freed as
  // soon as their tensors hold a copy (see load_model_file), or null.
  Importer(const onnx::ModelProto& model, std::string source, std::string base_dir, onnx::GraphProto* release_from)
      : model_(model), source_(std::move(source)), base_dir_(std::move(base_dir)), release_from_(release_from) {
    for (const auto& f : model.functions()) functions_[{norm(f.domain()), f.name()}] = &f;
  }

  std::shared_ptr<Graph> import_graph(const onnx::GraphProto& gp, const std::map<std::string, int>& opsets,
                                      bool is_subgraph) {
    auto g = std::make_shared<Graph>();
    g->name = gp.name();
    g->source = source_;
    g->opsets = opsets;
    g->ir_version = model_.ir_version();
    g->producer = model_.producer_name() + " " + model_.producer_version();
    const bool release = release_from_ == &gp;
    for (int i = 0; i < gp.initializer_size(); ++i) {
      const onnx::TensorProto& init = gp.initializer(i);
      check(!init.name().empty(), ErrorCode::kInvalidModel, source_, ": an initializer has no name");
      const int id = g->add_value(init.name());
      Value& v = g->values[id];
      v.initializer = tensor_from_proto_impl(init, base_dir_, source_ + ": initializer '" + init.name() + "'",
                                             release ? release_from_->mutable_initializer(i) : nullptr);
      v.type = TypeInfo::of(v.initializer->dtype(), from_concrete(v.initializer->shape()));
      if (release && init.has_raw_data()) delete release_from_->mutable_initializer(i)->release_raw_data();
    }
    check(gp.sparse_initializer_size() == 0, ErrorCode::kNotImplemented, source_,
          ": sparse initializers are not supported");
    for (const auto& in : gp.input()) {
      const int id = g->add_value(in.name());
      Value& v = g->values[id];
      v.is_input = true;
      if (!v.initializer) v.type = type_from_proto(in.type());
      g->inputs.push_back(id);
    }
    for (const auto& vi : gp.value_info()) {
      const int id = g->add_value(vi.name());
      if (!g->values[id].initializer && !g->values[id].is_input) g->values[id].type = type_from_proto(vi.type());
    }
    for (const auto& np : gp.node()) add_node(*g, np, "", opsets, nullptr, 0);
    for (const auto& out : gp.output()) {
      const int id = g->add_value(out.name());
      Value& v = g->values[id];
      v.is_output = true;
      if (v.type.dtype == DType::kUndefined) v.type = type_from_proto(out.type());
      g->outputs.push_back(id);
    }
    if (is_subgraph) {
      // Names read but never defined here come from an enclosing scope.
      std::set<int> produced;
      for (const Node& n : g->nodes)
        for (int o : n.outputs)
          if (o >= 0) produced.insert(o);
      for (size_t i = 0; i < g->values.size(); ++i) {
        Value& v = g->values[i];
        if (!produced.count(static_cast<int>(i)) && !v.is_input && !v.initializer) v.is_outer = true;
      }
    }
    g->finalize();
    if (is_subgraph) {
      // The free variables actually read (value_info may name values nothing uses).
      for (size_t i = 0; i < g->values.size(); ++i) {
        const Value& v = g->values[i];
        if (v.is_outer && (!v.consumers.empty() || v.is_output)) g->captures.push_back(static_cast<int>(i));
      }
    }
    return g;
  }

 private:
  static std::string norm(const std::string& domain) { return domain == "ai.onnx" ? "" : domain; }

  // Attribute values used while inlining a function body: ref_attr_name resolves against these.
  using AttrScope = std::map<std::string, const onnx::AttributeProto*>;

  Attribute convert_attr(const onnx::AttributeProto& ap, const std::map<std::string, int>& opsets,
                         const std::string& context) {
    Attribute a;
    using AP = onnx::AttributeProto;
    AP::AttributeType t = ap.type();
    if (t == AP::UNDEFINED) {  // IR v1/v2 files did not set the type: infer it from the fields set
      if (ap.has_f())
        t = AP::FLOAT;
      else if (ap.has_i())
        t = AP::INT;
      else if (ap.has_s())
        t = AP::STRING;
      else if (ap.has_t())
        t = AP::TENSOR;
      else if (ap.has_g())
        t = AP::GRAPH;
      else if (ap.floats_size())
        t = AP::FLOATS;
      else if (ap.ints_size())
        t = AP::INTS;
      else if (ap.strings_size())
        t = AP::STRINGS;
    }
    switch (t) {
      case AP::FLOAT:
        a.type = AttrType::kFloat;
        a.f = ap.f();
        break;
      case AP::INT:
        a.type = AttrType::kInt;
        a.i = ap.i();
        break;
      case AP::STRING:
        a.type = AttrType::kString;
        a.s = ap.s();
        break;
      case AP::TENSOR:
        a.type = AttrType::kTensor;
        a.t = tensor_from_proto(ap.t(), base_dir_, context + " attribute '" + ap.name() + "'");
        break;
      case AP::GRAPH:
        a.type = AttrType::kGraph;
        a.g = import_graph(ap.g(), opsets, true);
        break;
      case AP::FLOATS:
        a.type = AttrType::kFloats;
        a.floats.assign(ap.floats().begin(), ap.floats().end());
        break;
      case AP::INTS:
        a.type = AttrType::kInts;
        a.ints.assign(ap.ints().begin(), ap.ints().end());
        break;
      case AP::STRINGS:
        a.type = AttrType::kStrings;
        a.strings.assign(ap.strings().begin(), ap.strings().end());
        break;
      case AP::TENSORS:
        a.type = AttrType::kTensors;
        for (const auto& tp : ap.tensors()) a.tensors.push_back(tensor_from_proto(tp, base_dir_, context));
        break;
      case AP::GRAPHS:
        a.type = AttrType::kGraphs;
        for (const auto& gp : ap.graphs()) a.graphs.push_back(import_graph(gp, opsets, true));
        break;
      case AP::TYPE_PROTO:
        a.type = AttrType::kTypeProto;
        a.tp = type_from_proto(ap.tp());
        break;
      case AP::SPARSE_TENSOR:
        fail(ErrorCode::kNotImplemented, context, ": sparse tensor attribute '", ap.name(), "' is not supported");
      default: fail(ErrorCode::kInvalidModel, context, ": attribute '", ap.name(), "' has no value");
    }
    return a;
  }

  // `prefix` renames a function body's internal values; `rename` maps formal to actual names.
  void add_node(Graph& g, const onnx::NodeProto& np, const std::string& prefix,
                const std::map<std::string, int>& opsets, const std::map<std::string, std::string>* rename, int depth) {
    auto actual = [&](const std::string& n) -> std::string {
      if (n.empty()) return n;
      if (rename) {
        auto it = rename->find(n);
        return it != rename->end() ? it->second : prefix + n;
      }
      return n;
    };
    Node node;
    node.name = np.name().empty() ? prefix + np.op_type() + "_" + std::to_string(g.nodes.size()) : prefix + np.name();
    node.op_type = np.op_type();
    node.domain = norm(np.domain());
    auto ov = opsets.find(node.domain);
    node.opset = ov != opsets.end() ? ov->second : 0;
    const std::string context = source_ + ": " + node.describe();
    for (const auto& ap : np.attribute()) {
      const onnx::AttributeProto* src = &ap;
      if (!ap.ref_attr_name().empty()) {
        auto it = scope_.find(ap.ref_attr_name());
        if (it == scope_.end()) continue;  // unset in the caller and no default: attribute absent
        src = it->second;
      }
      node.attrs[ap.name()] = convert_attr(*src, opsets, context);
    }

    auto fn = functions_.find({node.domain, node.op_type});
    if (fn != functions_.end()) {
      check(depth < 32, ErrorCode::kInvalidModel, context, ": functions nest more than 32 deep (recursive?)");
      inline_function(g, np, *fn->second, actual, node.name + "/", depth);
      return;
    }
    if (node.op_type == "Constant" && node.domain.empty()) {
      add_constant(g, np, node, actual(np.output_size() ? np.output(0) : ""), context);
      return;
    }
    for (const auto& in : np.input()) node.inputs.push_back(in.empty() ? -1 : g.add_value(actual(in)));
    for (const auto& out : np.output()) node.outputs.push_back(out.empty() ? -1 : g.add_value(actual(out)));
    // Outer-scope values read by the node's subgraphs become implicit inputs, so ordering and
    // lifetimes in this graph see them.
    for (const std::string& name : capture_names(node)) {
      node.inputs.push_back(g.add_value(actual(name)));
      ++node.implicit_inputs;
    }
    g.nodes.push_back(std::move(node));
  }

  template <class Actual>
  void inline_function(Graph& g, const onnx::NodeProto& call, const onnx::FunctionProto& fp, Actual actual,
                       const std::string& prefix, int depth) {
    std::map<std::string, std::string> rename;
    for (int i = 0; i < fp.input_size(); ++i) rename[fp.input(i)] = i < call.input_size() ? actual(call.input(i)) : "";
    for (int i = 0; i < fp.output_size(); ++i)
      rename[fp.output(i)] = i < call.output_size() ? actual(call.output(i)) : prefix + fp.output(i);
    std::map<std::string, int> fopsets;
    for (const auto& os : fp.opset_import()) fopsets[norm(os.domain())] = static_cast<int>(os.version());
    for (const auto& kv : model_.opset_import()) fopsets.emplace(norm(kv.domain()), static_cast<int>(kv.version()));
    // Attribute scope: the caller's attributes, then the function's declared defaults.
    AttrScope saved = scope_;
    AttrScope inner;
    for (const auto& ap : call.attribute()) {
      const onnx::AttributeProto* src = &ap;
      if (!ap.ref_attr_name().empty()) {
        auto it = saved.find(ap.ref_attr_name());
        if (it == saved.end()) continue;
        src = it->second;
      }
      inner[ap.name()] = src;
    }
    for (const auto& ap : fp.attribute_proto()) inner.emplace(ap.name(), &ap);
    scope_ = inner;
    for (const auto& np : fp.node()) {
      // Inside the body, unnamed/internal values get the call's prefix; formals map to actuals.
      add_node(g, np, prefix, fopsets, &rename, depth + 1);
    }
    scope_ = saved;
  }

  void add_constant(Graph& g, const onnx::NodeProto& np, const Node& node, const std::string& out,
                    const std::string& context) {
    check(!out.empty(), ErrorCode::kInvalidModel, context, ": Constant without an output");
    check(node.attrs.size() == 1, ErrorCode::kInvalidModel, context, ": Constant needs exactly one value attribute");
    const auto& [name, a] = *node.attrs.begin();
    Tensor t;
    if (name == "value") {
      t = a.t;
    } else if (name == "value_float") {
      t = Tensor(DType::kFloat, {});
      *t.data_as<float>() = a.f;
    } else if (name == "value_floats") {
      t = Tensor(DType::kFloat, {static_cast<int64_t>(a.floats.size())});
      std::copy(a.floats.begin(), a.floats.end(), t.data_as<float>());
    } else if (name == "value_int") {
      t = Tensor(DType::kInt64, {});
      *t.data_as<int64_t>() = a.i;
    } else if (name == "value_ints") {
      t = Tensor(DType::kInt64, {static_cast<int64_t>(a.ints.size())});
      std::copy(a.ints.begin(), a.ints.end(), t.data_as<int64_t>());
    } else if (name == "value_string") {
      t = Tensor(DType::kString, {});
      *t.data_as<std::string>() = a.s;
    } else if (name == "value_strings") {
      t = Tensor(DType::kString, {static_cast<int64_t>(a.strings.size())});
      std::copy(a.strings.begin(), a.strings.end(), t.data_as<std::string>());
    } else {
      fail(ErrorCode::kNotImplemented, context, ": Constant attribute '", name, "' is not supported");
    }
    (void)np;
    const int id = g.add_value(out);
    Value& v = g.values[id];
    check(!v.initializer, ErrorCode::kInvalidModel, context, ": '", out, "' is defined twice");
    v.initializer = t;
    v.type = TypeInfo::of(t.dtype(), from_concrete(t.shape()));
  }

  const onnx::ModelProto& model_;
  std::string source_;
  std::string base_dir_;
  onnx::GraphProto* release_from_;
  std::map<std::pair<std::string, std::string>, const onnx::FunctionProto*> functions_;
  AttrScope scope_;
};

// Initializers' raw bytes are freed from `model` as they are copied into tensors, so the weights
// are in memory about once rather than twice while the graph is built.
std::shared_ptr<Graph> import_model(onnx::ModelProto& model, const std::string& source, const std::string& base_dir) {
  check(model.has_graph(), ErrorCode::kInvalidModel, source, ": the model has no graph");
  const int64_t ir = model.ir_version();
  check(ir >= 3 && ir <= 14, ErrorCode::kInvalidModel, source, ": IR version ", ir, " is not supported (3 to 14)");
  std::map<std::string, int> opsets;
  for (const auto& os : model.opset_import())
    opsets[os.domain() == "ai.onnx" ? "" : os.domain()] = static_cast<int>(os.version());
  Importer imp(model, source, base_dir, model.mutable_graph());
  return imp.import_graph(model.graph(), opsets, false);
}

}  // namespace

std::shared_ptr<Graph> load_model_bytes(const void* data, size_t size, const std::string& name,
                                        const std::string& base_dir) {
  onnx::ModelProto model;
  parse_message(&model, data, size, name);
  return import_model(model, name, base_dir);
}

// Parsed straight from the file (no in-memory copy of it) and imported with the initializers'
// bytes released as they are copied: BERT-base (438 MB) peaked at three copies of its weights.
std::shared_ptr<Graph> load_model_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  check(fd >= 0, ErrorCode::kInvalidArgument, path, ": cannot open file");
  onnx::ModelProto model;
  {
    google::protobuf::io::FileInputStream file(fd);
    file.SetCloseOnDelete(true);
    struct stat st {};
    check(::fstat(fd, &st) == 0 && S_ISREG(st.st_mode), ErrorCode::kInvalidArgument, path, ": not a regular file");
    check(st.st_size <= std::numeric_limits<int>::max(), ErrorCode::kInvalidModel, path,
          ": larger than 2 GiB; keep large weights in external data");
    google::protobuf::io::CodedInputStream in(&file);
    in.SetTotalBytesLimit(std::numeric_limits<int>::max());
    check(model.ParseFromCodedStream(&in) && in.ConsumedEntireMessage(), ErrorCode::kInvalidModel, path,
          ": not a valid ONNX protobuf (truncated or corrupted file)");
  }
  return import_model(model, path, fs::path(path).parent_path().string());
}

Tensor load_tensor_pb(const std::string& path, std::string* name) {
  const std::string bytes = read_file(path);
  onnx::TensorProto tp;
  parse_message(&tp, bytes.data(), bytes.size(), path);
  if (name) *name = tp.name();
  return tensor_from_proto(tp, fs::path(path).parent_path().string(), path);
}

void save_tensor_pb(const Tensor& t, const std::string& name, const std::string& path) {
  onnx::TensorProto tp;
  tensor_to_proto(t, name, &tp);
  std::ofstream f(path, std::ios::binary);
  check(f.good(), ErrorCode::kInvalidArgument, path, ": cannot write file");
  const std::string bytes = tp.SerializeAsString();
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

namespace {

std::shared_ptr<Composite> sequence_from_proto(const onnx::SequenceProto& sp, const std::string& base_dir,
                                               const std::string& context) {
  check(sp.sequence_values_size() == 0 && sp.optional_values_size() == 0, ErrorCode::kNotImplemented, context,
        ": only sequences of tensors are supported");
  auto c = std::make_shared<Composite>();
  c->kind = ValueKind::kSequence;
  for (int i = 0; i < sp.tensor_values_size(); ++i)
    c->items.push_back(tensor_from_proto(sp.tensor_values(i), base_dir, context + " element " + std::to_string(i)));
  if (!c->items.empty()) c->elem_dtype = c->items[0].dtype();
  return c;
}

}  // namespace

AnyValue load_value_pb(const std::string& path, const TypeInfo& type) {
  if (type.kind == ValueKind::kTensor) return load_tensor_pb(path);
  check(type.kind != ValueKind::kOther, ErrorCode::kNotImplemented, path,
        ": maps and sparse tensors are not supported");
  const std::string bytes = read_file(path);
  const std::string dir = fs::path(path).parent_path().string();
  if (type.kind == ValueKind::kSequence) {
    onnx::SequenceProto sp;
    parse_message(&sp, bytes.data(), bytes.size(), path);
    auto c = sequence_from_proto(sp, dir, path);
    if (c->elem_dtype == DType::kUndefined) c->elem_dtype = type.dtype;
    return CompositePtr(c);
  }
  onnx::OptionalProto op;
  parse_message(&op, bytes.data(), bytes.size(), path);
  std::shared_ptr<Composite> c;
  if (op.has_sequence_value()) {
    c = sequence_from_proto(op.sequence_value(), dir, path);
  } else {
    c = std::make_shared<Composite>();
    if (op.has_tensor_value()) c->items.push_back(tensor_from_proto(op.tensor_value(), dir, path));
  }
  check(!op.has_optional_value(), ErrorCode::kNotImplemented, path, ": nested optionals are not supported");
  c->kind = op.has_sequence_value() || (!op.has_tensor_value() && type.kind == ValueKind::kOptionalSequence)
                ? ValueKind::kOptionalSequence
                : ValueKind::kOptionalTensor;
  c->has_element = op.has_sequence_value() || op.has_tensor_value();
  if (c->elem_dtype == DType::kUndefined) c->elem_dtype = c->items.empty() ? type.dtype : c->items[0].dtype();
  return CompositePtr(c);
}

}  // namespace ortl::graph
