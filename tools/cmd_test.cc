// ort-lite test [--rtol R] [--atol A] [--threads N] [--filter REGEX] PATH...
// Runs onnx backend-test-style cases (model.onnx + test_data_set_*/input_*.pb, output_*.pb).
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <regex>

#include "graph/loader.h"
#include "opset/util.h"
#include "tools/cli.h"

namespace ortl::tools {
namespace {

namespace fs = std::filesystem;

struct TestArgs {
  std::vector<std::string> paths;
  double rtol = 1e-3;
  double atol = 1e-7;
  int threads = 1;
  std::string filter;
};

void find_cases(const fs::path& p, std::vector<fs::path>& out) {
  if (fs::exists(p / "model.onnx")) {
    out.push_back(p);
    return;
  }
  check(fs::is_directory(p), ErrorCode::kInvalidArgument, p.string(), ": not a test case or a folder");
  std::vector<fs::path> kids;
  for (const auto& e : fs::directory_iterator(p))
    if (e.is_directory()) kids.push_back(e.path());
  std::sort(kids.begin(), kids.end());
  for (const auto& k : kids) find_cases(k, out);
}

bool is_float(DType t) {
  switch (t) {
    case DType::kFloat:
    case DType::kDouble:
    case DType::kFloat16:
    case DType::kBFloat16:
    case DType::kFloat8E4M3FN:
    case DType::kFloat8E4M3FNUZ:
    case DType::kFloat8E5M2:
    case DType::kFloat8E5M2FNUZ:
    case DType::kFloat4E2M1:
    case DType::kFloat6E2M3:
    case DType::kFloat6E3M2:
    case DType::kFloat8E8M0: return true;
    default: return false;
  }
}

// Empty string when equal within tolerance, else a short reason.
std::string compare(const Tensor& got, const Tensor& want, double rtol, double atol) {
  if (got.dtype() != want.dtype())
    return std::string("dtype ") + dtype_name(got.dtype()) + ", expected " + dtype_name(want.dtype());
  if (got.shape() != want.shape()) return "shape " + shape_str(got.shape()) + ", expected " + shape_str(want.shape());
  const int64_t n = want.numel();
  if (want.dtype() == DType::kString) {
    for (int64_t i = 0; i < n; ++i)
      if (got.data_as<std::string>()[i] != want.data_as<std::string>()[i])
        return "string mismatch at " + std::to_string(i);
    return "";
  }
  // The onnx backend runner compares bfloat16 outputs with rtol >= 2^-6 (two bfloat16 ulps).
  if (want.dtype() == DType::kBFloat16) rtol = std::max(rtol, 1.0 / 64);
  if (is_float(want.dtype())) {
    std::vector<double> g(n), w(n);
    if (want.dtype() == DType::kDouble) {
      std::copy(got.data_as<double>(), got.data_as<double>() + n, g.begin());
      std::copy(want.data_as<double>(), want.data_as<double>() + n, w.begin());
    } else {
      const auto gf = opset::read_floats(got), wf = opset::read_floats(want);
      std::copy(gf.begin(), gf.end(), g.begin());
      std::copy(wf.begin(), wf.end(), w.begin());
    }
    int64_t bad = 0, first = -1;
    for (int64_t i = 0; i < n; ++i) {
      const bool ok = (std::isnan(g[i]) && std::isnan(w[i])) || g[i] == w[i] ||
                      std::abs(g[i] - w[i]) <= atol + rtol * std::abs(w[i]);
      if (!ok && bad++ == 0) first = i;
    }
    if (!bad) return "";
    std::ostringstream os;
    os << bad << "/" << n << " values differ, first at " << first << ": " << g[first] << " vs " << w[first];
    return os.str();
  }
  if (is_lowp_dtype(want.dtype())) {  // int4/int2: by value, whatever the unused bits hold
    const auto gi = opset::read_ints(got), wi = opset::read_ints(want);
    for (int64_t i = 0; i < n; ++i)
      if (gi[i] != wi[i])
        return "values differ, first at " + std::to_string(i) + ": " + std::to_string(gi[i]) + " vs " +
               std::to_string(wi[i]);
    return "";
  }
  if (std::memcmp(got.data(), want.data(), want.nbytes()) != 0) return "values differ";
  return "";
}

// compare() for any value: sequences element by element, optionals by presence then element.
std::string compare_values(const graph::AnyValue& got, const graph::AnyValue& want, double rtol, double atol) {
  if (!want.composite) {
    if (got.composite) return "a sequence/optional, expected a tensor";
    return compare(got.tensor, want.tensor, rtol, atol);
  }
  const graph::Composite& w = *want.composite;
  if (!got.composite) {
    // An optional tensor may come back as the plain tensor it holds.
    if (w.kind == graph::ValueKind::kOptionalTensor && w.has_element)
      return compare(got.tensor, w.items[0], rtol, atol);
    return "a tensor, expected a sequence/optional";
  }
  const graph::Composite& g = *got.composite;
  if (w.is_optional_empty() || g.is_optional_empty())
    return w.is_optional_empty() == g.is_optional_empty()
               ? ""
               : (g.is_optional_empty() ? "empty optional" : "non-empty optional, expected an empty one");
  if (g.items.size() != w.items.size())
    return std::to_string(g.items.size()) + " elements, expected " + std::to_string(w.items.size());
  for (size_t i = 0; i < w.items.size(); ++i) {
    const std::string d = compare(g.items[i], w.items[i], rtol, atol);
    if (!d.empty()) return "element " + std::to_string(i) + ": " + d;
  }
  return "";
}

// Runs one case; returns "" on success, "SKIP:..." for unsupported features, else the failure.
std::string run_case(const fs::path& dir, const TestArgs& a) {
  std::shared_ptr<graph::Graph> g;
  std::unique_ptr<runtime::Session> s;
  try {
    g = graph::load_model_file((dir / "model.onnx").string());
    for (int v : g->inputs)
      if (g->values[v].type.kind == graph::ValueKind::kOther && !g->values[v].initializer)
        return "SKIP:input '" + g->values[v].name + "' is a map or sparse tensor, not supported";
    for (int v : g->outputs)
      if (g->values[v].type.kind == graph::ValueKind::kOther)
        return "SKIP:output '" + g->values[v].name + "' is a map or sparse tensor, not supported";
    runtime::Options opts;
    opts.threads = a.threads;
    s = std::make_unique<runtime::Session>(g, opts);
  } catch (const Error& e) {
    return (e.code() == ErrorCode::kNotImplemented ? "SKIP:" : "") + std::string(e.what());
  }
  std::vector<fs::path> sets;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() && e.path().filename().string().rfind("test_data_set_", 0) == 0) sets.push_back(e.path());
  std::sort(sets.begin(), sets.end());
  for (const auto& ds : sets) {
    try {
      // The graph's declared type says whether a file holds a TensorProto, SequenceProto or
      // OptionalProto.
      std::vector<std::pair<std::string, graph::AnyValue>> inputs;
      for (size_t j = 0;; ++j) {
        const fs::path f = ds / ("input_" + std::to_string(j) + ".pb");
        if (!fs::exists(f)) break;
        check(j < g->inputs.size(), ErrorCode::kInvalidArgument, f.string(), ": more input files than model inputs");
        const graph::Value& in = g->values[g->inputs[j]];
        inputs.emplace_back(in.name, graph::load_value_pb(f.string(), in.type));
      }
      const std::vector<graph::AnyValue> outs = s->run_values(inputs, {});
      for (size_t j = 0; j < outs.size(); ++j) {
        const fs::path f = ds / ("output_" + std::to_string(j) + ".pb");
        if (!fs::exists(f)) continue;
        const graph::Value& out = g->values[g->outputs[j]];
        const std::string diff = compare_values(outs[j], graph::load_value_pb(f.string(), out.type), a.rtol, a.atol);
        if (!diff.empty()) return ds.filename().string() + " output '" + g->values[g->outputs[j]].name + "': " + diff;
      }
    } catch (const Error& e) {
      return (e.code() == ErrorCode::kNotImplemented ? "SKIP:" : "") + ds.filename().string() + ": " + e.what();
    }
  }
  return "";
}

int run_tests(const TestArgs& a) {
  std::vector<fs::path> cases;
  for (const auto& p : a.paths) find_cases(p, cases);
  const std::regex re(a.filter.empty() ? ".*" : a.filter);
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& c : cases) {
    const std::string name = c.filename().string();
    if (!std::regex_search(name, re)) continue;
    std::string r;
    try {
      r = run_case(c, a);
    } catch (const std::exception& e) {
      r = e.what();
    }
    if (r.empty()) {
      std::cout << "PASS " << name << "\n";
      ++passed;
    } else if (r.rfind("SKIP:", 0) == 0) {
      std::cout << "SKIP " << name << ": " << r.substr(5) << "\n";
      ++skipped;
    } else {
      std::cout << "FAIL " << name << ": " << r << "\n";
      ++failed;
    }
    std::cout.flush();
  }
  std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
  return failed ? 1 : 0;
}

}  // namespace

Subcommand add_test(CLI::App& app) {
  auto args = std::make_shared<TestArgs>();
  CLI::App* cmd = app.add_subcommand("test", "run onnx backend-test-style cases and compare outputs");
  cmd->add_option("paths", args->paths, "case folders, or folders searched for cases")->required();
  cmd->add_option("--rtol", args->rtol,
                  "relative tolerance (default 1e-3; at least 2^-6 for bfloat16 outputs, as the onnx runner)");
  cmd->add_option("--atol", args->atol, "absolute tolerance (default 1e-7)");
  cmd->add_option("--threads", args->threads, "intra-op threads (default 1)");
  cmd->add_option("--filter", args->filter, "only cases whose name matches this regex");
  return {cmd, [args] { return run_tests(*args); }};
}

}  // namespace ortl::tools
