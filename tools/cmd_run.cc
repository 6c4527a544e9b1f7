// ort-lite run MODEL [--input NAME=FILE]... [--shape NAME=D0,...]... [--output-dir DIR] [--threads N]
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include "graph/loader.h"
#include "tools/cli.h"
#include "tools/npy.h"

namespace ortl::tools {
namespace {

struct RunArgs {
  std::string model;
  InputOptions in;
  std::string output_dir;
};

std::string file_safe(std::string name) {
  for (char& c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) c = '_';
  return name;
}

int run_model(const RunArgs& a) {
  runtime::Options opts;
  opts.threads = a.in.threads;
  opts.optimization_level = a.in.opt_level;
  opts.verbose = a.in.verbose;
  runtime::Session s(graph::load_model_file(a.model), opts);
  auto inputs = make_inputs(s, a.in);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Tensor> outs = s.run(inputs, {});
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const auto info = s.output_info();
  if (!a.output_dir.empty()) std::filesystem::create_directories(a.output_dir);
  for (size_t i = 0; i < outs.size(); ++i) {
    const Tensor& t = outs[i];
    const Stats st = tensor_stats(t);
    std::cout << info[i].first << ": " << dtype_name(t.dtype()) << " " << shape_str(t.shape());
    if (st.numeric) std::cout << std::setprecision(6) << " min " << st.min << " max " << st.max << " mean " << st.mean;
    std::cout << "\n";
    if (!a.output_dir.empty()) {
      const std::filesystem::path dir(a.output_dir);
      graph::save_tensor_pb(t, info[i].first, (dir / ("output_" + std::to_string(i) + ".pb")).string());
      // .npy has no spelling for bfloat16 or the low-precision types: those get the .pb only.
      if (t.dtype() != DType::kString && t.dtype() != DType::kBFloat16 && !is_lowp_dtype(t.dtype()))
        save_npy(t, (dir / (file_safe(info[i].first) + ".npy")).string());
    }
  }
  std::cout << std::fixed << std::setprecision(3) << "run time: " << ms << " ms\n";
  const runtime::PlanStats p = s.plan_stats(inputs);
  std::cout << std::setprecision(2) << "memory plan: arena " << p.arena_bytes / 1048576.0 << " MiB vs "
            << p.naive_bytes / 1048576.0 << " MiB for one buffer per intermediate (" << p.inplace << " in place, "
            << p.views << " views, " << p.folded_nodes << " of " << p.nodes << " nodes folded at plan time)\n";
  return 0;
}

}  // namespace

Subcommand add_run(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "run a model once and print its outputs");
  cmd->add_option("model", args->model, "model.onnx")->required();
  add_input_options(cmd, args->in);
  cmd->add_option("--output-dir", args->output_dir, "write output_<i>.pb and <name>.npy here");
  return {cmd, [args] { return run_model(*args); }};
}

}  // namespace ortl::tools
