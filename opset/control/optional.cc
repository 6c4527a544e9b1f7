// Optional (wrap a tensor or sequence, or make an empty optional of the `type` attribute),
// OptionalHasElement and OptionalGetElement. Opset 18 also accepts plain tensors and sequences
// (and an omitted input) where an optional is expected.
#include "opset/control/control.h"
#include "opset/control/control_util.h"

namespace ortl::opset {
namespace {

class Optional final : public OpKernel {
 public:
  explicit Optional(TypeInfo type) : type_(std::move(type)) {}

  void infer(InferContext& ctx) const override {
    TypeInfo t = ctx.has_input(0) ? ctx.input_type(0) : type_;
    if (t.kind == ValueKind::kTensor) t.kind = ValueKind::kOptionalTensor;
    if (t.kind == ValueKind::kSequence) t.kind = ValueKind::kOptionalSequence;
    t.has_shape = false;
    t.shape.clear();
    ctx.set_output(0, t);
  }

  void run(RunContext& ctx) const override {
    auto c = std::make_shared<Composite>();
    if (const Tensor* t = ctx.input(0)) {
      c->kind = ValueKind::kOptionalTensor;
      c->elem_dtype = t->dtype();
      c->items.push_back(t->clone());  // may live in the arena
    } else if (const Composite* in = ctx.input_composite(0)) {
      check(in->kind == ValueKind::kSequence, ErrorCode::kNotImplemented,
            "Optional: nested optionals are not supported");
      c->kind = ValueKind::kOptionalSequence;
      c->elem_dtype = in->elem_dtype;
      c->items = in->items;
    } else {
      check(type_.kind != ValueKind::kOther, ErrorCode::kInvalidModel,
            "Optional: without an input the 'type' attribute must give a tensor or sequence type");
      c->kind = type_.is_sequence() ? ValueKind::kOptionalSequence : ValueKind::kOptionalTensor;
      c->has_element = false;
      c->elem_dtype = type_.dtype;
    }
    ctx.set_output_composite(0, c);
  }
  bool deterministic() const override { return false; }

 private:
  TypeInfo type_;
};

class OptionalHasElement final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override { ctx.set_output(0, TypeInfo::of(DType::kBool, {})); }
  void run(RunContext& ctx) const override {
    bool has = ctx.input(0) != nullptr;
    if (const Composite* c = ctx.input_composite(0)) has = !c->is_optional_empty();
    *ctx.output(0, {}).data_as<uint8_t>() = has ? 1 : 0;
  }
  bool deterministic() const override { return false; }
};

class OptionalGetElement final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    TypeInfo t = ctx.input_type(0);
    if (t.kind == ValueKind::kOptionalTensor) t.kind = ValueKind::kTensor;
    if (t.kind == ValueKind::kOptionalSequence) t.kind = ValueKind::kSequence;
    t.has_shape = false;
    t.shape.clear();
    ctx.set_output(0, t);
  }
  void run(RunContext& ctx) const override {
    if (const Tensor* t = ctx.input(0)) {  // a plain tensor (opset 18): copy, never alias
      control::set_output_value(ctx, 0, *t, /*owned=*/false);
      return;
    }
    const Composite* c = ctx.input_composite(0);
    check(c != nullptr, ErrorCode::kInvalidArgument, "OptionalGetElement: the input is missing");
    check(!c->is_optional_empty(), ErrorCode::kInvalidArgument, "OptionalGetElement: the optional is empty");
    if (c->kind == ValueKind::kOptionalTensor) {
      ctx.alias_output(0, c->items[0], c->items[0].shape());  // owned by the optional, never written
      return;
    }
    auto s = std::make_shared<Composite>(*c);
    s->kind = ValueKind::kSequence;
    ctx.set_output_composite(0, s);
  }
  bool deterministic() const override { return false; }
};

}  // namespace

std::unique_ptr<OpKernel> build_optional(const BuildContext& b) {
  TypeInfo t;
  t.kind = ValueKind::kOther;
  if (const graph::Attribute* a = b.node.attr("type")) {
    check(a->type == graph::AttrType::kTypeProto, ErrorCode::kInvalidModel, "Optional: 'type' must be a type");
    t = a->tp;
  }
  return std::make_unique<Optional>(t);
}

std::unique_ptr<OpKernel> build_optional_has_element(const BuildContext&) {
  return std::make_unique<OptionalHasElement>();
}

std::unique_ptr<OpKernel> build_optional_get_element(const BuildContext&) {
  return std::make_unique<OptionalGetElement>();
}

}  // namespace ortl::opset
