#include "tools/cli.h"

#include <random>

#include "graph/loader.h"
#include "kernels/eltwise/lowp.h"
#include "opset/util.h"
#include "tools/npy.h"

namespace ortl::tools {

void add_input_options(CLI::App* cmd, InputOptions& o) {
  cmd->add_option("--input", o.inputs, "NAME=FILE (.pb TensorProto or .npy); repeatable");
  cmd->add_option("--shape", o.shapes, "NAME=D0,D1,... for random inputs with dynamic dims; repeatable");
  cmd->add_option("--threads", o.threads, "intra-op threads (0: one per core)");
  cmd->add_option("--opt-level", o.opt_level,
                  "graph optimizations: 0 none, 1 folding and fusions, 2 also the blocked channel layout for conv "
                  "chains (default)")
      ->check(CLI::Range(0, 2));
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
    case DType::kInt4:
    case DType::kUInt4:
    case DType::kInt2:
    case DType::kUInt2:  // small non-negative values that fit
      for (int64_t i = 0; i < n; ++i)
        t.data_as<uint8_t>()[i] = static_cast<uint8_t>(ui(rng) % (dtype_bits(dt) == 2 ? 2 : 8));
      break;
    case DType::kFloat8E4M3FN:
    case DType::kFloat8E4M3FNUZ:
    case DType::kFloat8E5M2:
    case DType::kFloat8E5M2FNUZ:
    case DType::kFloat4E2M1:
    case DType::kFloat6E2M3:
    case DType::kFloat6E3M2:
    case DType::kFloat8E8M0: {  // uniform in [-1, 1] (float8e8m0: its magnitude), rounded
      namespace lp = kernels::lowp;
      for (int64_t i = 0; i < n; ++i) {
        const float x = uf(rng);
        uint8_t& c = t.data_as<uint8_t>()[i];
        switch (dt) {
          case DType::kFloat8E4M3FN: c = lp::from_float<lp::E4M3FN>(x); break;
          case DType::kFloat8E4M3FNUZ: c = lp::from_float<lp::E4M3FNUZ>(x); break;
          case DType::kFloat8E5M2: c = lp::from_float<lp::E5M2>(x); break;
          case DType::kFloat8E5M2FNUZ: c = lp::from_float<lp::E5M2FNUZ>(x); break;
          case DType::kFloat4E2M1: c = lp::from_float<lp::E2M1>(x); break;
          case DType::kFloat6E2M3: c = lp::from_float<lp::E2M3>(x); break;
          case DType::kFloat6E3M2: c = lp::from_float<lp::E3M2>(x); break;
          default: c = lp::e8m0_from_float(x);
        }
      }
      break;
    }
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
  const std::vector<float> v = opset::read_floats(t);  // integers (bool, int4, ...) read as float
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
