// Builders of the control op family (listed in opset/control/ops.inc): control flow with
// subgraphs, and the sequence and optional value ops.
#pragma once

#include "opset/op.h"

namespace ortl::opset {

std::unique_ptr<OpKernel> build_if(const BuildContext& b);
std::unique_ptr<OpKernel> build_loop(const BuildContext& b);
std::unique_ptr<OpKernel> build_scan(const BuildContext& b);

std::unique_ptr<OpKernel> build_sequence_empty(const BuildContext& b);
std::unique_ptr<OpKernel> build_sequence_construct(const BuildContext& b);
std::unique_ptr<OpKernel> build_sequence_at(const BuildContext& b);
std::unique_ptr<OpKernel> build_sequence_insert(const BuildContext& b);
std::unique_ptr<OpKernel> build_sequence_erase(const BuildContext& b);
std::unique_ptr<OpKernel> build_sequence_length(const BuildContext& b);
std::unique_ptr<OpKernel> build_split_to_sequence(const BuildContext& b);
std::unique_ptr<OpKernel> build_concat_from_sequence(const BuildContext& b);
std::unique_ptr<OpKernel> build_sequence_map(const BuildContext& b);

std::unique_ptr<OpKernel> build_optional(const BuildContext& b);
std::unique_ptr<OpKernel> build_optional_has_element(const BuildContext& b);
std::unique_ptr<OpKernel> build_optional_get_element(const BuildContext& b);

}  // namespace ortl::opset
