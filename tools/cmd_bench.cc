// ort-lite bench MODEL [--input NAME=FILE]... [--shape NAME=D0,...]... [--threads N] [--warmup N]
//                      [--iters N] [--json FILE] [--profile FILE]
// The figures of onnxruntime_perf_test: session creation, first run, latency percentiles,
// throughput and peak RSS.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "graph/loader.h"
#include "tools/cli.h"

namespace ortl::tools {
namespace {

struct BenchArgs {
  std::string model;
  InputOptions in;
  int warmup = 5;
  int iters = 50;
  std::string json;
  std::string profile;
};

// Chrome trace format (chrome://tracing, Perfetto): one complete event per node run.
void write_profile(const runtime::Session& s, const std::vector<std::vector<runtime::Session::NodeEvent>>& runs,
                   const std::string& path) {
  nlohmann::json events = nlohmann::json::array();
  double offset = 0;
  for (const auto& run : runs) {
    double end = 0;
    for (const auto& e : run) {
      const graph::Node& n = s.graph().nodes[e.node];
      events.push_back({{"name", n.name},
                        {"cat", n.op_type},
                        {"ph", "X"},
                        {"ts", offset + e.start_us},
                        {"dur", e.dur_us},
                        {"pid", 1},
                        {"tid", 1},
                        {"args", {{"op", n.op_type}, {"kernel", s.kernel(e.node).kernel_name()}}}});
      end = std::max(end, e.start_us + e.dur_us);
    }
    offset += end + 10;
  }
  std::ofstream f(path);
  check(f.good(), ErrorCode::kInvalidArgument, path, ": cannot write file");
  f << nlohmann::json{{"traceEvents", events}, {"displayTimeUnit", "ms"}}.dump() << "\n";
}

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double percentile(const std::vector<double>& sorted, double p) {
  const double pos = p * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(pos), hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

int bench(const BenchArgs& a) {
  check(a.iters > 0 && a.warmup >= 0, ErrorCode::kInvalidArgument, "--iters must be > 0 and --warmup >= 0");
  runtime::Options opts;
  opts.threads = a.in.threads;
  opts.optimization_level = a.in.opt_level;
  opts.verbose = a.in.verbose;
  auto t0 = Clock::now();
  runtime::Session s(graph::load_model_file(a.model), opts);
  const double load_ms = ms_since(t0);
  auto inputs = make_inputs(s, a.in);
  t0 = Clock::now();
  s.run(inputs, {});
  const double first_ms = ms_since(t0);
  for (int i = 0; i < a.warmup; ++i) s.run(inputs, {});
  std::vector<double> lat;
  lat.reserve(a.iters);
  for (int i = 0; i < a.iters; ++i) {
    t0 = Clock::now();
    s.run(inputs, {});
    lat.push_back(ms_since(t0));
  }
  if (!a.profile.empty()) {  // profiled runs are separate so event recording never skews latency
    std::vector<std::vector<runtime::Session::NodeEvent>> runs(std::min(a.iters, 10));
    for (auto& r : runs) s.run(inputs, {}, &r);
    write_profile(s, runs, a.profile);
  }
  std::vector<double> sorted = lat;
  std::sort(sorted.begin(), sorted.end());
  double mean = 0;
  for (double v : lat) mean += v / static_cast<double>(lat.size());
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  const double rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;
  const int threads = s.pool().num_threads();
  std::cout << std::fixed << std::setprecision(3) << "model: " << a.model << "\nthreads: " << threads
            << "\nsession creation: " << load_ms << " ms\nfirst run: " << first_ms << " ms\nlatency (ms, " << a.iters
            << " runs): min " << sorted.front() << " p50 " << percentile(sorted, 0.5) << " p90 "
            << percentile(sorted, 0.9) << " p99 " << percentile(sorted, 0.99) << " mean " << mean
            << "\nthroughput: " << 1000.0 / mean << " runs/s\npeak RSS: " << rss_mb << " MiB\n";
  if (!a.json.empty()) {
    nlohmann::json j = {
        {"latency_ms",
         {{"min", sorted.front()},
          {"p50", percentile(sorted, 0.5)},
          {"p90", percentile(sorted, 0.9)},
          {"p99", percentile(sorted, 0.99)},
          {"mean", mean}}},
        {"iters", a.iters},
        {"threads", threads},
        {"load_ms", load_ms},
        {"first_run_ms", first_ms},
        {"peak_rss_mb", rss_mb},
    };
    std::ofstream f(a.json);
    check(f.good(), ErrorCode::kInvalidArgument, a.json, ": cannot write file");
    f << j.dump(2) << "\n";
  }
  return 0;
}

}  // namespace

Subcommand add_bench(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand("bench", "time repeated runs of a model");
  cmd->add_option("model", args->model, "model.onnx")->required();
  add_input_options(cmd, args->in);
  cmd->add_option("--warmup", args->warmup, "untimed runs before timing (default 5)");
  cmd->add_option("--iters", args->iters, "timed runs (default 50)");
  cmd->add_option("--json", args->json, "write the figures as JSON");
  cmd->add_option("--profile", args->profile, "write a Chrome trace with one event per node run");
  return {cmd, [args] { return bench(*args); }};
}

}  // namespace ortl::tools
