#include "kernels/base/parallel.h"

namespace ortl::kernels {
namespace {

class Serial final : public Parallel {
 public:
  int num_threads() const override { return 1; }
  void for_range(int64_t n, double, const std::function<void(int64_t, int64_t)>& fn) override {
    if (n > 0) fn(0, n);
  }
};

}  // namespace

Parallel& serial() {
  static Serial s;
  return s;
}

}  // namespace ortl::kernels
