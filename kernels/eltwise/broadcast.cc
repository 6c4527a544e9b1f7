#include "kernels/eltwise/broadcast.h"

namespace ortl::kernels {

bool broadcasts_to(const std::vector<int64_t>& in, const std::vector<int64_t>& out) {
  if (in.size() > out.size()) return false;
  const size_t pad = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i] != 1 && in[i] != out[pad + i]) return false;
  return true;
}

BroadcastPlan make_broadcast_plan(const std::vector<int64_t>& out, const std::vector<std::vector<int64_t>>& inputs) {
  BroadcastPlan p;
  p.num_inputs = static_cast<int>(inputs.size());
  p.numel = 1;
  for (int64_t d : out) p.numel *= d;
  const size_t r = out.size();
  const int n_in = p.num_inputs;

  // Full-rank strides per input (0 where the input has size 1), then keep the dims whose
  // output size is not 1.
  std::vector<int64_t> full[kMaxBroadcastInputs];
  for (int k = 0; k < n_in; ++k) {
    const auto& s = inputs[k];
    const size_t pad = r - s.size();
    full[k].assign(r, 0);
    int64_t stride = 1;
    for (size_t i = s.size(); i-- > 0;) {
      full[k][pad + i] = s[i] == 1 ? 0 : stride;
      stride *= s[i];
    }
  }
  std::vector<size_t> keep;
  for (size_t i = 0; i < r; ++i)
    if (out[i] != 1) keep.push_back(i);

  // Merge dim i into the dim after it when every input steps through both as one dim.
  for (size_t j = 0; j < keep.size(); ++j) {
    const size_t i = keep[j];
    bool merge = !p.dims.empty();
    if (merge) {
      for (int k = 0; k < n_in; ++k) {
        const int64_t prev = p.strides[k].back();  // stride of the outer dim being extended
        if (prev != full[k][i] * out[i]) merge = false;
      }
    }
    if (merge) {
      p.dims.back() *= out[i];
      for (int k = 0; k < n_in; ++k) p.strides[k].back() = full[k][i];
    } else {
      p.dims.push_back(out[i]);
      for (int k = 0; k < n_in; ++k) p.strides[k].push_back(full[k][i]);
    }
  }
  if (p.dims.empty()) {  // scalar output (or all dims 1): one element, read at offset 0
    p.dims.push_back(1);
    for (int k = 0; k < n_in; ++k) p.strides[k].push_back(1);
  }
  return p;
}

}  // namespace ortl::kernels
