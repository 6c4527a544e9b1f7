// SequenceEmpty, SequenceConstruct, SequenceAt, SequenceInsert, SequenceErase, SequenceLength.
// Sequences are immutable Composite values: an insert or erase builds a new one sharing the
// untouched tensors. Tensors entering a sequence are copied (their buffer may be an arena slot
// that later nodes reuse); tensors leaving one are shared, since nothing writes to them.
#include "opset/control/control.h"
#include "opset/control/control_util.h"
#include "opset/control/sequence_util.h"

namespace ortl::opset {
namespace {

class SequenceEmpty final : public OpKernel {
 public:
  explicit SequenceEmpty(DType dt) : dtype_(dt) {}
  void infer(InferContext& ctx) const override { ctx.set_output(0, control::sequence_type(dtype_)); }
  void run(RunContext& ctx) const override { ctx.set_output_composite(0, control::make_sequence(dtype_, {})); }
  bool deterministic() const override { return false; }

 private:
  DType dtype_;
};

class SequenceConstruct final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    for (int i = 1; i < ctx.num_inputs(); ++i)
      check(ctx.input_dtype(i) == ctx.input_dtype(0) || ctx.input_dtype(i) == DType::kUndefined,
            ErrorCode::kInvalidArgument, "SequenceConstruct: inputs must share one dtype, got ",
            dtype_name(ctx.input_dtype(0)), " and ", dtype_name(ctx.input_dtype(i)));
    ctx.set_output(0, control::sequence_type(ctx.input_dtype(0)));
  }
  void run(RunContext& ctx) const override {
    std::vector<Tensor> items;
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      const Tensor* t = ctx.input(i);
      check(t != nullptr, ErrorCode::kInvalidArgument, "SequenceConstruct: input ", i, " is missing or not a tensor");
      check(t->dtype() == ctx.input(0)->dtype(), ErrorCode::kInvalidArgument,
            "SequenceConstruct: inputs must share one dtype");
      items.push_back(t->clone());
    }
    check(!items.empty(), ErrorCode::kInvalidArgument, "SequenceConstruct needs at least one input");
    const DType dt = items[0].dtype();
    ctx.set_output_composite(0, control::make_sequence(dt, std::move(items)));
  }
  bool deterministic() const override { return false; }
};

class SequenceAt final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    TypeInfo t;
    t.dtype = ctx.input_dtype(0);
    ctx.set_output(0, t);
  }
  void run(RunContext& ctx) const override {
    const Composite& s = control::sequence_input(ctx, 0, "SequenceAt");
    const int64_t n = static_cast<int64_t>(s.items.size());
    const int64_t pos = control::position(ctx, 1, n, n - 1, "SequenceAt");
    const Tensor& t = s.items[pos];
    ctx.alias_output(0, t, t.shape());
  }
  bool deterministic() const override { return false; }
};

class SequenceInsert final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    ctx.set_output(
        0, control::sequence_type(ctx.input_dtype(0) != DType::kUndefined ? ctx.input_dtype(0) : ctx.input_dtype(1)));
  }
  void run(RunContext& ctx) const override {
    const Composite& s = control::sequence_input(ctx, 0, "SequenceInsert");
    const Tensor* t = ctx.input(1);
    check(t != nullptr, ErrorCode::kInvalidArgument, "SequenceInsert: the tensor to insert is missing");
    check(s.elem_dtype == DType::kUndefined || t->dtype() == s.elem_dtype, ErrorCode::kInvalidArgument,
          "SequenceInsert: cannot insert a ", dtype_name(t->dtype()), " tensor into a sequence of ",
          dtype_name(s.elem_dtype));
    const int64_t n = static_cast<int64_t>(s.items.size());
    const int64_t pos = ctx.input(2) ? control::position(ctx, 2, n, n, "SequenceInsert") : n;
    std::vector<Tensor> items = s.items;
    items.insert(items.begin() + pos, t->clone());
    ctx.set_output_composite(0, control::make_sequence(t->dtype(), std::move(items)));
  }
  bool deterministic() const override { return false; }
};

class SequenceErase final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override { ctx.set_output(0, control::sequence_type(ctx.input_dtype(0))); }
  void run(RunContext& ctx) const override {
    const Composite& s = control::sequence_input(ctx, 0, "SequenceErase");
    const int64_t n = static_cast<int64_t>(s.items.size());
    const int64_t pos = ctx.input(1) ? control::position(ctx, 1, n, n - 1, "SequenceErase") : n - 1;
    check(n > 0, ErrorCode::kInvalidArgument, "SequenceErase: the sequence is empty");
    std::vector<Tensor> items = s.items;
    items.erase(items.begin() + pos);
    ctx.set_output_composite(0, control::make_sequence(s.elem_dtype, std::move(items)));
  }
  bool deterministic() const override { return false; }
};

class SequenceLength final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override { ctx.set_output(0, TypeInfo::of(DType::kInt64, {})); }
  void run(RunContext& ctx) const override {
    const Composite& s = control::sequence_input(ctx, 0, "SequenceLength");
    Tensor& out = ctx.output(0, {});
    *out.data_as<int64_t>() = static_cast<int64_t>(s.items.size());
  }
  bool deterministic() const override { return false; }
};

}  // namespace

std::unique_ptr<OpKernel> build_sequence_empty(const BuildContext& b) {
  const DType dt = static_cast<DType>(b.node.get_int("dtype", static_cast<int64_t>(DType::kFloat)));
  check(dtype_size(dt) != 0, ErrorCode::kInvalidModel, "SequenceEmpty: unsupported dtype ", static_cast<int>(dt));
  return std::make_unique<SequenceEmpty>(dt);
}
std::unique_ptr<OpKernel> build_sequence_construct(const BuildContext&) {
  return std::make_unique<SequenceConstruct>();
}
std::unique_ptr<OpKernel> build_sequence_at(const BuildContext&) { return std::make_unique<SequenceAt>(); }
std::unique_ptr<OpKernel> build_sequence_insert(const BuildContext&) { return std::make_unique<SequenceInsert>(); }
std::unique_ptr<OpKernel> build_sequence_erase(const BuildContext&) { return std::make_unique<SequenceErase>(); }
std::unique_ptr<OpKernel> build_sequence_length(const BuildContext&) { return std::make_unique<SequenceLength>(); }

}  // namespace ortl::opset
