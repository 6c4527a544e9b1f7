// The GridSample and Einsum kernels against spec-literal references written here on random
// problems: GridSample against a port of the onnx reference's recursion (one dim at a time,
// every row interpolated, padding applied per read), over every mode x padding x
// align_corners on 2-D and 3-D inputs with grid points inside and outside [-1, 1]; Einsum
// against a brute-force loop over every label assignment on a list of equations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

#include "kernels/vision/vision.h"
#include "tests/nn/test_util.h"

namespace ortl::nntest {
namespace {

using kernels::GridMode;
using kernels::GridPadding;

// ---- GridSample reference -------------------------------------------------------------------

struct RefGrid {
  std::vector<int64_t> dims;  // spatial
  GridMode mode;
  GridPadding pad;
  bool align;

  double lo(size_t) const { return align ? 0.0 : -0.5; }
  double hi(size_t d) const { return align ? dims[d] - 1.0 : dims[d] - 0.5; }

  static double reflect(double x, double lo, double hi) {
    const double rng = hi - lo;
    if (x < lo) {
      const double dx = lo - x;
      const int n = static_cast<int>(dx / rng);
      const double r = dx - n * rng;
      return n % 2 == 0 ? lo + r : hi - r;
    }
    if (x > hi) {
      const double dx = x - hi;
      const int n = static_cast<int>(dx / rng);
      const double r = dx - n * rng;
      return n % 2 == 0 ? hi - r : lo + r;
    }
    return x;
  }
  // Pixel i of a line along dim d, with the padding rule; nullopt-like NaN for "zero".
  bool index(size_t d, int64_t i, int64_t& out) const {
    const int64_t n = dims[d];
    if (pad == GridPadding::kZeros) {
      out = i;
      return i >= 0 && i < n;
    }
    if (pad == GridPadding::kBorder) {
      out = std::clamp<int64_t>(i, 0, n - 1);
      return true;
    }
    out = static_cast<int64_t>(reflect(static_cast<double>(i), lo(d), hi(d)));
    return true;
  }
  static void cubic(double t, double c[4]) {
    const double a = -0.75;
    t = std::fabs(t);
    c[0] = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
    c[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
    c[2] = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1;
    c[3] = ((a * (2 - t) - 5 * a) * (2 - t) + 8 * a) * (2 - t) - 4 * a;
  }
  // 1-D interpolation of a line `v` (length dims[d]) at x.
  double interp1(size_t d, const std::vector<double>& v, double x) const {
    auto at = [&](int64_t i) {
      int64_t k;
      return index(d, i, k) ? v[k] : 0.0;
    };
    const int64_t x0 = static_cast<int64_t>(std::floor(x));
    if (mode == GridMode::kLinear) {
      const double t = x - x0;
      return (1 - t) * at(x0) + t * at(x0 + 1);
    }
    double c[4];
    cubic(x - x0, c);
    return c[0] * at(x0 - 1) + c[1] * at(x0) + c[2] * at(x0 + 1) + c[3] * at(x0 + 2);
  }
  // Interpolation of the sub-array starting at `base` over dims d.. at coordinates x[d..].
  double interp(const float* data, size_t d, const std::vector<double>& x) const {
    int64_t inner = 1;
    for (size_t k = d + 1; k < dims.size(); ++k) inner *= dims[k];
    std::vector<double> line(static_cast<size_t>(dims[d]));
    for (int64_t i = 0; i < dims[d]; ++i) {
      line[i] = d + 1 == dims.size() ? data[i] : interp(data + i * inner, d + 1, x);
    }
    return interp1(d, line, x[d]);
  }
  double sample(const float* data, const float* g) const {
    const size_t r = dims.size();
    std::vector<double> x(r);
    for (size_t d = 0; d < r; ++d) {
      // The reference keeps coordinates in float32.
      const float n = g[r - 1 - d];
      x[d] = align ? (n + 1) / 2.0f * (dims[d] - 1) : ((n + 1) * dims[d] - 1) / 2.0f;
      if (mode == GridMode::kNearest) x[d] = std::nearbyint(x[d]);
      if (x[d] < lo(d) || x[d] > hi(d)) {
        if (pad == GridPadding::kBorder) x[d] = std::clamp(x[d], 0.0, dims[d] - 1.0);
        if (pad == GridPadding::kReflection) x[d] = reflect(x[d], lo(d), hi(d));
      }
    }
    if (mode != GridMode::kNearest) return interp(data, 0, x);
    int64_t off = 0;
    for (size_t d = 0; d < r; ++d) {
      int64_t k;
      if (!index(d, static_cast<int64_t>(x[d]), k)) return 0;
      off = off * dims[d] + k;
    }
    return data[off];
  }
};

TEST(GridSampleKernel, MatchesReferenceRecursion) {
  std::mt19937 rng(2024);
  ThreadedParallel par(3);
  for (int r : {2, 3}) {
    for (GridMode mode : {GridMode::kNearest, GridMode::kLinear, GridMode::kCubic}) {
      for (GridPadding pad : {GridPadding::kZeros, GridPadding::kBorder, GridPadding::kReflection}) {
        for (bool align : {false, true}) {
          kernels::GridSampleParams p;
          p.batch = 2;
          p.channels = 3;
          p.in_spatial = r == 2 ? std::vector<int64_t>{4, 5} : std::vector<int64_t>{3, 4, 2};
          p.out_spatial = r == 2 ? std::vector<int64_t>{7, 11} : std::vector<int64_t>{3, 5, 7};
          p.mode = mode;
          p.padding = pad;
          p.align_corners = align;
          const int64_t in = numel_of(p.in_spatial), out = numel_of(p.out_spatial);
          const std::vector<float> x = random_vec<float>(rng, p.batch * p.channels * in, -2, 2);
          const std::vector<float> g = random_vec<float>(rng, p.batch * out * r, -2.5, 2.5);
          std::vector<float> y(static_cast<size_t>(p.batch * p.channels * out), NAN);
          kernels::grid_sample<float>(p, x.data(), g.data(), y.data(), par);
          const RefGrid ref{p.in_spatial, mode, pad, align};
          for (int64_t n = 0; n < p.batch; ++n) {
            for (int64_t c = 0; c < p.channels; ++c) {
              for (int64_t q = 0; q < out; ++q) {
                const double want = ref.sample(x.data() + (n * p.channels + c) * in, g.data() + (n * out + q) * r);
                const double got = y[(n * p.channels + c) * out + q];
                ASSERT_NEAR(got, want, 1e-4 + 1e-4 * std::fabs(want))
                    << "r=" << r << " mode=" << static_cast<int>(mode) << " pad=" << static_cast<int>(pad)
                    << " align=" << align << " n=" << n << " c=" << c << " q=" << q;
              }
            }
          }
        }
      }
    }
  }
}

// ---- Einsum brute force -------------------------------------------------------------------

// Letters only: out[o...] = sum over the other labels of the product of every operand.
std::vector<double> brute_einsum(const std::vector<std::string>& terms, const std::string& out,
                                 const std::vector<std::vector<int64_t>>& shapes,
                                 const std::vector<std::vector<float>>& data) {
  std::map<char, int64_t> size;
  for (size_t i = 0; i < terms.size(); ++i)
    for (size_t d = 0; d < terms[i].size(); ++d) size[terms[i][d]] = shapes[i][d];
  std::string labels = out;
  for (const auto& [c, s] : size)
    if (out.find(c) == std::string::npos) labels.push_back(c);
  int64_t out_n = 1, all = 1;
  for (char c : out) out_n *= size[c];
  for (char c : labels) all *= size[c];
  std::vector<double> res(static_cast<size_t>(out_n), 0.0);
  std::map<char, int64_t> idx;
  for (int64_t flat = 0; flat < all; ++flat) {
    int64_t rem = flat;
    for (size_t k = labels.size(); k-- > 0;) {
      idx[labels[k]] = rem % size[labels[k]];
      rem /= size[labels[k]];
    }
    double prod = 1;
    for (size_t i = 0; i < terms.size(); ++i) {
      int64_t off = 0;
      for (size_t d = 0; d < terms[i].size(); ++d) off = off * shapes[i][d] + idx[terms[i][d]];
      prod *= data[i][off];
    }
    int64_t o = 0;
    for (char c : out) o = o * size[c] + idx[c];
    res[o] += prod;
  }
  return res;
}

TEST(EinsumKernel, MatchesBruteForce) {
  struct Case {
    std::string eq;
    std::vector<std::vector<int64_t>> shapes;
  };
  const std::vector<Case> cases = {
      {"ij,jk->ik", {{3, 4}, {4, 5}}},
      {"ijk,ikl->ijl", {{2, 3, 4}, {2, 4, 3}}},
      {"ij,ij->ij", {{3, 4}, {3, 4}}},
      {"ij,ij->", {{3, 4}, {3, 4}}},
      {"abc,cd,bd->ad", {{2, 3, 4}, {4, 5}, {3, 5}}},
      {"i,i,i->", {{5}, {5}, {5}}},
      {"ij,kl->likj", {{2, 3}, {4, 2}}},
      {"iij->j", {{3, 3, 2}}},
      {"ijji->", {{2, 3, 3, 2}}},
      {"bqd,bkd->bqk", {{2, 3, 4}, {2, 5, 4}}},  // B read transposed
      {"ji,jk->ik", {{4, 3}, {4, 5}}},           // A read transposed
      {"bji,bkj->bik", {{3, 4, 2}, {3, 5, 4}}},  // both
      {"abcd,adbe->acbe", {{2, 3, 4, 5}, {2, 5, 3, 2}}},
      {"ab,b,a->", {{3, 4}, {4}, {3}}},
      {"ab,cb->ac", {{0, 4}, {3, 4}}},
  };
  std::mt19937 rng(7);
  for (const Case& c : cases) {
    const std::string lhs = c.eq.substr(0, c.eq.find("->"));
    const std::string out = c.eq.substr(c.eq.find("->") + 2);
    std::vector<std::string> terms;
    for (size_t s = 0;;) {
      const size_t comma = lhs.find(',', s);
      terms.push_back(lhs.substr(s, comma - s));
      if (comma == std::string::npos) break;
      s = comma + 1;
    }
    OpCall call("Einsum", 12);
    graph::Attribute a;
    a.type = graph::AttrType::kString;
    a.s = c.eq;
    call.node.attrs["equation"] = a;
    std::vector<std::vector<float>> data;
    for (const auto& s : c.shapes) {
      data.push_back(random_vec<float>(rng, numel_of(s), -2, 2));
      call.input(make_tensor(DType::kFloat, s, data.back()));
    }
    const std::vector<double> want = brute_einsum(terms, out, c.shapes, data);
    const Tensor y = call.run()[0];
    ASSERT_EQ(y.numel(), static_cast<int64_t>(want.size())) << c.eq;
    for (size_t i = 0; i < want.size(); ++i) {
      ASSERT_NEAR(y.data_as<float>()[i], want[i], 1e-4 * (1 + std::fabs(want[i]))) << c.eq << " element " << i;
    }
  }
}

// ---- TopK against a full stable sort ------------------------------------------------------

TEST(TopKKernel, MatchesStableSort) {
  std::mt19937 rng(3);
  ThreadedParallel par(2);
  for (int trial = 0; trial < 40; ++trial) {
    const int64_t outer = 1 + trial % 3, n = 1 + (trial * 7) % 23, inner = 1 + trial % 4;
    const int64_t k = (trial * 5) % (n + 1);
    const bool largest = trial % 2 == 0;
    // Few distinct values (many ties) and some NaNs.
    std::vector<float> x = random_vec<float>(rng, outer * n * inner, -3, 3);
    for (auto& v : x) v = std::round(v);
    for (size_t i = 0; i < x.size(); i += 7) x[i] = NAN;
    std::vector<float> vals(static_cast<size_t>(outer * k * inner));
    std::vector<int64_t> idx(vals.size());
    kernels::topk<float>(x.data(), outer, n, inner, k, largest, vals.data(), idx.data(), par);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        std::vector<int64_t> order(static_cast<size_t>(n));
        std::iota(order.begin(), order.end(), int64_t{0});
        auto key = [&](int64_t j) {
          const float v = x[(o * n + j) * inner + i];
          const double d = std::isnan(v) ? 1e30 : v;  // NaN ranks above every number
          return largest ? -d : d;
        };
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return key(a) < key(b); });
        for (int64_t j = 0; j < k; ++j) {
          ASSERT_EQ(idx[(o * k + j) * inner + i], order[j]) << "trial " << trial << " o=" << o << " i=" << i;
        }
      }
    }
  }
}

}  // namespace
}  // namespace ortl::nntest
