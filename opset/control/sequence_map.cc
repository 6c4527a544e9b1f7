// SequenceMap: runs `body` once per position of the input sequence. Additional inputs that
// are sequences (of the same length) give their element at that position, tensors are passed
// whole. Every body output is collected into an output sequence.
#include "opset/control/control.h"
#include "opset/control/control_util.h"
#include "opset/control/sequence_util.h"

namespace ortl::opset {
namespace {

class SequenceMap final : public OpKernel {
 public:
  SequenceMap(control::Body body, int inputs) : body_(std::move(body)), inputs_(inputs) {}

  void infer(InferContext& ctx) const override {
    std::vector<TypeInfo> in;
    for (int j = 0; j < inputs_; ++j) {
      TypeInfo t = control::any_shape(ctx.input_type(j));
      if (t.kind == ValueKind::kSequence) t.kind = ValueKind::kTensor;  // the body sees one element
      in.push_back(t);
    }
    const std::vector<TypeInfo> body_t = body_.infer(std::move(in), ctx);
    for (int i = 0; i < ctx.num_outputs(); ++i) ctx.set_output(i, control::sequence_type(body_t[i].dtype));
  }

  void run(RunContext& ctx) const override {
    const Composite& s = control::sequence_input(ctx, 0, "SequenceMap");
    const size_t n = s.items.size();
    std::vector<const Composite*> seqs(inputs_, nullptr);
    for (int j = 0; j < inputs_; ++j) {
      if (ctx.input(j)) continue;
      seqs[j] = &control::sequence_input(ctx, j, "SequenceMap");
      check(seqs[j]->items.size() == n, ErrorCode::kInvalidArgument, "SequenceMap: input ", j, " has ",
            seqs[j]->items.size(), " elements, the input sequence ", n);
    }
    const int nout = ctx.num_outputs();
    std::vector<std::vector<Tensor>> outs(nout);
    for (size_t p = 0; p < n; ++p) {
      std::vector<AnyValue> in(inputs_);
      for (int j = 0; j < inputs_; ++j) in[j] = seqs[j] ? AnyValue(seqs[j]->items[p]) : AnyValue(*ctx.input(j));
      std::vector<AnyValue> res = body_.run(std::move(in), ctx);
      for (int o = 0; o < nout; ++o) {
        check(res[o].tensor.defined(), ErrorCode::kNotImplemented, "SequenceMap: body output ", o, " is not a tensor");
        outs[o].push_back(std::move(res[o].tensor));
      }
    }
    for (int o = 0; o < nout; ++o) {
      const DType dt = outs[o].empty() ? body_.graph->output_type(o).dtype : outs[o][0].dtype();
      if (ctx.has_output(o)) ctx.set_output_composite(o, control::make_sequence(dt, std::move(outs[o])));
    }
  }

  bool deterministic() const override { return false; }
  std::string kernel_name() const override { return "subgraph"; }

 private:
  control::Body body_;
  int inputs_;
};

}  // namespace

std::unique_ptr<OpKernel> build_sequence_map(const BuildContext& b) {
  const int n = control::formal_inputs(b.node);
  check(n >= 1, ErrorCode::kInvalidModel, "SequenceMap needs an input sequence");
  control::Body body = control::compile_body(b, "body", n, static_cast<int>(b.node.outputs.size()));
  return std::make_unique<SequenceMap>(std::move(body), n);
}

}  // namespace ortl::opset
