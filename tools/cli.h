// Shared pieces of the ort-lite subcommands: input files and random inputs, statistics, and the
// registration hooks of each subcommand (one file each).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "graph/common.h"
#include "runtime/session.h"

namespace ortl::tools {

// Options shared by run and bench: --input NAME=FILE, --shape NAME=D0,D1,..., --threads N.
struct InputOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> shapes;
  int threads = 0;
  int opt_level = 2;
  bool verbose = false;
};
void add_input_options(CLI::App* cmd, InputOptions& o);

// Loads a .pb (TensorProto) or .npy file.
Tensor load_tensor_file(const std::string& path);
// Inputs from files, and seeded random data (dynamic dims from --shape, else 1) for the rest.
std::vector<std::pair<std::string, Tensor>> make_inputs(const runtime::Session& s, const InputOptions& o);

struct Stats {
  double min = 0, max = 0, mean = 0;
  bool numeric = false;
};
Stats tensor_stats(const Tensor& t);

// A registered subcommand: its CLI11 node and the action to run when it was parsed.
struct Subcommand {
  CLI::App* app;
  std::function<int()> action;
};
Subcommand add_run(CLI::App& app);
Subcommand add_test(CLI::App& app);
Subcommand add_inspect(CLI::App& app);
Subcommand add_bench(CLI::App& app);

}  // namespace ortl::tools
