// MelWeightMatrix: [dft_length / 2 + 1, num_mel_bins] triangular filters with peak 1, spaced
// evenly on the mel scale mel(f) = 2595 log10(1 + f / 700) between lower_edge_hertz and
// upper_edge_hertz. Band edges are snapped to spectrogram bins as the ONNX reference does:
// num_mel_bins + 2 points, mel step (high - low) / (num_mel_bins + 2), bin =
// floor((dft_length + 1) * f / sample_rate). Edges outside the spectrogram are not written.
#include <cmath>

#include "opset/signal/signal.h"
#include "opset/signal/signal_util.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "MelWeightMatrix";

class MelWeightMatrix final : public OpKernel {
 public:
  explicit MelWeightMatrix(DType out) : out_(out) {}

  void infer(InferContext& ctx) const override {
    const Tensor* mel = ctx.input_value(0);
    const Tensor* len = ctx.input_value(1);
    ctx.set_output(
        0, TypeInfo::of(out_, {len ? Dim(bins(*len)) : ctx.fresh_dim(), mel ? Dim(mels(*mel)) : ctx.fresh_dim()}));
  }

  void run(RunContext& ctx) const override {
    const char* names[] = {"num_mel_bins", "dft_length", "sample_rate", "lower_edge_hertz", "upper_edge_hertz"};
    const Tensor* in[5];
    for (int i = 0; i < 5; ++i) in[i] = &signal::req_input(ctx, i, kOp, names[i]);
    const int64_t m = mels(*in[0]), nb = bins(*in[1]);
    const int64_t dft_len = signal::scalar_int(*in[1], kOp, "dft_length");
    const int64_t rate = signal::scalar_int(*in[2], kOp, "sample_rate");
    if (rate <= 0) fail(ErrorCode::kInvalidArgument, kOp, ": sample_rate must be positive, got ", rate);
    const double lo = signal::scalar_float(*in[3], kOp, "lower_edge_hertz");
    const double hi = signal::scalar_float(*in[4], kOp, "upper_edge_hertz");
    Tensor& y = ctx.output(0, {nb, m});
    auto to_mel = [](double f) { return 2595.0 * std::log1p(f / 700.0) / std::log(10.0); };
    const double lo_mel = to_mel(lo), step = (to_mel(hi) - lo_mel) / static_cast<double>(m + 2);
    std::vector<int64_t> edge(static_cast<size_t>(m + 2));
    for (int64_t i = 0; i < m + 2; ++i) {
      const double hz = 700.0 * std::expm1((static_cast<double>(i) * step + lo_mel) / 2595.0 * std::log(10.0));
      edge[i] = static_cast<int64_t>(std::floor(static_cast<double>(dft_len + 1) * hz / static_cast<double>(rate)));
    }
    std::vector<double> w(static_cast<size_t>(nb * m), 0.0);
    auto put = [&](int64_t bin, int64_t band, double v) {
      if (bin >= 0 && bin < nb) w[bin * m + band] = v;
    };
    for (int64_t i = 0; i < m; ++i) {
      const int64_t l = edge[i], c = edge[i + 1], r = edge[i + 2];
      if (c == l) {
        put(c, i, 1.0);
      } else {
        for (int64_t j = l; j <= c; ++j) put(j, i, static_cast<double>(j - l) / static_cast<double>(c - l));
      }
      for (int64_t j = c; j < r; ++j) put(j, i, static_cast<double>(r - j) / static_cast<double>(r - c));
    }
    signal::write_values(w, y, kOp);
  }

  std::vector<int> shape_inputs() const override { return {0, 1}; }

 private:
  static int64_t mels(const Tensor& t) {
    const int64_t v = signal::scalar_int(t, kOp, "num_mel_bins");
    if (v < 1) fail(ErrorCode::kInvalidArgument, kOp, ": num_mel_bins must be positive, got ", v);
    return v;
  }
  static int64_t bins(const Tensor& t) {
    const int64_t v = signal::scalar_int(t, kOp, "dft_length");
    if (v < 1) fail(ErrorCode::kInvalidArgument, kOp, ": dft_length must be positive, got ", v);
    return v / 2 + 1;
  }
  DType out_;
};

}  // namespace

std::unique_ptr<OpKernel> build_mel_weight_matrix(const BuildContext& ctx) {
  return std::make_unique<MelWeightMatrix>(signal::output_datatype(ctx.node, kOp));
}

}  // namespace ortl::opset
