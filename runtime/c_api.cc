// The C API (include/ort_lite/ort_lite.h) over the public C++ API.
//
// A handle is a small heap box holding a shared_ptr to the real object. Every call looks the
// handle up in a process-wide registry before touching it, so a NULL, released or foreign
// pointer is reported as ORTL_INVALID_HANDLE without ever being dereferenced (a magic field
// would have to read freed memory to say the same). Lookups copy the shared_ptr, so a session
// released on one thread stays alive until the runs in flight on others finish.
#include <ort_lite/ort_lite.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <ort_lite/ort_lite.hpp>
#include <shared_mutex>
#include <string>
#include <typeinfo>
#include <unordered_map>
#include <vector>

namespace {

// A session with its inputs' and outputs' symbolic dim names as C strings, for ortl_value_info.
struct SessionState {
  explicit SessionState(ort_lite::Session s) : session(std::move(s)) {
    for (const auto& v : session.inputs()) inputs.push_back(names_of(v));
    for (const auto& v : session.outputs()) outputs.push_back(names_of(v));
  }
  static std::vector<const char*> names_of(const ort_lite::ValueInfo& v) {
    std::vector<const char*> n;
    for (const std::string& d : v.dim_names) n.push_back(d.c_str());
    return n;
  }
  ort_lite::Session session;
  std::vector<std::vector<const char*>> inputs, outputs;
};

}  // namespace

struct ortl_options {
  std::shared_ptr<ort_lite::SessionOptions> p;
};
struct ortl_session {
  std::shared_ptr<SessionState> p;
};
struct ortl_value {
  std::shared_ptr<ort_lite::Tensor> p;
};

namespace {

using ort_lite::DataType;
using ort_lite::ErrorCode;
using ort_lite::Tensor;

thread_local std::string t_last_error;

struct HandleError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class H>
const char* kind_name();
template <>
const char* kind_name<ortl_options>() {
  return "ortl_options";
}
template <>
const char* kind_name<ortl_session>() {
  return "ortl_session";
}
template <>
const char* kind_name<ortl_value>() {
  return "ortl_value";
}

class Registry {
 public:
  static Registry& get() {
    static Registry* r = new Registry;  // never destroyed: handles may be released during exit
    return *r;
  }

  template <class H>
  H* add(decltype(H::p) obj) {
    auto h = std::make_unique<H>(H{std::move(obj)});
    std::unique_lock lock(mu_);
    live_.emplace(key(h.get()), &typeid(H));
    return h.release();
  }

  // The object behind a live handle of kind H; throws HandleError for anything else.
  template <class H>
  decltype(H::p) find(const H* h, const char* fn) const {
    if (h == nullptr) throw HandleError(std::string(fn) + ": the " + kind_name<H>() + " handle is NULL");
    std::shared_lock lock(mu_);
    check_entry<H>(live_.find(key(h)), fn);
    return h->p;  // copied under the lock: remove() cannot delete the box meanwhile
  }

  template <class H>
  void remove(H* h, const char* fn) {
    {
      std::unique_lock lock(mu_);
      auto it = live_.find(key(h));
      check_entry<H>(it, fn);
      live_.erase(it);
    }
    delete h;  // outside the lock: dropping a session's last reference joins its threads
  }

 private:
  using Map = std::unordered_map<uintptr_t, const std::type_info*>;

  // Addresses are kept disguised so that LeakSanitizer does not count the registry as a
  // reference: a handle the program forgot to release is then reported as a leak.
  static uintptr_t key(const void* h) {
    return reinterpret_cast<uintptr_t>(h) ^ uintptr_t { 0xa5a5a5a5a5a5a5a5u };
  }

  template <class H>
  void check_entry(Map::const_iterator it, const char* fn) const {
    if (it == live_.end())
      throw HandleError(std::string(fn) + ": not a live " + kind_name<H>() +
                        " handle (already released, or never created)");
    if (*it->second != typeid(H))
      throw HandleError(std::string(fn) + ": expected an " + kind_name<H>() + " handle, got another kind of handle");
  }

  mutable std::shared_mutex mu_;
  Map live_;
};

ortl_status set_error(ortl_status s, const char* msg) noexcept {
  try {
    t_last_error = msg;
  } catch (...) {
    t_last_error.clear();
  }
  return s;
}

ortl_status status_of(ErrorCode c) {
  switch (c) {
    case ErrorCode::kOk: return ORTL_OK;
    case ErrorCode::kInvalidArgument: return ORTL_INVALID_ARGUMENT;
    case ErrorCode::kInvalidModel: return ORTL_INVALID_MODEL;
    case ErrorCode::kNotImplemented: return ORTL_NOT_IMPLEMENTED;
    case ErrorCode::kOutOfMemory: return ORTL_OUT_OF_MEMORY;
    default: return ORTL_RUNTIME_ERROR;
  }
}

// Runs `body`, turning every exception into a status and this thread's message.
template <class F>
ortl_status guard(F&& body) noexcept {
  try {
    body();
    return ORTL_OK;
  } catch (const HandleError& e) {
    return set_error(ORTL_INVALID_HANDLE, e.what());
  } catch (const ort_lite::Exception& e) {
    return set_error(status_of(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return set_error(ORTL_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return set_error(ORTL_RUNTIME_ERROR, e.what());
  } catch (...) {
    return set_error(ORTL_RUNTIME_ERROR, "unknown error");
  }
}

[[noreturn]] void invalid(const std::string& msg) { throw ort_lite::Exception(ErrorCode::kInvalidArgument, msg); }

void need(const void* p, const char* fn, const char* what) {
  if (p == nullptr) invalid(std::string(fn) + ": " + what + " is NULL");
}

// Element size for the dtypes C callers can hand over as raw bytes (not string).
size_t c_dtype_size(int t) {
  if (t == ORTL_DTYPE_STRING || t == ORTL_DTYPE_UNDEFINED) return 0;
  return ort_lite::dtype_size(static_cast<DataType>(t));
}

std::string shape_text(const std::vector<int64_t>& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) r += ',';
    r += std::to_string(s[i]);
  }
  return r + "]";
}

// A view over a caller's ortl_tensor after checking dtype, shape and that byte_size covers it.
Tensor view_of(const ortl_tensor& t, const char* fn, const std::string& what) {
  const size_t esz = c_dtype_size(t.dtype);
  if (esz == 0)
    invalid(std::string(fn) + ": " + what + " has dtype " + std::to_string(static_cast<int>(t.dtype)) + " (" +
            ort_lite::dtype_name(static_cast<DataType>(t.dtype)) + "), which the C API cannot pass");
  if (t.rank > 0 && t.shape == nullptr)
    invalid(std::string(fn) + ": " + what + " has rank " + std::to_string(t.rank) + " but shape is NULL");
  if (t.rank > 64) invalid(std::string(fn) + ": " + what + " has rank " + std::to_string(t.rank) + " (at most 64)");
  std::vector<int64_t> shape(t.shape, t.shape + t.rank);
  size_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) invalid(std::string(fn) + ": " + what + " has a negative dimension in shape " + shape_text(shape));
    if (d != 0 && n > (SIZE_MAX / esz) / static_cast<size_t>(d))
      invalid(std::string(fn) + ": " + what + " shape " + shape_text(shape) + " is too large");
    n *= static_cast<size_t>(d);
  }
  const size_t bytes = n * esz;
  if (t.byte_size < bytes)
    invalid(std::string(fn) + ": " + what + " is " + ort_lite::dtype_name(static_cast<DataType>(t.dtype)) + " " +
            shape_text(shape) + ", which needs " + std::to_string(bytes) + " bytes, but byte_size is " +
            std::to_string(t.byte_size));
  if (bytes > 0 && t.data == nullptr) invalid(std::string(fn) + ": " + what + " has NULL data");
  return Tensor::view(static_cast<DataType>(t.dtype), std::move(shape), t.data);
}

ort_lite::NamedTensors bind_inputs(const char* fn, const char* const* names, const ortl_tensor* inputs, size_t count) {
  ort_lite::NamedTensors in;
  if (count == 0) return in;
  need(names, fn, "input_names");
  need(inputs, fn, "inputs");
  for (size_t i = 0; i < count; ++i) {
    if (names[i] == nullptr) invalid(std::string(fn) + ": input_names[" + std::to_string(i) + "] is NULL");
    in.emplace_back(names[i], view_of(inputs[i], fn, std::string("input '") + names[i] + "'"));
  }
  return in;
}

std::vector<std::string> output_list(const char* fn, const SessionState& s, const char* const* names, size_t count) {
  std::vector<std::string> out;
  if (count == 0) invalid(std::string(fn) + ": output_count is 0; ask for at least one output");
  if (names == nullptr) {
    if (count != s.session.outputs().size())
      invalid(std::string(fn) + ": output_names is NULL (all outputs) but output_count is " + std::to_string(count) +
              "; the model has " + std::to_string(s.session.outputs().size()) + " outputs");
    return out;  // empty: all outputs in graph order
  }
  for (size_t i = 0; i < count; ++i) {
    if (names[i] == nullptr) invalid(std::string(fn) + ": output_names[" + std::to_string(i) + "] is NULL");
    out.emplace_back(names[i]);
  }
  return out;
}

std::string output_name(const SessionState& s, const std::vector<std::string>& names, size_t i) {
  return names.empty() ? s.session.outputs()[i].name : names[i];
}

void fill_info(const ort_lite::ValueInfo& v, const std::vector<const char*>& dim_names, ortl_value_info* out) {
  ortl_value_info r;
  r.name = v.name.c_str();
  r.dtype = static_cast<ortl_dtype>(v.dtype);
  r.rank = v.has_shape ? static_cast<int64_t>(v.shape.size()) : -1;
  r.shape = v.has_shape ? v.shape.data() : nullptr;
  r.dim_names = v.has_shape ? dim_names.data() : nullptr;
  *out = r;
}

}  // namespace

extern "C" {

const char* ortl_version(void) { return ort_lite::version(); }

const char* ortl_last_error(void) { return t_last_error.c_str(); }

const char* ortl_status_string(ortl_status s) {
  switch (s) {
    case ORTL_OK: return "ORTL_OK";
    case ORTL_INVALID_ARGUMENT: return "ORTL_INVALID_ARGUMENT";
    case ORTL_INVALID_MODEL: return "ORTL_INVALID_MODEL";
    case ORTL_NOT_IMPLEMENTED: return "ORTL_NOT_IMPLEMENTED";
    case ORTL_OUT_OF_MEMORY: return "ORTL_OUT_OF_MEMORY";
    case ORTL_RUNTIME_ERROR: return "ORTL_RUNTIME_ERROR";
    case ORTL_INVALID_HANDLE: return "ORTL_INVALID_HANDLE";
  }
  return "unknown status";
}

const char* ortl_dtype_name(ortl_dtype t) { return ort_lite::dtype_name(static_cast<DataType>(t)); }

size_t ortl_dtype_size(ortl_dtype t) { return c_dtype_size(t); }

// ---- options ---------------------------------------------------------------------------------
ortl_status ortl_options_create(ortl_options** out) {
  return guard([&] {
    need(out, "ortl_options_create", "out");
    *out = Registry::get().add<ortl_options>(std::make_shared<ort_lite::SessionOptions>());
  });
}

ortl_status ortl_options_set_intra_op_threads(ortl_options* o, int threads) {
  return guard([&] {
    constexpr const char* fn = "ortl_options_set_intra_op_threads";
    auto p = Registry::get().find(o, fn);
    if (threads < 0) invalid(std::string(fn) + ": threads must be >= 0, got " + std::to_string(threads));
    p->intra_op_threads = threads;
  });
}

ortl_status ortl_options_set_optimization_level(ortl_options* o, int level) {
  return guard([&] {
    constexpr const char* fn = "ortl_options_set_optimization_level";
    auto p = Registry::get().find(o, fn);
    if (level < 0) invalid(std::string(fn) + ": level must be >= 0, got " + std::to_string(level));
    p->optimization_level = level;
  });
}

ortl_status ortl_options_set_verbose(ortl_options* o, int verbose) {
  return guard([&] { Registry::get().find(o, "ortl_options_set_verbose")->verbose = verbose != 0; });
}

ortl_status ortl_options_release(ortl_options* o) {
  return guard([&] {
    if (o) Registry::get().remove(o, "ortl_options_release");
  });
}

// ---- sessions --------------------------------------------------------------------------------
namespace {
ort_lite::SessionOptions options_of(const ortl_options* o, const char* fn) {
  return o ? *Registry::get().find(o, fn) : ort_lite::SessionOptions{};
}
}  // namespace

ortl_status ortl_session_create_from_path(const char* path, const ortl_options* options, ortl_session** out) {
  return guard([&] {
    constexpr const char* fn = "ortl_session_create_from_path";
    need(path, fn, "path");
    need(out, fn, "out");
    auto s = std::make_shared<SessionState>(ort_lite::Session(path, options_of(options, fn)));
    *out = Registry::get().add<ortl_session>(std::move(s));
  });
}

ortl_status ortl_session_create_from_buffer(const void* data, size_t size, const ortl_options* options,
                                            ortl_session** out) {
  return guard([&] {
    constexpr const char* fn = "ortl_session_create_from_buffer";
    need(data, fn, "data");
    need(out, fn, "out");
    if (size == 0) invalid(std::string(fn) + ": size is 0");
    auto s = std::make_shared<SessionState>(ort_lite::Session(data, size, options_of(options, fn)));
    *out = Registry::get().add<ortl_session>(std::move(s));
  });
}

ortl_status ortl_session_release(ortl_session* s) {
  return guard([&] {
    if (s) Registry::get().remove(s, "ortl_session_release");
  });
}

ortl_status ortl_session_input_count(const ortl_session* s, size_t* out) {
  return guard([&] {
    auto p = Registry::get().find(s, "ortl_session_input_count");
    need(out, "ortl_session_input_count", "out");
    *out = p->session.inputs().size();
  });
}

ortl_status ortl_session_output_count(const ortl_session* s, size_t* out) {
  return guard([&] {
    auto p = Registry::get().find(s, "ortl_session_output_count");
    need(out, "ortl_session_output_count", "out");
    *out = p->session.outputs().size();
  });
}

namespace {
ortl_status value_info(const ortl_session* s, size_t index, ortl_value_info* out, bool input) {
  return guard([&] {
    const char* fn = input ? "ortl_session_input_info" : "ortl_session_output_info";
    auto p = Registry::get().find(s, fn);
    need(out, fn, "out");
    const auto& infos = input ? p->session.inputs() : p->session.outputs();
    if (index >= infos.size())
      invalid(std::string(fn) + ": index " + std::to_string(index) + " is out of range; the model has " +
              std::to_string(infos.size()) + (input ? " inputs" : " outputs"));
    fill_info(infos[index], (input ? p->inputs : p->outputs)[index], out);
  });
}
}  // namespace

ortl_status ortl_session_input_info(const ortl_session* s, size_t index, ortl_value_info* out) {
  return value_info(s, index, out, true);
}

ortl_status ortl_session_output_info(const ortl_session* s, size_t index, ortl_value_info* out) {
  return value_info(s, index, out, false);
}

// ---- running ---------------------------------------------------------------------------------
ortl_status ortl_run(ortl_session* s, const char* const* input_names, const ortl_tensor* inputs, size_t input_count,
                     const char* const* output_names, size_t output_count, ortl_value** outputs) {
  return guard([&] {
    constexpr const char* fn = "ortl_run";
    auto p = Registry::get().find(s, fn);
    need(outputs, fn, "outputs");
    const ort_lite::NamedTensors in = bind_inputs(fn, input_names, inputs, input_count);
    const std::vector<std::string> names = output_list(fn, *p, output_names, output_count);
    std::vector<Tensor> res = p->session.run(in, names);
    for (size_t i = 0; i < res.size(); ++i)
      if (c_dtype_size(static_cast<int>(res[i].dtype())) == 0)
        throw ort_lite::Exception(ErrorCode::kNotImplemented,
                                  std::string(fn) + ": output '" + output_name(*p, names, i) + "' is a " +
                                      ort_lite::dtype_name(res[i].dtype()) + " tensor, which the C API cannot return");
    std::vector<ortl_value*> handles;
    try {
      for (Tensor& t : res) handles.push_back(Registry::get().add<ortl_value>(std::make_shared<Tensor>(std::move(t))));
    } catch (...) {
      for (ortl_value* h : handles) Registry::get().remove(h, fn);
      throw;
    }
    for (size_t i = 0; i < handles.size(); ++i) outputs[i] = handles[i];
  });
}

ortl_status ortl_run_into(ortl_session* s, const char* const* input_names, const ortl_tensor* inputs,
                          size_t input_count, const char* const* output_names, const ortl_tensor* outputs,
                          size_t output_count) {
  return guard([&] {
    constexpr const char* fn = "ortl_run_into";
    auto p = Registry::get().find(s, fn);
    const ort_lite::NamedTensors in = bind_inputs(fn, input_names, inputs, input_count);
    const std::vector<std::string> names = output_list(fn, *p, output_names, output_count);
    if (output_count > 0) need(outputs, fn, "outputs");
    std::vector<Tensor> dst;
    for (size_t i = 0; i < output_count; ++i)
      dst.push_back(view_of(outputs[i], fn, "output buffer '" + output_name(*p, names, i) + "'"));
    const std::vector<Tensor> res = p->session.run(in, names);
    for (size_t i = 0; i < res.size(); ++i) {
      if (res[i].dtype() != dst[i].dtype() || res[i].shape() != dst[i].shape())
        invalid(std::string(fn) + ": output '" + output_name(*p, names, i) + "' is " +
                ort_lite::dtype_name(res[i].dtype()) + " " + shape_text(res[i].shape()) +
                ", but the buffer given is for " + ort_lite::dtype_name(dst[i].dtype()) + " " +
                shape_text(dst[i].shape()));
    }
    for (size_t i = 0; i < res.size(); ++i)
      if (res[i].nbytes() > 0) std::memmove(dst[i].data(), res[i].data(), res[i].nbytes());
  });
}

// ---- values ----------------------------------------------------------------------------------
ortl_status ortl_value_get(const ortl_value* v, ortl_tensor* out) {
  return guard([&] {
    auto p = Registry::get().find(v, "ortl_value_get");
    need(out, "ortl_value_get", "out");
    const Tensor& t = *p;
    ortl_tensor r;
    r.dtype = static_cast<ortl_dtype>(t.dtype());
    r.shape = t.shape().data();
    r.rank = t.shape().size();
    r.data = const_cast<void*>(t.data());
    r.byte_size = t.nbytes();
    *out = r;
  });
}

ortl_status ortl_value_release(ortl_value* v) {
  return guard([&] {
    if (v) Registry::get().remove(v, "ortl_value_release");
  });
}

}  // extern "C"
