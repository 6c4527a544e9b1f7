// Conv and ConvTranspose fast paths against the spec-literal references: random shapes over
// 0-3 spatial dims with groups, dilations, strides and asymmetric pads, plus the depthwise and
// 1x1 special paths, for every GEMM implementation the host can run, serial and threaded.
// Inputs are small integers, so all sums are exact and outputs compare with ==.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/conv/conv.h"
#include "tests/linalg/test_parallel.h"

namespace ortl::kernels {
namespace {

std::string describe(const ConvParams& p) {
  std::ostringstream os;
  auto list = [&](const char* name, const std::vector<int64_t>& v) {
    os << " " << name << "=[";
    for (size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << v[i];
    os << "]";
  };
  os << "n=" << p.batch << " cin=" << p.c_in << " cout=" << p.c_out << " group=" << p.group;
  list("in", p.in), list("out", p.out), list("kernel", p.kernel), list("strides", p.strides);
  list("dilations", p.dilations), list("pads_begin", p.pads_begin);
  return os.str();
}

int64_t product(const std::vector<int64_t>& v) {
  int64_t n = 1;
  for (int64_t x : v) n *= x;
  return n;
}

std::vector<float> small_ints(std::mt19937& rng, int64_t n) {
  std::uniform_int_distribution<int> d(-3, 3);
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) x = static_cast<float>(d(rng));
  return v;
}

// Random Conv (transpose = false) or ConvTranspose problem with `rank` spatial dims.
ConvParams random_params(std::mt19937& rng, int rank, bool transpose) {
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  ConvParams p;
  p.batch = pick(1, 2);
  p.group = pick(1, 3);
  p.c_in = p.group * pick(1, 4);
  p.c_out = p.group * pick(1, 5);
  for (int d = 0; d < rank; ++d) {
    const int64_t k = pick(1, 4), s = pick(1, 3), dil = pick(1, 2), pb = pick(0, 2), pe = pick(0, 2);
    const int64_t dk = (k - 1) * dil + 1;
    p.kernel.push_back(k), p.strides.push_back(s), p.dilations.push_back(dil), p.pads_begin.push_back(pb);
    if (!transpose) {
      const int64_t in = pick(std::max<int64_t>(1, dk - pb - pe), 11 - 2 * rank + dk);
      p.in.push_back(in);
      p.out.push_back((in + pb + pe - dk) / s + 1);
    } else {
      const int64_t in = pick(1, 8 - rank);
      // output_padding < stride, and sometimes an explicit output_shape past the natural end.
      const int64_t extra = pick(0, s - 1) + (pick(0, 3) == 0 ? pick(1, 2) : 0);
      p.in.push_back(in);
      p.out.push_back(std::max<int64_t>(1, s * (in - 1) + extra + dk - pb - pe));
    }
  }
  return p;
}

struct Case {
  ConvParams p;
  bool transpose;
};

void check(const Case& c, uint32_t seed) {
  const ConvParams& p = c.p;
  std::mt19937 rng(seed);
  const int64_t k_size = product(p.kernel);
  const int64_t w_size = c.transpose ? p.c_in * (p.c_out / p.group) * k_size : p.c_out * (p.c_in / p.group) * k_size;
  const auto x = small_ints(rng, p.batch * p.c_in * product(p.in));
  const auto w = small_ints(rng, w_size);
  const auto bias = small_ints(rng, p.c_out);
  const int64_t y_size = p.batch * p.c_out * product(p.out);
  for (bool with_bias : {false, true}) {
    std::vector<float> want(y_size + 1, -7.f);
    const float* b = with_bias ? bias.data() : nullptr;
    if (c.transpose) {
      conv_transpose_ref(p, x.data(), w.data(), b, want.data());
    } else {
      conv_ref(p, x.data(), w.data(), b, want.data());
    }
    testing::ThreadedParallel par2(2);
    for (const GemmF32Impl& gemm : gemm_f32_impls()) {
      if ((gemm.isa & host_isa()) != gemm.isa) continue;
      for (Parallel* par : {&serial(), static_cast<Parallel*>(&par2)}) {
        std::vector<float> got(y_size + 1, -7.f);  // the last element is a sentinel
        if (c.transpose) {
          conv_transpose_f32(p, x.data(), w.data(), b, got.data(), gemm, *par);
        } else {
          conv_f32(p, x.data(), w.data(), b, got.data(), gemm, *par);
        }
        for (int64_t i = 0; i <= y_size; ++i) {
          if (got[i] != want[i]) {
            ADD_FAILURE() << (c.transpose ? "ConvTranspose " : "Conv ") << describe(p) << " seed=" << seed
                          << " gemm=" << gemm.name << " threads=" << par->num_threads() << " bias=" << with_bias
                          << " path=" << (c.transpose ? "col2im" : conv_f32_path(p)) << ": y[" << i << "] = " << got[i]
                          << ", want " << want[i];
            return;
          }
        }
      }
    }
  }
}

TEST(ConvKernel, RandomShapes) {
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    std::mt19937 rng(seed);
    check({random_params(rng, 1 + seed % 3, false), false}, seed);
  }
}

TEST(ConvTransposeKernel, RandomShapes) {
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    std::mt19937 rng(seed);
    check({random_params(rng, 1 + seed % 3, true), true}, seed);
  }
}

ConvParams make(int64_t n, int64_t cin, int64_t cout, int64_t group, std::vector<int64_t> in, std::vector<int64_t> k,
                std::vector<int64_t> s, std::vector<int64_t> dil, std::vector<int64_t> pb, std::vector<int64_t> pe) {
  ConvParams p;
  p.batch = n, p.c_in = cin, p.c_out = cout, p.group = group;
  p.in = in, p.kernel = k, p.strides = s, p.dilations = dil, p.pads_begin = pb;
  for (size_t d = 0; d < in.size(); ++d) p.out.push_back((in[d] + pb[d] + pe[d] - (k[d] - 1) * dil[d] - 1) / s[d] + 1);
  return p;
}

TEST(ConvKernel, Depthwise) {
  const ConvParams cases[] = {
      make(2, 7, 7, 7, {13, 9}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}),
      make(1, 12, 12, 12, {31, 17}, {5, 3}, {2, 2}, {1, 2}, {2, 0}, {1, 2}),
      make(1, 5, 5, 5, {40}, {7}, {3}, {2}, {3}, {0}),
      make(1, 3, 3, 3, {2, 2}, {3, 3}, {1, 1}, {1, 1}, {2, 2}, {2, 2}),    // all-padding rows
      make(2, 4, 12, 4, {9, 11}, {3, 3}, {2, 1}, {1, 1}, {1, 1}, {1, 1}),  // channel multiplier 3
      // Wide rows reach the 16- and 8-column register blocks and the two-row path.
      make(1, 6, 6, 6, {21, 56}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}),  // MobileNet 3x3 s1
      make(1, 5, 5, 5, {23, 57}, {3, 3}, {2, 2}, {1, 1}, {0, 0}, {1, 1}),  // s2, pad end only
      make(1, 3, 3, 3, {19, 45}, {5, 5}, {1, 1}, {1, 1}, {2, 2}, {2, 2}),  // EfficientNet 5x5
      make(1, 4, 8, 4, {17, 40}, {3, 3}, {1, 1}, {2, 2}, {2, 2}, {2, 2}),  // dilation 2, multiplier 2
      make(1, 2, 2, 2, {9, 33}, {3, 3}, {1, 1}, {1, 1}, {0, 0}, {0, 0}),   // no padding
      // Output at most 16 columns wide: 8 channels per vector (the tail block has fewer).
      make(1, 19, 19, 19, {7, 7}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}),  // MobileNet 7x7
      make(2, 9, 9, 9, {4, 4}, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}),     // 4x4 s2 -> 2x2
      make(1, 8, 8, 8, {2, 3}, {5, 5}, {1, 1}, {1, 1}, {2, 2}, {2, 2}),     // 5x5 over a 2x3 map
      make(1, 3, 9, 3, {6, 5}, {3, 3}, {1, 2}, {2, 1}, {2, 1}, {0, 1}),     // multiplier 3, dilation
      make(1, 10, 10, 10, {6}, {3}, {1}, {1}, {1}, {1}),                    // 1-D
      make(1, 4, 4, 4, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}),     // 1x1 map, 1x1 kernel
  };
  uint32_t seed = 300;
  for (const ConvParams& p : cases) {
    EXPECT_STREQ(conv_f32_path(p), p.out.back() <= 16 ? "depthwise_narrow" : "depthwise");
    check({p, false}, ++seed);
  }
}

// C_out <= 8, group 1, stride 1, 2-D, rows of 16+ outputs: the direct few-output-channel kernel
// (4-channel groups, 4- and 1-vector column blocks, scalar edges and tails).
TEST(ConvKernel, FewOutputChannels) {
  const ConvParams cases[] = {
      make(1, 32, 3, 1, {20, 70}, {5, 5}, {1, 1}, {1, 1}, {2, 2}, {2, 2}),  // SRCNN's last layer
      make(2, 5, 1, 1, {9, 16}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}),    // one channel, rows of 16
      make(1, 3, 2, 1, {7, 17}, {3, 3}, {1, 1}, {1, 1}, {0, 1}, {2, 0}),    // asymmetric pads
      make(1, 4, 4, 1, {11, 81}, {3, 3}, {1, 1}, {2, 2}, {2, 2}, {2, 2}),   // dilation 2
      make(1, 6, 5, 1, {6, 40}, {1, 3}, {1, 1}, {1, 1}, {0, 1}, {0, 1}),    // 1x3; 4 + 1 channels
      make(1, 2, 8, 1, {12, 33}, {3, 1}, {1, 1}, {1, 3}, {1, 0}, {1, 0}),   // 3x1; two groups of 4
      make(1, 3, 7, 1, {3, 50}, {5, 5}, {1, 1}, {1, 1}, {5, 3}, {5, 3}),    // rows all padding
      make(2, 1, 3, 1, {5, 20}, {9, 9}, {1, 1}, {1, 1}, {4, 4}, {4, 4}),    // taps wider than the interior
      make(1, 4, 6, 1, {4, 100}, {2, 2}, {1, 1}, {1, 1}, {0, 0}, {0, 0}),   // no padding, even kernel
  };
  uint32_t seed = 700;
  for (const ConvParams& p : cases) {
    EXPECT_STREQ(conv_f32_path(p), "few_out_direct") << describe(p);
    check({p, false}, ++seed);
  }
  // The epilogue (sum + ReLU) is applied after the rows.
  const ConvParams& p = cases[0];
  std::mt19937 rng(1);
  const auto x = small_ints(rng, p.batch * p.c_in * product(p.in));
  const auto w = small_ints(rng, p.c_out * p.c_in * product(p.kernel));
  const int64_t y_size = p.batch * p.c_out * product(p.out);
  const auto z = small_ints(rng, y_size);
  std::vector<float> want(y_size), got(y_size);
  conv_ref(p, x.data(), w.data(), static_cast<const float*>(nullptr), want.data());
  for (int64_t i = 0; i < y_size; ++i) want[i] = std::max(0.f, want[i] + z[i]);
  ConvEpilogue ep;
  ep.act = ConvEpilogue::Act::kRelu;
  ep.sum = z.data();
  testing::ThreadedParallel par2(2);
  conv_f32(p, x.data(), w.data(), nullptr, got.data(), select_gemm_f32(), par2, ep);
  EXPECT_EQ(got, want);
}

TEST(ConvKernel, Pointwise) {
  const ConvParams cases[] = {
      make(2, 13, 31, 1, {7, 9}, {1, 1}, {1, 1}, {1, 1}, {0, 0}, {0, 0}),
      make(1, 8, 6, 2, {100}, {1}, {1}, {3}, {0}, {0}),
      make(1, 4, 4, 1, {3, 3, 3}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}),
      make(3, 5, 7, 1, {}, {}, {}, {}, {}, {}),  // no spatial dims at all
  };
  uint32_t seed = 400;
  for (const ConvParams& p : cases) {
    EXPECT_STREQ(conv_f32_path(p), "1x1");
    check({p, false}, ++seed);
    ConvParams t = p;  // the transposed problem with the same geometry is pointwise too
    std::swap(t.c_in, t.c_out);
    check({t, true}, ++seed);
  }
  // Strided or padded 1x1 goes through im2col.
  EXPECT_STREQ(conv_f32_path(make(1, 4, 4, 1, {8, 8}, {1, 1}, {2, 2}, {1, 1}, {0, 0}, {0, 0})), "im2col");
  EXPECT_STREQ(conv_f32_path(make(1, 4, 4, 1, {8, 8}, {1, 1}, {1, 1}, {1, 1}, {1, 0}, {0, 0})), "im2col");
}

// Big enough for several im2col chunks and threaded tasks.
TEST(ConvKernel, LargeChunked) {
  check({make(1, 64, 24, 1, {40, 40}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}), false}, 500);
  check({make(2, 32, 16, 2, {20, 18}, {3, 3}, {2, 1}, {1, 2}, {1, 1}, {0, 2}), false}, 501);
  check({make(1, 3, 8, 1, {9, 10, 11}, {3, 3, 3}, {1, 2, 1}, {1, 1, 2}, {1, 1, 1}, {1, 1, 1}), false}, 502);
  ConvParams t = make(1, 32, 48, 1, {30, 30}, {4, 4}, {2, 2}, {1, 1}, {1, 1}, {1, 1});
  std::swap(t.in, t.out);
  std::swap(t.c_in, t.c_out);
  check({t, true}, 503);
}

TEST(ConvKernel, EmptyBatch) {
  ConvParams p = make(0, 2, 2, 1, {5, 5}, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1});
  check({p, false}, 600);
  check({p, true}, 601);
}

}  // namespace
}  // namespace ortl::kernels
