"""The speed-target set of issue #4: which models, their inputs and how long to time them.

The .onnx files come from tests/models/export_torch.py --targets (PyTorch 1.13 under Debian's
/usr/bin/python3, random seeded weights) into build/targets/; `ensure_exported` runs it for the
ones missing. bench/compare_ort.py --targets uses this module.

    ResNet-50, MobileNetV2, EfficientNet-B0   1x3x224x224 float
    SRCNN (bicubic Resize x3, 9-1-5 convs)    1x3x256x256 float -> 1x3x768x768
    YOLO-style detector (C2f, SPPF, PAN)      1x3x640x640 float -> 1x25200x85
    BERT-base (12 x 768, 12 heads, FFN 3072)  input_ids, attention_mask int64 1x128
"""
import os
import subprocess
import sys
import zlib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DIR = os.path.join(ROOT, "build", "targets")
EXPORTER = os.path.join(ROOT, "tests", "models", "export_torch.py")
TORCH_PY = os.environ.get("ORTL_TORCH_PYTHON", "/usr/bin/python3")

BERT_VOCAB = 30522

# name -> inputs [(name, dtype, shape)], default timed iterations per round, description
TARGETS = {
    "resnet50": ([("input", "float32", (1, 3, 224, 224))], 10, "ResNet-50 224x224"),
    "mobilenet_v2_224": ([("input", "float32", (1, 3, 224, 224))], 20, "MobileNetV2 224x224"),
    "efficientnet_b0_224": ([("input", "float32", (1, 3, 224, 224))], 20, "EfficientNet-B0 224x224"),
    "srcnn_x3_256": ([("input", "float32", (1, 3, 256, 256))], 3, "SRCNN 256x256 -> 768x768 (bicubic x3)"),
    "yolo_640": ([("input", "float32", (1, 3, 640, 640))], 5, "YOLO-style (C2f/SPPF/PAN) 640x640"),
    "bert_base_128": ([("input_ids", "int64", (1, 128)), ("attention_mask", "int64", (1, 128))], 5,
                      "BERT-base seq 128"),
}


def make_feeds(name):
    """Seeded inputs: N(0, 1) images, token ids in [0, vocab), an all-ones attention mask."""
    rng = np.random.default_rng(zlib.crc32(f"target/{name}".encode()))
    feeds = {}
    for inp, dtype, shape in TARGETS[name][0]:
        if inp == "input_ids":
            feeds[inp] = rng.integers(0, BERT_VOCAB, shape, dtype=np.int64)
        elif inp == "attention_mask":
            feeds[inp] = np.ones(shape, dtype=np.int64)
        else:
            feeds[inp] = rng.standard_normal(shape).astype(dtype)
    return feeds


def default_iters(name):
    return TARGETS[name][1]


def ensure_exported(models_dir, names):
    """Exports the targets missing from models_dir (a few minutes for all six)."""
    missing = [n for n in names if not os.path.exists(os.path.join(models_dir, n + ".onnx"))]
    if not missing:
        return
    env = dict(os.environ)
    deb = "/usr/lib/python3/dist-packages"  # Debian's torch needs Debian's numpy first (see gen_models.py)
    if TORCH_PY.startswith("/usr/bin/") and os.path.isdir(deb):
        env["PYTHONPATH"] = os.pathsep.join([deb] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    print(f"[targets] exporting {missing} into {models_dir}", file=sys.stderr, flush=True)
    subprocess.run([TORCH_PY, EXPORTER, "--targets", models_dir, *missing], check=True, env=env)
