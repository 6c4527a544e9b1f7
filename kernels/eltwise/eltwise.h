// Elementwise kernels: broadcast binary ops, unary math and activations, Clip, Where, IsNaN/IsInf,
// and Cast between every numeric storage type.
//
// Types are template parameters (float, double, int8..int64, uint8..uint64; bool is uint8_t);
// the .cc files instantiate the combinations that make sense. 16-bit floats are computed by the
// ops in float (see half.h). Each fast kernel has a spec-literal oracle in eltwise_ref.cc
// (`*_ref`) that indexes every element from its coordinates, for tests.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/base/parallel.h"
#include "kernels/eltwise/broadcast.h"
#include "kernels/eltwise/lowp.h"

// The element types every eltwise kernel template is instantiated for (in its .cc file).
#define ORTL_ELTWISE_TYPES(M) \
  M(float) M(double) M(int8_t) M(uint8_t) M(int16_t) M(uint16_t) M(int32_t) M(uint32_t) M(int64_t) M(uint64_t)

namespace ortl::kernels {

enum class BinaryOp : uint8_t {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kPow,
  kMax,
  kMin,
  kMod,   // result has the divisor's sign (Python / numpy mod)
  kFMod,  // result has the dividend's sign (C fmod, integer %)
  kShl,
  kShr,  // shifts outside [0, bits) give 0 (or -1 for a right shift of a negative value)
  kBitAnd,
  kBitOr,
  kBitXor,
  kPRelu,  // a < 0 ? a * b : a (b is the slope)
  kAnd,
  kOr,
  kXor,  // logical, on bool (uint8) data; output bool
  kEqual,
  kLess,
  kLessEq,
  kGreater,
  kGreaterEq,  // output bool
};

// Comparison and logical ops write uint8 (bool); the rest write T.
constexpr bool binary_outputs_bool(BinaryOp op) { return op >= BinaryOp::kAnd; }

// dst = op(a, b) over the plan's output; dst may be a or b (same element positions).
// Integer division and modulo by zero give 0, INT_MIN / -1 wraps: nothing traps.
template <class T>
void binary(BinaryOp op, const BroadcastPlan& p, const T* a, const T* b, void* dst, Parallel& par);
// Pow with an exponent of another type, converted to double by the caller: dst = T(pow(a, b)).
template <class T>
void pow_mixed(const BroadcastPlan& p, const T* a, const double* b, T* dst, Parallel& par);

enum class UnaryOp : uint8_t {
  kAbs,
  kNeg,
  kSign,
  kRelu,
  kBitNot,
  kNot,  // also on integers (kNot: bool only)
  kExp,
  kLog,
  kSqrt,
  kReciprocal,
  kFloor,
  kCeil,
  kRound,
  kSin,
  kCos,
  kTan,
  kAsin,
  kAcos,
  kAtan,
  kSinh,
  kCosh,
  kAsinh,
  kAcosh,
  kAtanh,
  kErf,
  kSigmoid,
  kTanh,
  kLeakyRelu,
  kElu,
  kSelu,
  kCelu,
  kThresholdedRelu,
  kHardSigmoid,
  kHardSwish,
  kSoftplus,
  kSoftsign,
  kGelu,
  kGeluTanh,
  kMish,
  kSwish,
  kShrink,
};

// Attributes of the parameterised activations (ONNX names): LeakyRelu/Elu/Celu/ThresholdedRelu/
// Swish alpha; Selu alpha, gamma; HardSigmoid alpha, beta; Shrink lambd (alpha), bias (beta).
struct UnaryParams {
  float alpha = 0;
  float beta = 0;
  float gamma = 0;
};

// True when op is defined for integer T (the rest are float-only).
constexpr bool unary_allows_int(UnaryOp op) { return op <= UnaryOp::kNot || op == UnaryOp::kShrink; }

// dst = op(src) elementwise; dst may equal src. Float ops use vectorizable approximations of
// exp/tanh/erf accurate to a few ulp, through the best implementation for the host.
template <class T>
void unary(UnaryOp op, const UnaryParams& prm, const T* src, T* dst, int64_t n, Parallel& par);

// float unary implementations, one per ISA (kernels.inc, best first); the op layer selects one
// when it builds the node. run() works on one contiguous chunk on the calling thread.
using UnaryF32Fn = void (*)(UnaryOp op, const UnaryParams& prm, const float* src, float* dst, int64_t n);
struct UnaryF32Impl {
  const char* name;
  uint32_t isa;  // IsaBit mask the host must have
  UnaryF32Fn run;
};
void unary_f32_avx512(UnaryOp op, const UnaryParams& prm, const float* src, float* dst, int64_t n);
void unary_f32_avx2(UnaryOp op, const UnaryParams& prm, const float* src, float* dst, int64_t n);
void unary_f32_generic(UnaryOp op, const UnaryParams& prm, const float* src, float* dst, int64_t n);
const UnaryF32Impl& select_unary_f32(uint32_t isa_mask);
// unary<float> through a chosen implementation, split across threads.
void unary_f32(const UnaryF32Impl& impl, UnaryOp op, const UnaryParams& prm, const float* src, float* dst, int64_t n,
               Parallel& par);

// dst = min(max(src, lo), hi) (numpy clip: hi wins when lo > hi); NaN passes through.
template <class T>
void clip(const T* src, T* dst, int64_t n, T lo, T hi, Parallel& par);

// IsNaN / IsInf (bool output).
template <class T>
void is_nan(const T* src, uint8_t* dst, int64_t n);
template <class T>
void is_inf(const T* src, uint8_t* dst, int64_t n, bool detect_positive, bool detect_negative);

// dst = cond ? x : y with 3-input broadcasting; T is a storage type (uint8/16/32/64_t).
template <class T>
void where(const BroadcastPlan& p, const uint8_t* cond, const T* x, const T* y, T* dst, Parallel& par);

// Options of a cast to the low-precision float types (lowp.h): `saturate` clamps out-of-range
// values to +-max for the float8 flavours and float8e8m0; `e8m0_round` is Cast's round_mode.
struct CastParams {
  bool saturate = true;
  lowp::E8M0Round e8m0_round = lowp::E8M0Round::kUp;
};

// Cast between storage types. Src/Dst are the arithmetic types, the Bool / Half / BFloat16
// tags of half.h and the minifloat tags of lowp.h (lowp::Code<F>, lowp::E8M0Code; 4- and 2-bit
// integers are int8_t / uint8_t here and wrapped by the caller). Float -> integer truncates
// toward zero; NaN gives 0 and out-of-range values saturate to the 64-bit range before narrower
// integers wrap (as static_cast on ints).
template <class Src, class Dst>
void cast(const Src* src, Dst* dst, int64_t n, Parallel& par, const CastParams& prm = {});

// ---- spec-literal references (eltwise_ref.cc): the test oracle ------------------------------

template <class T>
void binary_ref(BinaryOp op, const std::vector<int64_t>& out_shape, const std::vector<int64_t>& a_shape, const T* a,
                const std::vector<int64_t>& b_shape, const T* b, void* dst);
template <class T>
void unary_ref(UnaryOp op, const UnaryParams& prm, const T* src, T* dst, int64_t n);

}  // namespace ortl::kernels
