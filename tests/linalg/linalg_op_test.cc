// Gemm and MatMul ops: shape inference (symbolic dims included), C broadcasting, 1-D operand
// promotion, batch broadcasting, the dtypes beyond float, and the errors bad shapes raise.
#include <gtest/gtest.h>

#include <random>

#include "kernels/eltwise/half.h"
#include "tests/linalg/op_harness.h"
#include "tests/linalg/test_parallel.h"

namespace ortl::testing {
namespace {

using graph::Dim;
using graph::TypeInfo;

template <class T>
Tensor filled(std::vector<int64_t> shape, uint32_t seed) {
  Tensor t(std::is_same_v<T, float>    ? DType::kFloat
           : std::is_same_v<T, double> ? DType::kDouble
                                       : DType::kInt32,
           std::move(shape));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(-4, 4);
  for (int64_t i = 0; i < t.numel(); ++i) t.data_as<T>()[i] = static_cast<T>(d(rng));
  return t;
}

// numpy.matmul on small-integer floats, written from the definition.
std::vector<float> naive_matmul(const Tensor& a, const Tensor& b, std::vector<int64_t>* shape) {
  std::vector<int64_t> as = a.shape(), bs = b.shape();
  const bool a1 = as.size() == 1, b1 = bs.size() == 1;
  if (a1) as.insert(as.begin(), 1);
  if (b1) bs.push_back(1);
  const size_t r = std::max(as.size(), bs.size());
  as.insert(as.begin(), r - as.size(), 1);
  bs.insert(bs.begin(), r - bs.size(), 1);
  std::vector<int64_t> batch(r - 2);
  int64_t count = 1;
  for (size_t d = 0; d + 2 < r; ++d) count *= (batch[d] = as[d] == 1 ? bs[d] : as[d]);
  const int64_t m = as[r - 2], k = as[r - 1], n = bs[r - 1];
  *shape = batch;
  if (!a1) shape->push_back(m);
  if (!b1) shape->push_back(n);
  std::vector<float> y(static_cast<size_t>(count * m * n));
  for (int64_t bi = 0; bi < count; ++bi) {
    int64_t rem = bi, oa = 0, ob = 0, sa = m * k, sb = k * n;
    for (size_t d = r - 2; d-- > 0;) {
      const int64_t i = rem % batch[d];
      rem /= batch[d];
      oa += (as[d] == 1 ? 0 : i) * sa, ob += (bs[d] == 1 ? 0 : i) * sb;
      sa *= as[d], sb *= bs[d];
    }
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) {
        float s = 0;
        for (int64_t l = 0; l < k; ++l) s += a.data_as<float>()[oa + i * k + l] * b.data_as<float>()[ob + l * n + j];
        y[bi * m * n + i * n + j] = s;
      }
    }
  }
  return y;
}

TEST(MatMulOp, BroadcastAndPromotion) {
  const std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>> cases = {
      {{3, 4}, {4, 5}},
      {{4}, {4, 5}},
      {{3, 4}, {4}},
      {{4}, {4}},
      {{2, 1, 3, 4}, {5, 4, 6}},
      {{2, 3, 4}, {2, 4, 5}},
      {{1, 3, 4}, {2, 4, 5}},
      {{2, 3, 4}, {4, 5}},
      {{4}, {2, 3, 4, 5}},
      {{2, 3, 3, 4}, {4}},
      {{0, 3, 4}, {4, 5}},
      {{3, 0}, {0, 5}},
      {{2, 1, 17, 33}, {1, 7, 33, 9}},
  };
  ThreadedParallel par(2);
  uint32_t seed = 1;
  for (const auto& [sa, sb] : cases) {
    const Tensor a = filled<float>(sa, ++seed), b = filled<float>(sb, ++seed);
    std::vector<int64_t> shape;
    const std::vector<float> want = naive_matmul(a, b, &shape);
    for (kernels::Parallel* p : {&kernels::serial(), static_cast<kernels::Parallel*>(&par)}) {
      const Tensor y = run_op({"MatMul", 13, {}}, {&a, &b}, *p);
      ASSERT_EQ(y.shape(), shape) << shape_str(sa) << " x " << shape_str(sb);
      for (int64_t i = 0; i < y.numel(); ++i)
        ASSERT_EQ(y.data_as<float>()[i], want[i]) << shape_str(sa) << " x " << shape_str(sb);
    }
  }
}

TEST(MatMulOp, InferSymbolic) {
  auto kernel = build_op({"MatMul", 13, {}});
  FakeInfer ctx(
      {TypeInfo::of(DType::kFloat, {Dim(std::string("batch")), Dim(), 64}), TypeInfo::of(DType::kFloat, {64, 32})}, 1);
  kernel->infer(ctx);
  ASSERT_TRUE(ctx.output(0).has_shape);
  ASSERT_EQ(ctx.output(0).shape.size(), 3u);
  EXPECT_EQ(ctx.output(0).shape[0].symbol, "batch");
  EXPECT_FALSE(ctx.output(0).shape[1].known());
  EXPECT_EQ(ctx.output(0).shape[2].value, 32);
  FakeInfer bad({TypeInfo::of(DType::kFloat, {3, 4}), TypeInfo::of(DType::kFloat, {5, 6})}, 1);
  EXPECT_THROW(kernel->infer(bad), Error);
  FakeInfer unknown({TypeInfo{DType::kFloat, false, {}}, TypeInfo::of(DType::kFloat, {5, 6})}, 1);
  kernel->infer(unknown);
  EXPECT_FALSE(unknown.output(0).has_shape);
}

TEST(MatMulOp, OtherDtypes) {
  const Tensor a = filled<int32_t>({2, 3, 4}, 5), b = filled<int32_t>({4, 2}, 6);
  const Tensor y = run_op({"MatMul", 13, {}}, {&a, &b});
  ASSERT_EQ(y.shape(), (std::vector<int64_t>{2, 3, 2}));
  for (int64_t i = 0; i < 6; ++i) {
    for (int64_t j = 0; j < 2; ++j) {
      int32_t s = 0;
      for (int64_t l = 0; l < 4; ++l) s += a.data_as<int32_t>()[i * 4 + l] * b.data_as<int32_t>()[l * 2 + j];
      EXPECT_EQ(y.data_as<int32_t>()[i * 2 + j], s);
    }
  }
  // float16: small integers are exact in half precision.
  Tensor ah(DType::kFloat16, {2, 3}), bh(DType::kFloat16, {3, 2});
  const float av[] = {1, 2, 3, 4, 5, 6}, bv[] = {1, 0, 0, 1, 1, 1};
  for (int i = 0; i < 6; ++i) {
    ah.data_as<uint16_t>()[i] = kernels::float_to_half_bits(av[i]);
    bh.data_as<uint16_t>()[i] = kernels::float_to_half_bits(bv[i]);
  }
  const Tensor yh = run_op({"MatMul", 13, {}}, {&ah, &bh});
  ASSERT_EQ(yh.dtype(), DType::kFloat16);
  const float want[] = {4, 5, 10, 11};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(kernels::half_bits_to_float(yh.data_as<uint16_t>()[i]), want[i]);
}

// Gemm with every C broadcast form, transposes and alpha/beta against a direct evaluation.
TEST(GemmOp, BroadcastC) {
  const int64_t m = 5, n = 7, k = 3;
  const std::vector<std::vector<int64_t>> c_shapes = {{}, {1}, {n}, {1, n}, {m, 1}, {m, n}, {1, 1}};
  uint32_t seed = 100;
  for (int t = 0; t < 4; ++t) {
    const bool ta = t & 1, tb = t & 2;
    for (const auto& cs : c_shapes) {
      const Tensor a = filled<float>(ta ? std::vector<int64_t>{k, m} : std::vector<int64_t>{m, k}, ++seed);
      const Tensor b = filled<float>(tb ? std::vector<int64_t>{n, k} : std::vector<int64_t>{k, n}, ++seed);
      const Tensor c = filled<float>(cs, ++seed);
      OpSpec spec{"Gemm", 13, {{"alpha", float_attr(0.5f)}, {"beta", float_attr(2.f)}}};
      spec.attrs["transA"] = int_attr(ta);
      spec.attrs["transB"] = int_attr(tb);
      const Tensor y = run_op(spec, {&a, &b, &c});
      ASSERT_EQ(y.shape(), (std::vector<int64_t>{m, n}));
      const int64_t cr = cs.size() == 2 ? cs[0] : 1, cc = cs.empty() ? 1 : cs.back();
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          float s = 0;
          for (int64_t l = 0; l < k; ++l) {
            s += a.data_as<float>()[ta ? l * m + i : i * k + l] * b.data_as<float>()[tb ? j * k + l : l * n + j];
          }
          const float cv = c.data_as<float>()[(cr == 1 ? 0 : i) * cc + (cc == 1 ? 0 : j)];
          ASSERT_EQ(y.data_as<float>()[i * n + j], 0.5f * s + 2.f * cv) << "C " << shape_str(cs) << " t=" << t;
        }
      }
    }
  }
}

TEST(GemmOp, OptionalCAndErrors) {
  const Tensor a = filled<double>({2, 3}, 1), b = filled<double>({3, 4}, 2);
  const Tensor y = run_op({"Gemm", 11, {}}, {&a, &b});
  ASSERT_EQ(y.dtype(), DType::kDouble);
  for (int64_t i = 0; i < 2; ++i) {
    for (int64_t j = 0; j < 4; ++j) {
      double s = 0;
      for (int64_t l = 0; l < 3; ++l) s += a.data_as<double>()[i * 3 + l] * b.data_as<double>()[l * 4 + j];
      EXPECT_EQ(y.data_as<double>()[i * 4 + j], s);
    }
  }
  const Tensor bad_c = filled<double>({3, 4}, 3);  // [3, 4] does not broadcast to [2, 4]
  EXPECT_THROW(run_op({"Gemm", 11, {}}, {&a, &b, &bad_c}), Error);
  const Tensor bad_b = filled<double>({4, 4}, 4);
  EXPECT_THROW(run_op({"Gemm", 11, {}}, {&a, &bad_b}), Error);
  const Tensor a3 = filled<double>({1, 2, 3}, 5);
  EXPECT_THROW(run_op({"Gemm", 11, {}}, {&a3, &b}), Error);
  // Gemm-6 with the old broadcast attribute and a vector C.
  const Tensor c = filled<double>({4}, 6);
  const Tensor y6 = run_op({"Gemm", 6, {{"broadcast", int_attr(1)}}}, {&a, &b, &c});
  EXPECT_EQ(y6.data_as<double>()[5], y.data_as<double>()[5] + c.data_as<double>()[1]);
}

}  // namespace
}  // namespace ortl::testing
