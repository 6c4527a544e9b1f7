// Builder declarations of every op family, for the list in opset/ops.cc.
#pragma once

#include "opset/conv/conv.h"
#include "opset/linalg/linalg.h"
#include "opset/math/math.h"
#include "opset/nn/nn.h"
#include "opset/pool/pool.h"
#include "opset/reduce/reduce.h"
#include "opset/resize/resize.h"
#include "opset/tensor/tensor.h"
#include "opset/quant/quant.h"
#include "opset/attention/attention.h"
#include "opset/loss/loss.h"
#include "opset/control/control.h"
#include "opset/vision/vision.h"
#include "opset/signal/signal.h"
#include "opset/rnn/rnn.h"
#include "opset/text/text.h"
