/* ort-lite C API: opaque handles, status codes, no exception ever crosses it.
 *
 *   ortl_session* s = NULL;
 *   if (ortl_session_create_from_path("model.onnx", NULL, &s) != ORTL_OK)
 *     fprintf(stderr, "%s\n", ortl_last_error());
 *   int64_t shape[4] = {1, 3, 224, 224};
 *   ortl_tensor x = {ORTL_DTYPE_FLOAT, shape, 4, pixels, sizeof pixels};
 *   const char* in_name = "input";
 *   ortl_value* y = NULL;
 *   ortl_run(s, &in_name, &x, 1, NULL, 1, &y);   // NULL names: the model's outputs in order
 *   ortl_tensor out;
 *   ortl_value_get(y, &out);                      // out.data valid until ortl_value_release(y)
 *   ortl_value_release(y);
 *   ortl_session_release(s);
 *
 * Every function returns ORTL_OK or an error status; on error, ortl_last_error() gives the
 * message (it names the file, node and op involved) until the next failing call on the same
 * thread. Out-parameters are written only on success. Handles are checked against the set of
 * live handles: NULL, released, or foreign handles give ORTL_INVALID_HANDLE instead of a crash.
 * ortl_run and ortl_run_into may be called on one session from several threads at once.
 * String tensors are not supported through the C API (use the C++ API).
 */
#ifndef ORT_LITE_H_
#define ORT_LITE_H_

#include <stddef.h>
#include <stdint.h>

#include "ort_lite/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ortl_status {
  ORTL_OK = 0,
  ORTL_INVALID_ARGUMENT = 1, /* bad names, dtypes, shapes, buffer sizes, NULL out-pointers */
  ORTL_INVALID_MODEL = 2,    /* malformed or inconsistent model file */
  ORTL_NOT_IMPLEMENTED = 3,  /* an op, attribute or dtype ort-lite does not support */
  ORTL_OUT_OF_MEMORY = 4,
  ORTL_RUNTIME_ERROR = 5, /* anything else raised while running */
  ORTL_INVALID_HANDLE = 6 /* NULL, released, or not a handle of the expected kind */
} ortl_status;

/* The ONNX TensorProto.DataType codes. */
typedef enum ortl_dtype {
  ORTL_DTYPE_UNDEFINED = 0,
  ORTL_DTYPE_FLOAT = 1,
  ORTL_DTYPE_UINT8 = 2,
  ORTL_DTYPE_INT8 = 3,
  ORTL_DTYPE_UINT16 = 4,
  ORTL_DTYPE_INT16 = 5,
  ORTL_DTYPE_INT32 = 6,
  ORTL_DTYPE_INT64 = 7,
  ORTL_DTYPE_STRING = 8,
  ORTL_DTYPE_BOOL = 9,
  ORTL_DTYPE_FLOAT16 = 10,
  ORTL_DTYPE_DOUBLE = 11,
  ORTL_DTYPE_UINT32 = 12,
  ORTL_DTYPE_UINT64 = 13,
  ORTL_DTYPE_BFLOAT16 = 16,
  /* Low-precision types, one element per byte in ortl_tensor buffers (see DataType in
   * tensor.hpp): the bit pattern for float8/float6/float4/e8m0, int4/int2 sign-extended to int8,
   * uint4/uint2 as uint8. */
  ORTL_DTYPE_FLOAT8E4M3FN = 17,
  ORTL_DTYPE_FLOAT8E4M3FNUZ = 18,
  ORTL_DTYPE_FLOAT8E5M2 = 19,
  ORTL_DTYPE_FLOAT8E5M2FNUZ = 20,
  ORTL_DTYPE_UINT4 = 21,
  ORTL_DTYPE_INT4 = 22,
  ORTL_DTYPE_FLOAT4E2M1 = 23,
  ORTL_DTYPE_FLOAT8E8M0 = 24,
  ORTL_DTYPE_UINT2 = 25,
  ORTL_DTYPE_INT2 = 26,
  ORTL_DTYPE_FLOAT6E2M3 = 27,
  ORTL_DTYPE_FLOAT6E3M2 = 28
} ortl_dtype;

typedef struct ortl_options ortl_options;
typedef struct ortl_session ortl_session;
typedef struct ortl_value ortl_value;

/* A dense row-major tensor in memory the caller owns (inputs, caller-provided outputs), or a
 * view of a runtime-allocated output (ortl_value_get). byte_size is the buffer's size. */
typedef struct ortl_tensor {
  ortl_dtype dtype;
  const int64_t* shape;
  size_t rank;
  void* data;
  size_t byte_size;
} ortl_tensor;

/* A graph input or output as declared; pointers stay valid until the session is released. */
typedef struct ortl_value_info {
  const char* name;
  ortl_dtype dtype;             /* ORTL_DTYPE_UNDEFINED when the model does not say */
  int64_t rank;                 /* -1 when the rank is unknown */
  const int64_t* shape;         /* rank dims, -1 where the dim is not fixed */
  const char* const* dim_names; /* rank entries: the symbolic name ("batch") or "" */
} ortl_value_info;

/* ---- library -------------------------------------------------------------------------- */
ORTL_API const char* ortl_version(void);                /* "0.1.0" */
ORTL_API const char* ortl_last_error(void);             /* this thread's last error, or "" */
ORTL_API const char* ortl_status_string(ortl_status s); /* "ORTL_INVALID_ARGUMENT", ... */
ORTL_API const char* ortl_dtype_name(ortl_dtype t);     /* "float", "int64", ... */
ORTL_API size_t ortl_dtype_size(ortl_dtype t);          /* bytes per element; 0 for string/undefined */

/* ---- session options ------------------------------------------------------------------ */
ORTL_API ortl_status ortl_options_create(ortl_options** out);
ORTL_API ortl_status ortl_options_set_intra_op_threads(ortl_options* o, int threads); /* 0: one per core */
/* level 0: the graph as written, 1: folding and fusions, 2 (default): also the NCHWc conv layout */
ORTL_API ortl_status ortl_options_set_optimization_level(ortl_options* o, int level);
ORTL_API ortl_status ortl_options_set_verbose(ortl_options* o, int verbose);
ORTL_API ortl_status ortl_options_release(ortl_options* o); /* NULL is a no-op */

/* ---- sessions ------------------------------------------------------------------------- */
/* options may be NULL (defaults). The buffer is not needed after the call returns. */
ORTL_API ortl_status ortl_session_create_from_path(const char* path, const ortl_options* options, ortl_session** out);
ORTL_API ortl_status ortl_session_create_from_buffer(const void* data, size_t size, const ortl_options* options,
                                                     ortl_session** out);
/* NULL is a no-op. Runs in flight on other threads finish first (they hold the session). */
ORTL_API ortl_status ortl_session_release(ortl_session* s);

ORTL_API ortl_status ortl_session_input_count(const ortl_session* s, size_t* out);
ORTL_API ortl_status ortl_session_output_count(const ortl_session* s, size_t* out);
ORTL_API ortl_status ortl_session_input_info(const ortl_session* s, size_t index, ortl_value_info* out);
ORTL_API ortl_status ortl_session_output_info(const ortl_session* s, size_t index, ortl_value_info* out);

/* Runs with caller-owned inputs (read, never written, not kept after the call) and returns
 * runtime-allocated outputs, one ortl_value per name, each released by the caller.
 * output_names NULL: all model outputs in order (output_count must be their number; never 0). */
ORTL_API ortl_status ortl_run(ortl_session* s, const char* const* input_names, const ortl_tensor* inputs,
                              size_t input_count, const char* const* output_names, size_t output_count,
                              ortl_value** outputs);

/* As ortl_run, but writes into caller-provided outputs: each one's dtype and shape must be the
 * output's exactly and byte_size at least its size in bytes. Nothing is written on error. */
ORTL_API ortl_status ortl_run_into(ortl_session* s, const char* const* input_names, const ortl_tensor* inputs,
                                   size_t input_count, const char* const* output_names, const ortl_tensor* outputs,
                                   size_t output_count);

/* ---- runtime-allocated values --------------------------------------------------------- */
/* A view of the value: out->shape and out->data stay valid until the value is released. */
ORTL_API ortl_status ortl_value_get(const ortl_value* v, ortl_tensor* out);
ORTL_API ortl_status ortl_value_release(ortl_value* v); /* NULL is a no-op */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ORT_LITE_H_ */
