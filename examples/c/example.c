/* Runs an ONNX model through the ort-lite C API.
 *
 *   usage: example MODEL [SYMBOL=VALUE ...]      e.g.  example srcnn.onnx N=1 H=32 W=32
 *
 * Lists the model's inputs and outputs (symbolic dims by name), fills every input with ones
 * (a dim named SYMBOL gets VALUE, other unknown dims 1), runs once with runtime-allocated
 * outputs, then again from a second session loaded from memory into caller-provided buffers,
 * and checks both runs agree. Exit status 0 when everything succeeded.
 * Built and run by the tests (tests/embed.cmake), also under AddressSanitizer + LeakSanitizer.
 */
#include <ort_lite/ort_lite.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* On error: print the call, the status and the runtime's message, then clean up. */
#define CHECK(call)                                                                                   \
  do {                                                                                                \
    ortl_status st_ = (call);                                                                         \
    if (st_ != ORTL_OK) {                                                                             \
      fprintf(stderr, "%s failed: %s: %s\n", #call, ortl_status_string(st_), ortl_last_error());      \
      goto done;                                                                                      \
    }                                                                                                 \
  } while (0)

/* The value given on the command line for a symbolic dim, else 1. */
static int64_t dim_value(const char* symbol, int argc, char** argv) {
  size_t n = strlen(symbol);
  int i;
  for (i = 2; i < argc; ++i)
    if (n > 0 && strncmp(argv[i], symbol, n) == 0 && argv[i][n] == '=') return atoll(argv[i] + n + 1);
  return 1;
}

static void print_info(const char* kind, size_t i, const ortl_value_info* info) {
  int64_t d;
  printf("%s %zu: %s %s [", kind, i, info->name, ortl_dtype_name(info->dtype));
  for (d = 0; d < info->rank; ++d) {
    if (d) printf(",");
    if (info->shape[d] >= 0)
      printf("%lld", (long long)info->shape[d]);
    else
      printf("%s", info->dim_names[d][0] ? info->dim_names[d] : "?");
  }
  printf("%s\n", info->rank < 0 ? "?]" : "]");
}

/* One in the element type t, written at p. */
static void set_one(ortl_dtype t, void* p) {
  switch (t) {
    case ORTL_DTYPE_FLOAT: *(float*)p = 1.0f; break;
    case ORTL_DTYPE_DOUBLE: *(double*)p = 1.0; break;
    case ORTL_DTYPE_FLOAT16: *(uint16_t*)p = 0x3C00; break;
    case ORTL_DTYPE_BFLOAT16: *(uint16_t*)p = 0x3F80; break;
    default: { /* integers and bool: 1 in the lowest byte (little-endian) */
      memset(p, 0, ortl_dtype_size(t));
      *(uint8_t*)p = 1;
    }
  }
}

static size_t numel(const int64_t* shape, size_t rank) {
  size_t n = 1, d;
  for (d = 0; d < rank; ++d) n *= (size_t)shape[d];
  return n;
}

static char* read_file(const char* path, size_t* size) {
  char* data = NULL;
  long n;
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
    data = (char*)malloc((size_t)n);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
      free(data);
      data = NULL;
    }
    *size = (size_t)n;
  }
  fclose(f);
  return data;
}

int main(int argc, char** argv) {
  int ok = 0;
  size_t i, d, n_in = 0, n_out = 0, model_size = 0;
  ortl_options* options = NULL;
  ortl_session* session = NULL;
  ortl_session* session2 = NULL;
  char* model = NULL;
  const char** in_names = NULL;
  const char** out_names = NULL;
  ortl_tensor* inputs = NULL;
  ortl_value** results = NULL;
  ortl_tensor* buffers = NULL;

  if (argc < 2) {
    fprintf(stderr, "usage: %s MODEL [SYMBOL=VALUE ...]\n", argv[0]);
    return 2;
  }
  printf("ort-lite %s\n", ortl_version());
  CHECK(ortl_options_create(&options));
  CHECK(ortl_options_set_intra_op_threads(options, 1));
  CHECK(ortl_session_create_from_path(argv[1], options, &session));

  /* Inputs: declared names, dtypes and shapes; a buffer of ones for each. */
  CHECK(ortl_session_input_count(session, &n_in));
  in_names = (const char**)calloc(n_in + 1, sizeof *in_names);
  inputs = (ortl_tensor*)calloc(n_in + 1, sizeof *inputs);
  if (!in_names || !inputs) goto done;
  for (i = 0; i < n_in; ++i) {
    ortl_value_info info;
    int64_t* shape;
    size_t rank, esz, k;
    CHECK(ortl_session_input_info(session, i, &info));
    print_info("input", i, &info);
    rank = info.rank < 0 ? 0 : (size_t)info.rank;
    shape = (int64_t*)calloc(rank + 1, sizeof *shape);
    if (!shape) goto done;
    for (d = 0; d < rank; ++d) shape[d] = info.shape[d] >= 0 ? info.shape[d] : dim_value(info.dim_names[d], argc, argv);
    esz = ortl_dtype_size(info.dtype);
    in_names[i] = info.name;
    inputs[i].dtype = info.dtype;
    inputs[i].shape = shape;
    inputs[i].rank = rank;
    inputs[i].byte_size = numel(shape, rank) * esz;
    inputs[i].data = malloc(inputs[i].byte_size + 1);
    if (!inputs[i].data) goto done;
    for (k = 0; k < numel(shape, rank); ++k) set_one(info.dtype, (char*)inputs[i].data + k * esz);
  }

  /* Run 1: the runtime allocates the outputs (NULL names: all of them, in the model's order). */
  CHECK(ortl_session_output_count(session, &n_out));
  results = (ortl_value**)calloc(n_out + 1, sizeof *results);
  out_names = (const char**)calloc(n_out + 1, sizeof *out_names);
  buffers = (ortl_tensor*)calloc(n_out + 1, sizeof *buffers);
  if (!results || !out_names || !buffers) goto done;
  CHECK(ortl_run(session, in_names, inputs, n_in, NULL, n_out, results));
  for (i = 0; i < n_out; ++i) {
    ortl_value_info info;
    ortl_tensor y;
    CHECK(ortl_session_output_info(session, i, &info));
    print_info("output", i, &info);
    CHECK(ortl_value_get(results[i], &y));
    printf("  got %s [", ortl_dtype_name(y.dtype));
    for (d = 0; d < y.rank; ++d) printf("%s%lld", d ? "," : "", (long long)y.shape[d]);
    printf("], %zu bytes", y.byte_size);
    if (y.dtype == ORTL_DTYPE_FLOAT && y.byte_size >= sizeof(float)) printf(", first %g", ((const float*)y.data)[0]);
    printf("\n");
    /* A caller-provided buffer of the same dtype and shape for run 2. */
    out_names[i] = info.name;
    buffers[i] = y;
    buffers[i].data = calloc(y.byte_size + 1, 1);
    if (!buffers[i].data) goto done;
  }

  /* Run 2: a session from the model's bytes, writing into the caller's buffers. */
  model = read_file(argv[1], &model_size);
  if (!model) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    goto done;
  }
  CHECK(ortl_session_create_from_buffer(model, model_size, NULL, &session2));
  CHECK(ortl_run_into(session2, in_names, inputs, n_in, out_names, buffers, n_out));
  for (i = 0; i < n_out; ++i) {
    ortl_tensor y;
    CHECK(ortl_value_get(results[i], &y));
    if (memcmp(y.data, buffers[i].data, y.byte_size) != 0) {
      fprintf(stderr, "output %s differs between the two runs\n", out_names[i]);
      goto done;
    }
  }
  printf("both runs agree\n");
  ok = 1;

done:
  for (i = 0; results && i < n_out; ++i) ortl_value_release(results[i]);
  for (i = 0; buffers && i < n_out; ++i) free(buffers[i].data);
  for (i = 0; inputs && i < n_in; ++i) {
    free((void*)inputs[i].shape);
    free(inputs[i].data);
  }
  free(results);
  free(buffers);
  free(inputs);
  free(in_names);
  free(out_names);
  free(model);
  ortl_session_release(session2);
  ortl_session_release(session);
  ortl_options_release(options);
  return ok ? 0 : 1;
}
