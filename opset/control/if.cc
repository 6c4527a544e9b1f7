// If: runs then_branch or else_branch (no inputs, reading outer values) by a bool scalar.
// Branch outputs may be tensors, sequences or optionals, and the branches may disagree on shapes.
#include "opset/control/control.h"
#include "opset/control/control_util.h"

namespace ortl::opset {
namespace {

class If final : public OpKernel {
 public:
  If(control::Body then_b, control::Body else_b) : then_(std::move(then_b)), else_(std::move(else_b)) {}

  void infer(InferContext& ctx) const override {
    const std::vector<TypeInfo> then_t = then_.infer({}, ctx), else_t = else_.infer({}, ctx);
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      const TypeInfo& t = then_t[i];
      const TypeInfo& e = else_t[i];
      TypeInfo out = control::loose_type(ctx, t.dtype != DType::kUndefined ? t : e);
      if (t.rank() != e.rank()) out.has_shape = false, out.shape.clear();
      ctx.set_output(i, std::move(out));
    }
  }

  void run(RunContext& ctx) const override {
    const Tensor* c = ctx.input(0);
    check(c != nullptr, ErrorCode::kInvalidArgument, "If: the condition is missing");
    const control::Body& b = control::scalar_bool(*c, "If: cond") ? then_ : else_;
    const std::vector<AnyValue> res = b.run({}, ctx);
    for (int i = 0; i < ctx.num_outputs(); ++i) control::set_output_value(ctx, i, res[i], /*owned=*/true);
  }

  bool deterministic() const override { return false; }  // never run a subgraph at plan time
  std::string kernel_name() const override { return "subgraph"; }

 private:
  control::Body then_, else_;
};

}  // namespace

std::unique_ptr<OpKernel> build_if(const BuildContext& b) {
  check(control::formal_inputs(b.node) == 1, ErrorCode::kInvalidModel, "If takes one input (cond), got ",
        control::formal_inputs(b.node));
  const int n = static_cast<int>(b.node.outputs.size());
  control::Body then_b = control::compile_body(b, "then_branch", 0, n);
  control::Body else_b = control::compile_body(b, "else_branch", 0, n);
  return std::make_unique<If>(std::move(then_b), std::move(else_b));
}

}  // namespace ortl::opset
