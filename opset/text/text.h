// Builders of the text op family (listed in opset/text/ops.inc): string ops and ImageDecoder of
// ai.onnx, and the ai.onnx.ml ops.
#pragma once

#include "opset/op.h"

namespace ortl::opset {

// Newest ai.onnx.ml opset version in the pinned onnx release (1.23).
constexpr int kMaxMlOpset = 5;

std::unique_ptr<OpKernel> build_string_concat(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_string_split(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_string_normalizer(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_regex_full_match(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_tfidf_vectorizer(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_image_decoder(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_label_encoder(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_binarizer(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_array_feature_extractor(const BuildContext& ctx);
std::unique_ptr<OpKernel> build_tree_ensemble(const BuildContext& ctx);

}  // namespace ortl::opset
