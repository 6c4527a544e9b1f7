// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss through the registry: the spec's worked
// examples, a literal reference on odd N-D shapes (int32/int64 labels, weights, negative and
// out-of-range ignore_index, every reduction), float16 / double, zero-size inputs, symbolic shape
// inference, and the errors for bad shapes, labels and attributes.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "kernels/eltwise/half.h"
#include "tests/nn/test_util.h"

namespace ortl::nntest {
namespace {

ErrorCode error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

OpCall& attr_str(OpCall& c, const std::string& name, const std::string& v) {
  graph::Attribute a;
  a.type = graph::AttrType::kString;
  a.s = v;
  c.node.attrs[name] = a;
  return c;
}

// Literal spec: x (N, C, D) log-probabilities, labels (N, D); returns the unreduced loss and
// the sums, mean dividing by the applied weights (0 for ignored samples).
struct RefLoss {
  std::vector<double> loss;
  double sum = 0, wsum = 0;
};
RefLoss ref_nll(const std::vector<double>& x, int64_t n, int64_t c, int64_t d, const std::vector<int64_t>& labels,
                const std::vector<double>* weight, const int64_t* ignore) {
  RefLoss r;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < d; ++j) {
      const int64_t t = labels[i * d + j];
      if (ignore && t == *ignore) {
        r.loss.push_back(0);
        continue;
      }
      const double w = weight ? (*weight)[t] : 1;
      r.loss.push_back(-x[(i * c + t) * d + j] * w);
      r.sum += r.loss.back();
      r.wsum += w;
    }
  }
  return r;
}

std::vector<float> as_float(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

std::vector<double> ref_log_softmax(const std::vector<float>& x, int64_t n, int64_t c, int64_t d) {
  std::vector<double> y(x.size());
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < d; ++j) {
      double m = -INFINITY, s = 0;
      for (int64_t k = 0; k < c; ++k) m = std::max(m, static_cast<double>(x[(i * c + k) * d + j]));
      for (int64_t k = 0; k < c; ++k) s += std::exp(x[(i * c + k) * d + j] - m);
      for (int64_t k = 0; k < c; ++k) y[(i * c + k) * d + j] = x[(i * c + k) * d + j] - m - std::log(s);
    }
  }
  return y;
}

// The spec's examples (NegativeLogLikelihoodLoss doc, N, C, d1 = 2, 3, 2).
TEST(NllLossOp, SpecExamples) {
  const Tensor x = make_tensor<float>(DType::kFloat, {2, 3, 2}, {1, 2, 2, 2, 3, 2, 0, 1, 2, 2, 1, 2});
  const Tensor t = make_tensor<int64_t>(DType::kInt64, {2, 2}, {2, 1, 0, 2});
  const Tensor w = make_tensor<float>(DType::kFloat, {3}, {0.2f, 0.3f, 0.1f});
  OpCall none("NegativeLogLikelihoodLoss", 22);
  none.input(x).input(t);
  attr_str(none, "reduction", "none");
  auto y = none.run();
  ASSERT_EQ(y[0].shape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(std::vector<float>(y[0].data_as<float>(), y[0].data_as<float>() + 4), (std::vector<float>{-3, -2, 0, -2}));
  OpCall sum("NegativeLogLikelihoodLoss", 12);
  sum.input(x).input(t).input(w);
  attr_str(sum, "reduction", "sum");
  y = sum.run();
  EXPECT_TRUE(y[0].shape().empty());
  EXPECT_NEAR(*y[0].data_as<float>(), -1.1f, 1e-6);
  y = OpCall("NegativeLogLikelihoodLoss", 13).input(x).input(t).input(w).run();  // mean is the default
  EXPECT_NEAR(*y[0].data_as<float>(), -1.1 / 0.7, 1e-6);
}

// Odd N-D shapes, int32 and int64 labels, with and without weight and ignore_index (negative,
// inside [0, C), beyond C), all reductions, against the literal reference.
TEST(NllLossOp, MatchesReferenceOnNdShapes) {
  std::mt19937 rng(7);
  const std::vector<std::vector<int64_t>> shapes = {{3, 5}, {2, 7, 3}, {1, 4, 3, 5}, {2, 3, 1, 2, 3}};
  const std::vector<std::optional<int64_t>> ignores = {std::nullopt, int64_t{-1}, int64_t{2}, int64_t{9}};
  for (const auto& s : shapes) {
    const int64_t n = s[0], c = s[1], d = numel_of(s) / (n * c);
    std::vector<int64_t> ls = s;
    ls.erase(ls.begin() + 1);
    const std::vector<float> xv = random_vec<float>(rng, numel_of(s), -4, 0);
    const std::vector<float> wv = random_vec<float>(rng, c, 0.1, 2);
    for (const auto& ii : ignores) {
      std::vector<int64_t> lv(static_cast<size_t>(n * d));
      std::uniform_int_distribution<int64_t> pick(0, c - 1);
      for (size_t k = 0; k < lv.size(); ++k) lv[k] = (ii && k % 3 == 1) ? *ii : pick(rng);
      for (bool with_w : {false, true}) {
        for (const char* red : {"none", "sum", "mean"}) {
          for (DType lt : {DType::kInt32, DType::kInt64}) {
            OpCall call("NegativeLogLikelihoodLoss", 22);
            call.input(make_tensor(DType::kFloat, s, xv));
            if (lt == DType::kInt32) {
              call.input(make_tensor(lt, ls, std::vector<int32_t>(lv.begin(), lv.end())));
            } else {
              call.input(make_tensor(lt, ls, lv));
            }
            if (with_w) call.input(make_tensor(DType::kFloat, {c}, wv));
            attr_str(call, "reduction", red);
            if (ii) call.attr_int("ignore_index", *ii);
            const auto y = call.run();
            const std::vector<double> xd(xv.begin(), xv.end()), wd(wv.begin(), wv.end());
            const RefLoss r = ref_nll(xd, n, c, d, lv, with_w ? &wd : nullptr, ii ? &*ii : nullptr);
            SCOPED_TRACE(shape_str(s) + " reduction " + red + (with_w ? " weight" : "") +
                         (ii ? " ii " + std::to_string(*ii) : ""));
            if (std::string(red) == "none") {
              ASSERT_EQ(y[0].shape(), ls);
              EXPECT_TRUE(all_close(y[0].data_as<float>(), as_float(r.loss).data(), n * d, 1e-6, 1e-6));
            } else {
              const double want = std::string(red) == "sum" ? r.sum : r.sum / r.wsum;
              EXPECT_NEAR(*y[0].data_as<float>(), want, 1e-5 * (1 + std::fabs(want)));
            }
          }
        }
      }
    }
  }
}

// Without weights, mean averages over the samples that are not ignored, ignore_index -1
// included (the spec's function body; the onnx Python reference special-cases -1).
TEST(NllLossOp, MeanSkipsIgnoredSamples) {
  const Tensor x = make_tensor<float>(DType::kFloat, {2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor t = make_tensor<int64_t>(DType::kInt64, {2}, {2, -1});
  auto y = OpCall("NegativeLogLikelihoodLoss", 22).input(x).input(t).attr_int("ignore_index", -1).run();
  EXPECT_FLOAT_EQ(*y[0].data_as<float>(), -3);
  // Every sample ignored: 0 / 0.
  const Tensor all = make_tensor<int64_t>(DType::kInt64, {2}, {-1, -1});
  y = OpCall("NegativeLogLikelihoodLoss", 22).input(x).input(all).attr_int("ignore_index", -1).run();
  EXPECT_TRUE(std::isnan(*y[0].data_as<float>()));
}

TEST(NllLossOp, Float16AndDouble) {
  std::mt19937 rng(3);
  const std::vector<float> xv = random_vec<float>(rng, 2 * 4 * 3, -3, 0);
  const std::vector<int64_t> lv = {0, 3, 1, 2, 2, 0};
  std::vector<uint16_t> xh(xv.size());
  std::vector<float> xr(xv.size());  // the values float16 can hold
  for (size_t i = 0; i < xv.size(); ++i) {
    xh[i] = kernels::double_to_half_bits(xv[i]);
    xr[i] = kernels::half_bits_to_float(xh[i]);
  }
  const Tensor t = make_tensor(DType::kInt64, {2, 3}, lv);
  const Tensor w16 = make_tensor<uint16_t>(DType::kFloat16, {4},
                                           {kernels::double_to_half_bits(0.5), kernels::double_to_half_bits(1),
                                            kernels::double_to_half_bits(2), kernels::double_to_half_bits(0.25)});
  auto y = OpCall("NegativeLogLikelihoodLoss", 22)
               .input(make_tensor(DType::kFloat16, {2, 4, 3}, xh))
               .input(t)
               .input(w16)
               .run();
  ASSERT_EQ(y[0].dtype(), DType::kFloat16);
  const std::vector<double> xd(xr.begin(), xr.end()), wd = {0.5, 1, 2, 0.25};
  const RefLoss r = ref_nll(xd, 2, 4, 3, lv, &wd, nullptr);
  EXPECT_NEAR(kernels::half_bits_to_float(*y[0].data_as<uint16_t>()), r.sum / r.wsum, 2e-3 * std::fabs(r.sum / r.wsum));

  const std::vector<double> xdd(xv.begin(), xv.end());
  OpCall dc("NegativeLogLikelihoodLoss", 22);
  dc.input(make_tensor(DType::kDouble, {2, 4, 3}, xdd)).input(t);
  attr_str(dc, "reduction", "sum");
  y = dc.run();
  ASSERT_EQ(y[0].dtype(), DType::kDouble);
  EXPECT_NEAR(*y[0].data_as<double>(), ref_nll(xdd, 2, 4, 3, lv, nullptr, nullptr).sum, 1e-12);
}

TEST(NllLossOp, ZeroSize) {
  const Tensor x(DType::kFloat, {0, 3, 2});
  const Tensor t(DType::kInt64, {0, 2});
  OpCall none("NegativeLogLikelihoodLoss", 22);
  none.input(x).input(t);
  attr_str(none, "reduction", "none");
  EXPECT_EQ(none.run()[0].shape(), (std::vector<int64_t>{0, 2}));
  OpCall sum("NegativeLogLikelihoodLoss", 22);
  sum.input(x).input(t);
  attr_str(sum, "reduction", "sum");
  EXPECT_EQ(*sum.run()[0].data_as<float>(), 0.0f);
  EXPECT_TRUE(std::isnan(*OpCall("NegativeLogLikelihoodLoss", 22).input(x).input(t).run()[0].data_as<float>()));
  // C = 0: only ignored labels are valid.
  const Tensor x0(DType::kFloat, {2, 0});
  const Tensor t0 = make_tensor<int64_t>(DType::kInt64, {2}, {-100, -100});
  OpCall ign("NegativeLogLikelihoodLoss", 22);
  ign.input(x0).input(t0).attr_int("ignore_index", -100);
  attr_str(ign, "reduction", "sum");
  EXPECT_EQ(*ign.run()[0].data_as<float>(), 0.0f);
}

TEST(NllLossOp, SymbolicShapes) {
  OpCall c("NegativeLogLikelihoodLoss", 22);
  c.input(Tensor(DType::kFloat, {1, 1})).input(Tensor(DType::kInt64, {1}));
  attr_str(c, "reduction", "none");
  auto out = c.infer(
      {graph::TypeInfo::of(DType::kFloat, {graph::Dim("batch"), 5, 7}), graph::TypeInfo{DType::kInt64, false, {}}});
  ASSERT_TRUE(out[0].has_shape);
  ASSERT_EQ(out[0].shape.size(), 2u);
  EXPECT_EQ(out[0].shape[0].symbol, "batch");
  EXPECT_EQ(out[0].shape[1].value, 7);
  OpCall m("NegativeLogLikelihoodLoss", 22);
  m.input(Tensor(DType::kFloat, {1, 1})).input(Tensor(DType::kInt64, {1}));
  out = m.infer({graph::TypeInfo{DType::kFloat, false, {}}, graph::TypeInfo{DType::kInt64, false, {}}});
  ASSERT_TRUE(out[0].has_shape);
  EXPECT_TRUE(out[0].shape.empty());
}

TEST(NllLossOp, Errors) {
  const Tensor x = make_tensor<float>(DType::kFloat, {2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor t = make_tensor<int64_t>(DType::kInt64, {2}, {0, 1});
  auto nll = [] { return OpCall("NegativeLogLikelihoodLoss", 22); };
  // rank-1 input
  EXPECT_EQ(error_of([&] {
              nll().input(make_tensor<float>(DType::kFloat, {3}, {1, 2, 3})).input(t).run();
            }),
            ErrorCode::kInvalidArgument);
  // labels of the wrong shape / dtype
  EXPECT_EQ(error_of([&] {
              nll().input(x).input(make_tensor<int64_t>(DType::kInt64, {3}, {0, 1, 2})).run();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              nll().input(x).input(make_tensor<float>(DType::kFloat, {2}, {0, 1})).run();
            }),
            ErrorCode::kInvalidArgument);
  // weight of the wrong length
  EXPECT_EQ(error_of([&] {
              nll().input(x).input(t).input(make_tensor<float>(DType::kFloat, {2}, {1, 1})).run();
            }),
            ErrorCode::kInvalidArgument);
  // label outside [0, C) that is not ignored
  const std::string msg = message_of([&] {
    nll().input(x).input(make_tensor<int64_t>(DType::kInt64, {2}, {0, 3})).run();
  });
  EXPECT_NE(msg.find("label 3 at position 1 is outside [0, 3)"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] {
              nll().input(x).input(make_tensor<int64_t>(DType::kInt64, {2}, {-1, 0})).run();
            }),
            ErrorCode::kInvalidArgument);
  // unknown reduction
  const std::string red = message_of([&] {
    OpCall c = nll();
    c.input(x).input(t);
    attr_str(c, "reduction", "avg").run();
  });
  EXPECT_NE(red.find("reduction 'avg'"), std::string::npos) << red;
}

TEST(SoftmaxCrossEntropyLossOp, MatchesReferenceWithLogProb) {
  std::mt19937 rng(11);
  const std::vector<std::vector<int64_t>> shapes = {{5, 7}, {2, 3, 5}, {3, 4, 2, 3}};
  for (const auto& s : shapes) {
    const int64_t n = s[0], c = s[1], d = numel_of(s) / (n * c);
    std::vector<int64_t> ls = s;
    ls.erase(ls.begin() + 1);
    std::vector<float> xv = random_vec<float>(rng, numel_of(s), -5, 5);
    xv[0] = 1000;  // stable: the maximum is subtracted before exp
    const std::vector<float> wv = random_vec<float>(rng, c, 0.1, 2);
    std::vector<int64_t> lv(static_cast<size_t>(n * d));
    for (size_t k = 0; k < lv.size(); ++k) lv[k] = k % 4 == 3 ? -7 : static_cast<int64_t>(k % c);
    const int64_t ii = -7;
    const std::vector<double> lp = ref_log_softmax(xv, n, c, d);
    for (const char* red : {"none", "sum", "mean"}) {
      SCOPED_TRACE(shape_str(s) + " reduction " + red);
      OpCall call("SoftmaxCrossEntropyLoss", 13);
      call.input(make_tensor(DType::kFloat, s, xv)).input(make_tensor(DType::kInt64, ls, lv));
      call.input(make_tensor(DType::kFloat, {c}, wv)).attr_int("ignore_index", ii).outputs(2);
      attr_str(call, "reduction", red);
      const auto y = call.run();
      ASSERT_EQ(y[1].shape(), s);
      EXPECT_TRUE(all_close(y[1].data_as<float>(), as_float(lp).data(), numel_of(s), 1e-5, 1e-5));
      const std::vector<double> wd(wv.begin(), wv.end());
      const RefLoss r = ref_nll(lp, n, c, d, lv, &wd, &ii);
      if (std::string(red) == "none") {
        ASSERT_EQ(y[0].shape(), ls);
        EXPECT_TRUE(all_close(y[0].data_as<float>(), as_float(r.loss).data(), n * d, 1e-5, 1e-5));
      } else {
        const double want = std::string(red) == "sum" ? r.sum : r.sum / r.wsum;
        EXPECT_NEAR(*y[0].data_as<float>(), want, 1e-5 * (1 + std::fabs(want)));
      }
    }
  }
}

TEST(SoftmaxCrossEntropyLossOp, SingleOutputDoubleAndHalf) {
  const std::vector<double> xv = {0.5, -1, 2, 3, 0, 1};
  const std::vector<int32_t> lv = {2, 0};
  auto y = OpCall("SoftmaxCrossEntropyLoss", 12)
               .input(make_tensor(DType::kDouble, {2, 3}, xv))
               .input(make_tensor(DType::kInt32, {2}, lv))
               .run();
  const double l0 = -(2 - std::log(std::exp(0.5) + std::exp(-1) + std::exp(2)));
  const double l1 = -(3 - std::log(std::exp(3) + std::exp(0) + std::exp(1)));
  EXPECT_NEAR(*y[0].data_as<double>(), (l0 + l1) / 2, 1e-12);
  std::vector<uint16_t> xh;
  for (double v : xv) xh.push_back(kernels::double_to_half_bits(v));
  y = OpCall("SoftmaxCrossEntropyLoss", 13)
          .input(make_tensor(DType::kFloat16, {2, 3}, xh))
          .input(make_tensor(DType::kInt32, {2}, lv))
          .outputs(2)
          .run();
  ASSERT_EQ(y[0].dtype(), DType::kFloat16);
  ASSERT_EQ(y[1].dtype(), DType::kFloat16);
  EXPECT_NEAR(kernels::half_bits_to_float(*y[0].data_as<uint16_t>()), (l0 + l1) / 2, 1e-3);
  EXPECT_NEAR(kernels::half_bits_to_float(y[1].data_as<uint16_t>()[2]), -l0, 1e-3);
}

TEST(SoftmaxCrossEntropyLossOp, Errors) {
  const Tensor x = make_tensor<float>(DType::kFloat, {2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(error_of([&] {
              OpCall("SoftmaxCrossEntropyLoss", 13)
                  .input(make_tensor<float>(DType::kFloat, {3}, {1, 2, 3}))
                  .input(make_tensor<int64_t>(DType::kInt64, {}, {0}))
                  .run();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      error_of([&] {
        OpCall("SoftmaxCrossEntropyLoss", 13).input(x).input(make_tensor<int64_t>(DType::kInt64, {2}, {0, 5})).run();
      }),
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              OpCall("SoftmaxCrossEntropyLoss", 13)
                  .input(x)
                  .input(make_tensor<int64_t>(DType::kInt64, {2}, {0, 1}))
                  .input(make_tensor<double>(DType::kDouble, {3}, {1, 1, 1}))
                  .run();
            }),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ortl::nntest
