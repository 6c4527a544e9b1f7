"""ort-lite for Python: onnxruntime's everyday API over the ort-lite runtime.

Swapping the import is enough for the common script::

    import ort_lite as ort            # was: import onnxruntime as ort
    sess = ort.InferenceSession("model.onnx", providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    (y,) = sess.run(None, {name: x})

Inputs that are C-contiguous numpy arrays of the model's dtype are read in place (no copy);
outputs are numpy arrays over the runtime's own buffers (no copy either). A session may be run
from several threads at once: runs release the GIL.
"""
import enum
import os
import warnings

import numpy as np

from . import _ort_lite

__version__ = _ort_lite.version()
__all__ = [
    "InferenceSession", "SessionOptions", "RunOptions", "NodeArg", "GraphOptimizationLevel",
    "ExecutionMode", "get_available_providers", "get_all_providers", "get_device", "get_version_string",
    "OrtLiteError", "InvalidArgument", "InvalidGraph", "NoSuchFile", "NotImplemented", "RuntimeException",
    "OutOfMemory",
]

_CPU = "CPUExecutionProvider"


# ---- errors: one class per runtime ErrorCode, named like onnxruntime's --------------------
class OrtLiteError(RuntimeError):
    """Base of every error the runtime raises; the message names the file, node and op."""


class InvalidArgument(OrtLiteError, ValueError):
    """Bad input: unknown or missing input name, wrong dtype or shape."""


class InvalidGraph(OrtLiteError):
    """A malformed or inconsistent model."""


InvalidProtobuf = InvalidGraph


class NoSuchFile(OrtLiteError, FileNotFoundError):
    """The model file does not exist."""


class NotImplemented(OrtLiteError, NotImplementedError):  # noqa: A001 (onnxruntime's name)
    """An op, attribute or dtype ort-lite does not support."""


class OutOfMemory(OrtLiteError, MemoryError):
    """A tensor too large to allocate."""


class RuntimeException(OrtLiteError):
    """Anything else raised while running."""


Fail = RuntimeException

# ErrorCode values (include/ort_lite/tensor.hpp) -> class
_ort_lite._set_error_classes({1: InvalidArgument, 2: InvalidGraph, 3: NotImplemented, 4: OutOfMemory,
                              5: RuntimeException})


# ---- options ----------------------------------------------------------------------------
class GraphOptimizationLevel(enum.IntEnum):
    ORT_DISABLE_ALL = 0
    ORT_ENABLE_BASIC = 1
    ORT_ENABLE_EXTENDED = 2
    ORT_ENABLE_LAYOUT = 3
    ORT_ENABLE_ALL = 99


class ExecutionMode(enum.IntEnum):
    ORT_SEQUENTIAL = 0
    ORT_PARALLEL = 1


class SessionOptions:
    """onnxruntime.SessionOptions. ort-lite uses intra_op_num_threads (0: one per core),
    graph_optimization_level (ORT_DISABLE_ALL runs the graph as written, BASIC and EXTENDED fold
    and fuse, LAYOUT and ALL also run conv chains in the blocked channel layout) and log_severity_level (0 prints each node's chosen kernel); the other fields are
    accepted and kept so scripts that set them run unchanged."""

    def __init__(self):
        self.intra_op_num_threads = 0
        self.inter_op_num_threads = 0
        self.graph_optimization_level = GraphOptimizationLevel.ORT_ENABLE_ALL
        self.execution_mode = ExecutionMode.ORT_SEQUENTIAL
        self.log_severity_level = -1
        self.log_verbosity_level = 0
        self.logid = ""
        self.enable_profiling = False
        self.profile_file_prefix = "onnxruntime_profile_"
        self.enable_cpu_mem_arena = True
        self.enable_mem_pattern = True
        self.enable_mem_reuse = True
        self.use_deterministic_compute = False
        self.optimized_model_filepath = ""
        self._config = {}

    def add_session_config_entry(self, key, value):
        self._config[str(key)] = str(value)

    def get_session_config_entry(self, key):
        return self._config[key]


class RunOptions:
    """onnxruntime.RunOptions: accepted, nothing in it changes an ort-lite run."""

    def __init__(self):
        self.log_severity_level = -1
        self.log_verbosity_level = 0
        self.logid = ""
        self.terminate = False
        self.only_execute_path_to_fetches = False
        self._config = {}

    def add_run_config_entry(self, key, value):
        self._config[str(key)] = str(value)

    def get_run_config_entry(self, key):
        return self._config[key]


def get_available_providers():
    return [_CPU]


def get_all_providers():
    return [_CPU]


def get_device():
    return "CPU"


def get_version_string():
    return __version__


# ---- sessions ---------------------------------------------------------------------------
class NodeArg:
    """A graph input or output: name, type ('tensor(float)') and shape, whose dims are ints,
    symbol strings ('batch'), or None when neither is known ([] when the rank is unknown)."""

    __slots__ = ("name", "type", "shape")

    def __init__(self, name, type, shape):  # noqa: A002 (onnxruntime's name)
        self.name = name
        self.type = type
        self.shape = shape

    def __repr__(self):
        return f"NodeArg(name={self.name!r}, type={self.type!r}, shape={self.shape!r})"

    __str__ = __repr__


def _node_arg(info):
    name, dtype, has_shape, dims, symbols = info
    shape = []
    if has_shape:
        shape = [d if d >= 0 else (s if s else None) for d, s in zip(dims, symbols)]
    return NodeArg(name, f"tensor({dtype})", shape)


def _provider_names(providers):
    names = []
    for p in providers or []:
        names.append(p[0] if isinstance(p, (tuple, list)) else p)
    for n in names:
        if n != _CPU:
            warnings.warn(f"Specified provider '{n}' is not in available provider names."
                          f"Available providers: '{_CPU}'")
    return [_CPU]


def _as_input(name, value):
    # Zero-copy when already C-contiguous and aligned (np.require returns the same array).
    a = np.asarray(value)
    if a.dtype.kind in "OUS":
        return a
    return np.require(a, requirements=("C_CONTIGUOUS", "ALIGNED"))


class InferenceSession:
    """onnxruntime.InferenceSession over ort-lite: a model path (str or os.PathLike) or the
    model's bytes, optional SessionOptions, and providers (only CPUExecutionProvider exists;
    others are warned about and CPU is used, as onnxruntime does)."""

    def __init__(self, path_or_bytes, sess_options=None, providers=None, provider_options=None, **kwargs):
        self._sess_options = sess_options if sess_options is not None else SessionOptions()
        self._providers = _provider_names(providers)
        o = self._sess_options
        threads = int(o.intra_op_num_threads or 0)
        # ORT's layout level and above include the blocked channel layout (ort-lite level 2).
        gl = int(o.graph_optimization_level)
        level = 0 if gl == GraphOptimizationLevel.ORT_DISABLE_ALL else (2 if gl >= GraphOptimizationLevel.ORT_ENABLE_LAYOUT else 1)
        verbose = int(o.log_severity_level) == 0
        if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
            self._model_path = None
            self._model_bytes = bytes(path_or_bytes)
            self._sess = _ort_lite._load_bytes(self._model_bytes, threads, level, verbose)
        elif isinstance(path_or_bytes, (str, os.PathLike)):
            self._model_path = os.fspath(path_or_bytes)
            self._model_bytes = None
            if not os.path.exists(self._model_path):
                raise NoSuchFile(f"Load model from {self._model_path} failed: file doesn't exist")
            self._sess = _ort_lite._load_path(self._model_path, threads, level, verbose)
        else:
            raise TypeError(f"Unable to load from type '{type(path_or_bytes)}'")
        self._inputs = [_node_arg(i) for i in self._sess.inputs()]
        self._outputs = [_node_arg(i) for i in self._sess.outputs()]

    def get_inputs(self):
        return list(self._inputs)

    def get_outputs(self):
        return list(self._outputs)

    def get_overridable_initializers(self):
        return []

    def get_providers(self):
        return list(self._providers)

    def get_provider_options(self):
        return {_CPU: {}}

    def set_providers(self, providers=None, provider_options=None):
        self._providers = _provider_names(providers)

    def get_session_options(self):
        return self._sess_options

    def disable_fallback(self):
        pass

    def enable_fallback(self):
        pass

    def run(self, output_names, input_feed, run_options=None):
        """Runs the model: output_names None or [] for all outputs in graph order, input_feed a
        dict of input name -> numpy array (or anything np.asarray takes). Returns a list of
        numpy arrays."""
        if not isinstance(input_feed, dict):
            raise TypeError("input_feed must be a dict of input name -> array")
        feed = [(str(k), _as_input(k, v)) for k, v in input_feed.items()]
        return self._sess.run(list(output_names or []), feed)
