#include "tools/cli.h"

#include <random>

#include "graph/loader.h"
#include "opset/util.h"
#include "tools/npy.h"

namespace ortl::tools {

void add_input_options(CLI::App* cmd, InputOptions& o) {
  cmd->add_option("--input", o.inputs, "NAME=FILE (.pb TensorProto or .npy); repeatable");
  cmd->add_option("--shape", o.shapes, "NAME=D0,D1,... for random inputs with dynamic dims; repeatable");
  cmd->add_option("--threads", o.threads, "intra-op threads (0: one per core)");
  cmd->add_option("--opt-level", o.opt_level, "graph optimizations: 0 none, 1 folding and fusions (default)")
      ->check(CLI::Range(0, 1));
  cmd->add_flag("--verbose", o.verbose, "print each node's chosen kernel");
}

Tensor load_tensor_file(const std::string& path) {
  if (path.size() > 4 && path.substr(path.size() - 4) == ".npy") return load_npy(path);
  return graph::load_tensor_pb(path);
}

namespace {

std::pair<std::string, std::string> split_eq(const std::string& s, const char* flag) {
  const auto eq = s.find('=');
  check(eq != std::string::npos && eq > 0, ErrorCode::kInvalidArgument, flag, " expects NAME=VALUE, got '", s, "'");
  return {s.substr(0, eq), s.substr(eq + 1)};
}

Tensor random_tensor(DType dt, const std::vector<int64_t>& shape, std::mt19937& rng) {
  Tensor t(dt, shape);
  const int64_t n = t.numel();
  std::uniform_real_distribution<float> uf(-1.f, 1.f);
  std::uniform_int_distribution<int> ui(0, 7);
  switch (dt) {
    case DType::kFloat:
      for (int64_t i = 0; i < n; ++i) t.data_as<float>()[i] = uf(rng);
      break;
    case DType::kDouble:
      for (int64_t i = 0; i < n; ++i) t.data_as<double>()[i] = uf(rng);
      break;
    case DType::kBool:
      for (int64_t i = 0; i < n; ++i) t.data_as<uint8_t>()[i] = ui(rng) & 1;
      break;
    case DType::kString: break;
    default:  // integers: small non-negative values, valid as indices into most tables
      opset::dispatch_numeric(dt, "random input", [&](auto z) {
        using T = decltype(z);
        for (int64_t i = 0; i < n; ++i) t.data_as<T>()[i] = static_cast<T>(ui(rng));
      });
  }
  return t;
}

}  // namespace

std::vector<std::pair<std::string, Tensor>> make_inputs(const runtime::Session& s, const InputOptions& o) {
  std::map<std::string, std::string> files, shapes;
  for (const auto& kv : o.inputs) files.insert(split_eq(kv, "--input"));
  for (const auto& kv : o.shapes) shapes.insert(split_eq(kv, "--shape"));
  std::vector<std::pair<std::string, Tensor>> out;
  std::mt19937 rng(20261125);
  for (const auto& [name, type] : s.input_info()) {
    auto f = files.find(name);
    if (f != files.end()) {
      out.emplace_back(name, load_tensor_file(f->second));
      files.erase(f);
      continue;
    }
    const int v = s.graph().find(name);
    if (s.graph().values[v].initializer) continue;  // optional input with a default
    std::vector<int64_t> shape;
    auto sh = shapes.find(name);
    if (sh != shapes.end()) {
      std::stringstream ss(sh->second);
      std::string tok;
      while (std::getline(ss, tok, ',')) {
        try {
          shape.push_back(std::stoll(tok));
        } catch (const std::exception&) {
          fail(ErrorCode::kInvalidArgument, "--shape ", name, ": '", tok, "' is not a number");
        }
      }
    } else {
      check(type.has_shape, ErrorCode::kInvalidArgument, "input '", name, "' has unknown rank: give --shape ", name,
            "=D0,D1,...");
      for (const auto& d : type.shape) shape.push_back(d.known() ? d.value : 1);
    }
    check(type.dtype != DType::kUndefined, ErrorCode::kInvalidArgument, "input '", name,
          "' is not a tensor: give it with --input");
    out.emplace_back(name, random_tensor(type.dtype, shape, rng));
  }
  check(files.empty(), ErrorCode::kInvalidArgument, "--input ", files.empty() ? "" : files.begin()->first,
        ": the model has no such input");
  return out;
}

Stats tensor_stats(const Tensor& t) {
  Stats s;
  if (t.dtype() == DType::kString || t.numel() == 0) return s;
  std::vector<float> v;
  if (t.dtype() == DType::kFloat || t.dtype() == DType::kDouble || t.dtype() == DType::kFloat16 ||
      t.dtype() == DType::kBFloat16) {
    v = opset::read_floats(t);
  } else {
    for (int64_t x : opset::read_ints(t)) v.push_back(static_cast<float>(x));
  }
  s.numeric = true;
  s.min = s.max = v[0];
  double sum = 0;
  for (float x : v) {
    s.min = std::min<double>(s.min, x);
    s.max = std::max<double>(s.max, x);
    sum += x;
  }
  s.mean = sum / static_cast<double>(v.size());
  return s;
}

}  // namespace ortl::tools
