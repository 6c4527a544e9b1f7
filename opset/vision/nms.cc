// NonMaxSuppression (10, 11; 11 only clarified the docs): boxes [B, N, 4], scores [B, C, N],
// optional scalars max_output_boxes_per_class (default 0: select nothing), iou_threshold
// (default 0) and score_threshold (no filtering when omitted) -> selected [num, 3] int64 rows of
// (batch, class, box). The row count depends on the data, so the output is sized at run time.
#include <algorithm>

#include "kernels/vision/vision.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

class NonMaxSuppression final : public OpKernel {
 public:
  explicit NonMaxSuppression(bool center) : center_(center) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& b = ctx.input_type(0);
    const TypeInfo& s = ctx.input_type(1);
    check(b.dtype == DType::kUndefined || b.dtype == DType::kFloat, ErrorCode::kNotImplemented,
          "NonMaxSuppression: boxes dtype ", dtype_name(b.dtype), " is not supported (float)");
    check(!b.has_shape || b.rank() == 3, ErrorCode::kInvalidArgument, "NonMaxSuppression: boxes rank ", b.rank(),
          " != 3");
    check(!s.has_shape || s.rank() == 3, ErrorCode::kInvalidArgument, "NonMaxSuppression: scores rank ", s.rank(),
          " != 3");
    ctx.set_output(0, TypeInfo::of(DType::kInt64, {ctx.fresh_dim(), 3}));
  }

  void run(RunContext& ctx) const override {
    const Tensor& boxes = *ctx.input(0);
    const Tensor& scores = *ctx.input(1);
    check(boxes.dtype() == DType::kFloat && scores.dtype() == DType::kFloat, ErrorCode::kNotImplemented,
          "NonMaxSuppression: boxes and scores must be float, got ", dtype_name(boxes.dtype()), " and ",
          dtype_name(scores.dtype()));
    if (boxes.rank() != 3 || boxes.dim(2) != 4 || scores.rank() != 3 || scores.dim(0) != boxes.dim(0) ||
        scores.dim(2) != boxes.dim(1)) {
      fail(ErrorCode::kInvalidArgument, "NonMaxSuppression: boxes ", shape_str(boxes.shape()), " and scores ",
           shape_str(scores.shape()), " must be [B, N, 4] and [B, C, N]");
    }
    kernels::NmsParams p;
    p.batches = boxes.dim(0);
    p.boxes = boxes.dim(1);
    p.classes = scores.dim(1);
    p.center_point_box = center_;
    const Tensor* max_out = ctx.input(2);
    if (max_out && max_out->numel() > 0) p.max_per_class = std::max<int64_t>(scalar(*max_out, "max_output"), 0);
    const Tensor* iou = ctx.input(3);
    if (iou && iou->numel() > 0) p.iou_threshold = scalar_float(*iou, "iou_threshold");
    if (!(p.iou_threshold >= 0.f && p.iou_threshold <= 1.f)) {
      fail(ErrorCode::kInvalidArgument, "NonMaxSuppression: iou_threshold ", p.iou_threshold, " is outside [0, 1]");
    }
    const Tensor* score = ctx.input(4);
    if (score && score->numel() > 0) {
      p.has_score_threshold = true;
      p.score_threshold = scalar_float(*score, "score_threshold");
    }
    const std::vector<int64_t> sel = kernels::non_max_suppression(p, boxes.data_as<float>(), scores.data_as<float>());
    const int64_t rows = static_cast<int64_t>(sel.size()) / 3;
    Tensor& y = ctx.output(0, {rows, 3});
    std::copy(sel.begin(), sel.end(), y.data_as<int64_t>());
  }

  std::string kernel_name() const override { return "nms_ref"; }

 private:
  static int64_t scalar(const Tensor& t, const char* name) {
    check(t.numel() == 1, ErrorCode::kInvalidArgument, "NonMaxSuppression: ", name, " must hold one value, got ",
          shape_str(t.shape()));
    return ints_of(t)[0];
  }
  static float scalar_float(const Tensor& t, const char* name) {
    check(t.numel() == 1, ErrorCode::kInvalidArgument, "NonMaxSuppression: ", name, " must hold one value, got ",
          shape_str(t.shape()));
    check(vision::is_float(t.dtype()), ErrorCode::kInvalidArgument, "NonMaxSuppression: ", name, " must be float, got ",
          dtype_name(t.dtype()));
    std::vector<float> tmp;
    return vision::floats_as<float>(t, tmp)[0];
  }

  bool center_;
};

}  // namespace

std::unique_ptr<OpKernel> build_nms(const BuildContext& ctx) {
  const int64_t c = ctx.node.get_int("center_point_box", 0);
  check(c == 0 || c == 1, ErrorCode::kInvalidArgument, "NonMaxSuppression: center_point_box ", c, " must be 0 or 1");
  return std::make_unique<NonMaxSuppression>(c == 1);
}

}  // namespace ortl::opset
