// The ai.onnx.preview.training optimizers (Adagrad, Adam, Momentum) through the registry: the
// update rules checked element by element against the formulas, several tensors per node,
// the first step (T == 0), double tensors with a float R, and the errors for bad input counts,
// shapes, dtypes and attributes.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "tests/nn/test_util.h"

namespace ortl::nntest {
namespace {

constexpr const char* kDomain = "ai.onnx.preview.training";

OpCall training(const std::string& op) {
  OpCall c(op, 1);
  c.node.domain = kDomain;
  c.graph.opsets[kDomain] = 1;
  return c;
}

ErrorCode error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

Tensor scalar_f(float v) { return make_tensor<float>(DType::kFloat, {}, {v}); }
Tensor scalar_t(int64_t v) { return make_tensor<int64_t>(DType::kInt64, {}, {v}); }
Tensor vec(const std::vector<float>& v) { return make_tensor(DType::kFloat, {static_cast<int64_t>(v.size())}, v); }

TEST(AdagradOp, UpdateRuleMultipleTensors) {
  const std::vector<float> x1 = {1, -2}, g1 = {0.5f, 3}, h1 = {0.1f, 0}, x2 = {4}, g2 = {-1}, h2 = {2};
  const float r = 0.1f, decay = 0.1f, eps = 1e-5f, norm = 0.001f;
  const int64_t t = 3;
  auto y = training("Adagrad")
               .input(scalar_f(r))
               .input(scalar_t(t))
               .input(vec(x1))
               .input(vec(x2))
               .input(vec(g1))
               .input(vec(g2))
               .input(vec(h1))
               .input(vec(h2))
               .attr_float("decay_factor", decay)
               .attr_float("epsilon", eps)
               .attr_float("norm_coefficient", norm)
               .outputs(4)
               .run();
  auto check_one = [&](const std::vector<float>& x, const std::vector<float>& g, const std::vector<float>& h,
                       const Tensor& xn, const Tensor& hn) {
    for (size_t i = 0; i < x.size(); ++i) {
      const double lr = double{r} / (1 + t * double{decay});
      const double gr = double{norm} * x[i] + g[i];
      const double hh = h[i] + gr * gr;
      EXPECT_FLOAT_EQ(hn.data_as<float>()[i], static_cast<float>(hh));
      EXPECT_FLOAT_EQ(xn.data_as<float>()[i], static_cast<float>(x[i] - lr * gr / (std::sqrt(hh) + eps)));
    }
  };
  check_one(x1, g1, h1, y[0], y[2]);
  check_one(x2, g2, h2, y[1], y[3]);
}

TEST(AdamOp, BiasCorrectionAndFirstStep) {
  const std::vector<float> x = {1.5f, -0.5f, 0}, g = {0.2f, -0.1f, 1}, v = {0.1f, 0.3f, 0}, h = {0.5f, 0.01f, 0};
  const float r = 0.05f, alpha = 0.9f, beta = 0.8f, eps = 1e-6f, norm = 0.01f, post = 0.02f;
  for (int64_t t : {0, 1, 5}) {
    auto y = training("Adam")
                 .input(scalar_f(r))
                 .input(scalar_t(t))
                 .input(vec(x))
                 .input(vec(g))
                 .input(vec(v))
                 .input(vec(h))
                 .attr_float("alpha", alpha)
                 .attr_float("beta", beta)
                 .attr_float("epsilon", eps)
                 .attr_float("norm_coefficient", norm)
                 .attr_float("norm_coefficient_post", post)
                 .outputs(3)
                 .run();
    const double lr = t > 0 ? r * std::sqrt(1 - std::pow(double{beta}, t)) / (1 - std::pow(double{alpha}, t)) : r;
    for (size_t i = 0; i < x.size(); ++i) {
      const double gr = double{norm} * x[i] + g[i];
      const double vn = alpha * double{v[i]} + (1 - double{alpha}) * gr;
      const double hn = beta * double{h[i]} + (1 - double{beta}) * gr * gr;
      const double xn = (1 - double{post}) * (x[i] - lr * vn / (std::sqrt(hn) + eps));
      EXPECT_FLOAT_EQ(y[0].data_as<float>()[i], static_cast<float>(xn)) << "t " << t;
      EXPECT_FLOAT_EQ(y[1].data_as<float>()[i], static_cast<float>(vn)) << "t " << t;
      EXPECT_FLOAT_EQ(y[2].data_as<float>()[i], static_cast<float>(hn)) << "t " << t;
    }
  }
}

TEST(AdamOp, DefaultsAndDoubleTensors) {
  // Defaults alpha 0.9, beta 0.999, epsilon 1e-6; x, g, v, h double while R is float.
  const std::vector<double> x = {2}, g = {-4}, v = {0}, h = {0};
  auto y = training("Adam")
               .input(scalar_f(0.5f))
               .input(scalar_t(1))
               .input(make_tensor(DType::kDouble, {1}, x))
               .input(make_tensor(DType::kDouble, {1}, g))
               .input(make_tensor(DType::kDouble, {1}, v))
               .input(make_tensor(DType::kDouble, {1}, h))
               .outputs(3)
               .run();
  ASSERT_EQ(y[0].dtype(), DType::kDouble);
  const double a = double{0.9f}, b = double{0.999f}, e = double{1e-6f};
  const double vn = (1 - a) * -4, hn = (1 - b) * 16;
  const double lr = 0.5 * std::sqrt(1 - b) / (1 - a);
  EXPECT_NEAR(y[0].data_as<double>()[0], 2 - lr * vn / (std::sqrt(hn) + e), 1e-12);
  EXPECT_NEAR(y[1].data_as<double>()[0], vn, 1e-15);
  EXPECT_NEAR(y[2].data_as<double>()[0], hn, 1e-15);
}

TEST(MomentumOp, StandardAndNesterov) {
  const std::vector<float> x = {1.2f, 2.8f}, g = {-0.94f, -2.5f}, v = {1.7f, 3.6f};
  const float r = 0.1f, alpha = 0.95f, beta = 0.1f, norm = 0.001f;
  for (const char* mode : {"standard", "nesterov"}) {
    for (int64_t t : {0, 2}) {
      OpCall c = training("Momentum");
      c.input(scalar_f(r)).input(scalar_t(t)).input(vec(x)).input(vec(g)).input(vec(v)).outputs(2);
      c.attr_float("alpha", alpha).attr_float("beta", beta).attr_float("norm_coefficient", norm);
      graph::Attribute m;
      m.type = graph::AttrType::kString;
      m.s = mode;
      c.node.attrs["mode"] = m;
      auto y = c.run();
      const double b = t > 0 ? double{beta} : 1.0;
      for (size_t i = 0; i < x.size(); ++i) {
        const double gr = double{norm} * x[i] + g[i];
        const double vn = alpha * double{v[i]} + b * gr;
        const double xn = std::string(mode) == "standard" ? x[i] - r * vn : x[i] - r * (gr + alpha * vn);
        EXPECT_FLOAT_EQ(y[0].data_as<float>()[i], static_cast<float>(xn)) << mode << " t " << t;
        EXPECT_FLOAT_EQ(y[1].data_as<float>()[i], static_cast<float>(vn)) << mode << " t " << t;
      }
    }
  }
}

TEST(OptimizerOps, Errors) {
  const Tensor x = vec({1, 2});
  auto momentum = [&](const std::string& mode) {
    OpCall c = training("Momentum");
    c.input(scalar_f(0.1f)).input(scalar_t(1)).input(x).input(x).input(x).outputs(2);
    c.attr_float("alpha", 0.9f).attr_float("beta", 0.1f).attr_float("norm_coefficient", 0);
    graph::Attribute m;
    m.type = graph::AttrType::kString;
    m.s = mode;
    c.node.attrs["mode"] = m;
    return c;
  };
  EXPECT_EQ(error_of([&] { momentum("standard").run(); }), ErrorCode::kOk);
  EXPECT_EQ(error_of([&] { momentum("heavy").run(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              OpCall c = momentum("standard");
              c.node.attrs.erase("alpha");
              c.run();
            }),
            ErrorCode::kInvalidArgument);
  // 2 + 4 inputs is not R, T and 3 groups of n tensors.
  EXPECT_EQ(error_of([&] { momentum("standard").input(x).run(); }), ErrorCode::kInvalidArgument);
  // wrong output count
  EXPECT_EQ(error_of([&] { momentum("standard").outputs(3).run(); }), ErrorCode::kInvalidArgument);
  // G of another shape than X
  auto adagrad = training("Adagrad");
  adagrad.input(scalar_f(0.1f)).input(scalar_t(0)).input(x).input(vec({1, 2, 3})).input(x).outputs(2);
  EXPECT_EQ(error_of([&] { adagrad.run(); }), ErrorCode::kInvalidArgument);
  // T must be int64, R one value, tensors float or double
  auto adagrad_t = training("Adagrad");
  adagrad_t.input(scalar_f(0.1f)).input(scalar_f(1)).input(x).input(x).input(x).outputs(2);
  EXPECT_EQ(error_of([&] { adagrad_t.run(); }), ErrorCode::kInvalidArgument);
  auto adagrad_r = training("Adagrad");
  adagrad_r.input(vec({0.1f, 0.2f})).input(scalar_t(1)).input(x).input(x).input(x).outputs(2);
  EXPECT_EQ(error_of([&] { adagrad_r.run(); }), ErrorCode::kInvalidArgument);
  const Tensor xi = make_tensor<int32_t>(DType::kInt32, {2}, {1, 2});
  auto adagrad_i = training("Adagrad");
  adagrad_i.input(scalar_f(0.1f)).input(scalar_t(1)).input(xi).input(xi).input(xi).outputs(2);
  EXPECT_EQ(error_of([&] { adagrad_i.run(); }), ErrorCode::kInvalidArgument);
  // Only version 1 of the preview domain exists.
  OpCall v2("Adagrad", 2);
  v2.node.domain = kDomain;
  EXPECT_EQ(error_of([&] { v2.build(); }), ErrorCode::kNotImplemented);
}

}  // namespace
}  // namespace ortl::nntest
