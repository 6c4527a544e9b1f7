// ort-lite: run, test and inspect ONNX models (see DESIGN.md for the output contracts).
#include <iostream>

#include "tools/cli.h"

int main(int argc, char** argv) {
  CLI::App app{"ort-lite: a standalone ONNX inference runtime"};
  app.set_version_flag("--version", std::string("ort-lite ") + ORTL_VERSION);
  app.require_subcommand(1);
  const std::vector<ortl::tools::Subcommand> cmds = {ortl::tools::add_run(app), ortl::tools::add_test(app),
                                                     ortl::tools::add_inspect(app), ortl::tools::add_bench(app)};
  CLI11_PARSE(app, argc, argv);
  try {
    for (const auto& c : cmds)
      if (c.app->parsed()) return c.action();
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
