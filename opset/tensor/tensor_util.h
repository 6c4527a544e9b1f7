// Helpers shared by the tensor (shape and data-movement) ops: dtype dispatch onto the
// kernels' element types, reading shape-like inputs, and symbolic-dim bookkeeping.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "opset/util.h"

namespace ortl::opset {

// dispatch_by_size plus the string dtype: fn(T{}) with T one of the element types the
// data-movement kernels are instantiated for (uint8_t .. uint64_t, std::string).
template <class F>
void dispatch_move(DType dt, const char* what, F&& fn) {
  if (dt == DType::kString) {
    fn(std::string{});
  } else {
    dispatch_by_size(dt, what, std::forward<F>(fn));
  }
}

inline bool is_index_dtype(DType dt) { return dt == DType::kInt32 || dt == DType::kInt64; }

// The input's dtype must be int32/int64 (when known).
void check_index_input(const InferContext& ctx, int i, const char* op, const char* name);

// Concrete dims of a shape whose dims are all known.
inline std::vector<int64_t> concrete(const Shape& s) { return graph::to_concrete(s); }

// read_ints / read_floats that also accept empty tensors (opset/util.cc memcpys from a null
// vector there, which UBSan reports).
inline std::vector<int64_t> ints_of(const Tensor& t) { return t.numel() == 0 ? std::vector<int64_t>{} : read_ints(t); }
inline std::vector<float> floats_of(const Tensor& t) { return t.numel() == 0 ? std::vector<float>{} : read_floats(t); }

// The input's value as int64s when known now (shape inputs at plan time); false otherwise.
bool known_ints(const InferContext& ctx, int i, std::vector<int64_t>& out);

// A run-time input as int64s; an omitted input gives `def`.
std::vector<int64_t> input_ints(const RunContext& ctx, int i, std::vector<int64_t> def = {});

// Scalar input of any numeric dtype (floats truncated toward zero) as int64.
int64_t scalar_int(const Tensor& t, const char* op, const char* name);

// Integer or float tensor as int64s (floats truncated toward zero): OneHot indices and depth.
std::vector<int64_t> to_int64s(const Tensor& t);

// `rank` fresh symbolic dims.
Shape fresh_dims(InferContext& ctx, int64_t rank);

// Product of dims [b, e): known when all are; the dim itself when it is the only factor that is
// not 1; a fresh symbol otherwise.
Dim product_dim(InferContext& ctx, const Shape& s, size_t b, size_t e);

// a * b and a + b for dims computed from user values (reshape targets, repeats, pads, block
// sizes); throws kInvalidArgument instead of overflowing.
int64_t mul_dims(int64_t a, int64_t b, const char* op);
int64_t add_dims(int64_t a, int64_t b, const char* op);

// Normalizes a list of axes against `rank`; throws on duplicates or out-of-range axes.
std::vector<int64_t> normalize_axes(std::vector<int64_t> axes, int64_t rank, const char* op);

// Row offsets of the index tuples of GatherND / ScatterND (validated: an index out of range
// throws kInvalidArgument); slice_len receives the elements each tuple addresses.
std::vector<int64_t> nd_offsets(const Tensor& data, const Tensor& indices, int64_t batch_dims, const char* op,
                                int64_t& slice_len);

// float -> float16 / bfloat16 bits (round to nearest even), for values given as float attributes.
uint16_t float_to_half_bits(float f);
uint16_t float_to_bf16_bits(float f);

// Raw bits of the number `v` in dtype dt (numeric dtypes and bool), right-aligned in a uint64;
// used to fill tensors of any dtype through the by-size kernels.
uint64_t value_bits(double v, DType dt);

}  // namespace ortl::opset
