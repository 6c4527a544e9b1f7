// The only threading interface kernels see: split [0, n) into chunks run on the session's pool.
// Kernels stay free of graph and runtime types; the runtime provides the implementation.
#pragma once

#include <cstdint>
#include <functional>

namespace ortl::kernels {

class Parallel {
 public:
  virtual ~Parallel() = default;
  virtual int num_threads() const = 0;
  // Calls fn(begin, end) on disjoint chunks covering [0, n); blocks until all are done.
  // `cost_per_item` (rough ns of work per item) lets small loops stay on the calling thread.
  virtual void for_range(int64_t n, double cost_per_item, const std::function<void(int64_t, int64_t)>& fn) = 0;
};

// Runs everything on the calling thread (tests, references, tiny problems).
Parallel& serial();

}  // namespace ortl::kernels
