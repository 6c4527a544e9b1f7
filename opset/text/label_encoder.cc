// ai.onnx.ml LabelEncoder. v1: string <-> int64 through `classes_strings` (index of the string,
// or the string at an index). v2/v4: an arbitrary key -> value map from parallel keys_* /
// values_* attributes (v4 adds typed 1-D tensors keys_tensor / values_tensor / default_tensor,
// and more dtypes). Missing keys map to the default. Float keys compare by value, with every NaN
// equal to every NaN (v4's rule; v2's bitwise rule agrees except for distinct NaN payloads);
// a repeated key keeps its last value.
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "opset/text/text.h"
#include "opset/text/text_util.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "LabelEncoder: ";

bool is_int_type(DType t) { return t == DType::kInt64 || t == DType::kInt32 || t == DType::kInt16; }
bool is_float_key(DType t) { return t == DType::kFloat || t == DType::kDouble; }
bool allowed(DType t) { return t == DType::kString || is_int_type(t) || is_float_key(t); }

struct NanHash {
  size_t operator()(double v) const {
    if (std::isnan(v)) return 0x7ff8;
    if (v == 0) return 0;  // +0 and -0 are one key
    return std::hash<double>()(v);
  }
};
struct NanEq {
  bool operator()(double a, double b) const { return a == b || (std::isnan(a) && std::isnan(b)); }
};

int64_t int_at(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kInt64: return t.data_as<int64_t>()[i];
    case DType::kInt32: return t.data_as<int32_t>()[i];
    default: return t.data_as<int16_t>()[i];
  }
}
double float_at(const Tensor& t, int64_t i) {
  return t.dtype() == DType::kFloat ? t.data_as<float>()[i] : t.data_as<double>()[i];
}

// Copies element `i` of `src` (or of `def` when i < 0) into element `o` of `dst` (same dtype).
void copy_element(const Tensor& src, const Tensor& def, int64_t i, Tensor& dst, int64_t o) {
  const Tensor& from = i < 0 ? def : src;
  const int64_t k = i < 0 ? 0 : i;
  if (dst.dtype() == DType::kString) {
    dst.data_as<std::string>()[o] = from.data_as<std::string>()[k];
  } else {
    const size_t sz = dtype_size(dst.dtype());
    std::memcpy(static_cast<char*>(dst.data()) + o * sz, static_cast<const char*>(from.data()) + k * sz, sz);
  }
}

Tensor strings_tensor(const std::vector<std::string>& v) {
  Tensor t(DType::kString, {static_cast<int64_t>(v.size())});
  for (size_t i = 0; i < v.size(); ++i) t.data_as<std::string>()[i] = v[i];
  return t;
}
template <class T>
Tensor vector_tensor(DType dt, const std::vector<T>& v) {
  Tensor t(dt, {static_cast<int64_t>(v.size())});
  std::copy(v.begin(), v.end(), t.data_as<T>());
  return t;
}

class LabelEncoder final : public OpKernel {
 public:
  LabelEncoder(const Tensor& keys, Tensor values, Tensor def)
      : key_type_(keys.dtype()), values_(std::move(values)), default_(std::move(def)) {
    for (int64_t i = 0; i < keys.numel(); ++i) {
      if (key_type_ == DType::kString) {
        str_[keys.data_as<std::string>()[i]] = i;
      } else if (is_int_type(key_type_)) {
        int_[int_at(keys, i)] = i;
      } else {
        float_[float_at(keys, i)] = i;
      }
    }
  }

  void infer(InferContext& ctx) const override {
    check_input(ctx.input_dtype(0));
    text::same_shape_as_input(ctx, values_.dtype());
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    check_input(x.dtype());
    Tensor& y = ctx.output(0, x.shape());
    for (int64_t i = 0; i < x.numel(); ++i) copy_element(values_, default_, index_of(x, i), y, i);
  }

  std::string kernel_name() const override { return "label_encoder_hash"; }

 private:
  void check_input(DType t) const {
    if (t != DType::kUndefined && t != key_type_)
      fail(ErrorCode::kInvalidArgument, kOp, "input dtype ", dtype_name(t), " does not match the keys' dtype ",
           dtype_name(key_type_));
  }

  int64_t index_of(const Tensor& x, int64_t i) const {
    if (key_type_ == DType::kString) {
      auto it = str_.find(x.data_as<std::string>()[i]);
      return it == str_.end() ? -1 : it->second;
    }
    if (is_int_type(key_type_)) {
      auto it = int_.find(int_at(x, i));
      return it == int_.end() ? -1 : it->second;
    }
    auto it = float_.find(float_at(x, i));
    return it == float_.end() ? -1 : it->second;
  }

  DType key_type_;
  Tensor values_, default_;
  std::unordered_map<std::string, int64_t> str_;
  std::unordered_map<int64_t, int64_t> int_;
  std::unordered_map<double, int64_t, NanHash, NanEq> float_;
};

// v1: strings -> index in classes_strings, or int64 -> the class string at that index.
class LabelEncoderV1 final : public OpKernel {
 public:
  LabelEncoderV1(std::vector<std::string> classes, int64_t default_int, std::string default_string)
      : classes_(std::move(classes)), default_int_(default_int), default_string_(std::move(default_string)) {
    for (size_t i = 0; i < classes_.size(); ++i) index_.emplace(classes_[i], static_cast<int64_t>(i));
  }

  void infer(InferContext& ctx) const override {
    text::check_dtype(ctx, 0, {DType::kString, DType::kInt64}, "LabelEncoder", "X");
    const DType t = ctx.input_dtype(0);
    text::same_shape_as_input(ctx, t == DType::kString ? DType::kInt64 : DType::kString);
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    text::check_dtype(x, {DType::kString, DType::kInt64}, "LabelEncoder", "X");
    Tensor& y = ctx.output(0, x.shape());
    for (int64_t i = 0; i < x.numel(); ++i) {
      if (x.dtype() == DType::kString) {
        auto it = index_.find(x.data_as<std::string>()[i]);
        y.data_as<int64_t>()[i] = it == index_.end() ? default_int_ : it->second;
      } else {
        const int64_t k = x.data_as<int64_t>()[i];
        const bool hit = k >= 0 && k < static_cast<int64_t>(classes_.size());
        y.data_as<std::string>()[i] = hit ? classes_[k] : default_string_;
      }
    }
  }

  std::string kernel_name() const override { return "label_encoder_v1"; }

 private:
  std::vector<std::string> classes_;
  int64_t default_int_;
  std::string default_string_;
  std::unordered_map<std::string, int64_t> index_;
};

// The one keys_* (or values_*) attribute of `prefix` as a 1-D tensor; `what` names it in errors.
Tensor one_of(const graph::Node& n, const std::string& prefix, bool tensors_allowed) {
  std::vector<std::string> present;
  for (const char* s : {"strings", "int64s", "floats", "tensor"})
    if (n.has(prefix + s)) present.push_back(prefix + s);
  if (present.size() != 1)
    fail(ErrorCode::kInvalidArgument, kOp, "exactly one of ", prefix, "strings/int64s/floats",
         tensors_allowed ? "/tensor" : "", " must be set, found ", present.size());
  const std::string& a = present[0];
  if (a == prefix + "strings") return strings_tensor(n.get_strings(a));
  if (a == prefix + "int64s") return vector_tensor(DType::kInt64, n.get_ints(a));
  if (a == prefix + "floats") return vector_tensor(DType::kFloat, n.get_floats(a));
  if (!tensors_allowed) fail(ErrorCode::kInvalidArgument, kOp, a, " needs ai.onnx.ml opset 4");
  const Tensor& t = *n.get_tensor(a);
  if (!allowed(t.dtype()))
    fail(ErrorCode::kInvalidArgument, kOp, a, " has dtype ", dtype_name(t.dtype()), ", which is not supported");
  if (t.rank() != 1) fail(ErrorCode::kInvalidArgument, kOp, a, " must be 1-D, got shape ", shape_str(t.shape()));
  return t;
}

Tensor default_for(const graph::Node& n, const Tensor& values, bool from_tensor) {
  const DType vt = values.dtype();
  if (from_tensor) {
    if (const Tensor* d = n.get_tensor("default_tensor")) {
      if (d->dtype() != vt || d->numel() != 1)
        fail(ErrorCode::kInvalidArgument, kOp, "default_tensor must hold one ", dtype_name(vt), " (like values_tensor)",
             ", got ", dtype_name(d->dtype()), " of shape ", shape_str(d->shape()));
      return d->reshaped({1});
    }
  }
  Tensor d(vt, {1});
  switch (vt) {
    case DType::kString: d.data_as<std::string>()[0] = n.get_string("default_string", "_Unused"); break;
    case DType::kInt64: d.data_as<int64_t>()[0] = n.get_int("default_int64", -1); break;
    case DType::kInt32: d.data_as<int32_t>()[0] = -1; break;
    case DType::kInt16: d.data_as<int16_t>()[0] = -1; break;
    case DType::kFloat: d.data_as<float>()[0] = n.get_float("default_float", -0.0f); break;
    default: d.data_as<double>()[0] = -0.0; break;
  }
  return d;
}

}  // namespace

std::unique_ptr<OpKernel> build_label_encoder(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  if (ctx.opset == 1) {
    return std::make_unique<LabelEncoderV1>(n.get_strings("classes_strings"), n.get_int("default_int64", -1),
                                            n.get_string("default_string", "_Unused"));
  }
  const bool v4 = ctx.opset >= 4;
  const Tensor keys = one_of(n, "keys_", v4);
  const Tensor values = one_of(n, "values_", v4);
  if (keys.numel() != values.numel())
    fail(ErrorCode::kInvalidArgument, kOp, "keys (", keys.numel(), ") and values (", values.numel(),
         ") differ in length");
  return std::make_unique<LabelEncoder>(keys, values, default_for(n, values, n.has("values_tensor")));
}

}  // namespace ortl::opset
