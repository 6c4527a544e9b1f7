// NumPy .npy files (format versions 1-3, little-endian, C order) to and from Tensors. Debian has
// no packaged npy library, and the format is one header line plus raw data.
#pragma once

#include <string>

#include "graph/common.h"

namespace ortl::tools {

Tensor load_npy(const std::string& path);
void save_npy(const Tensor& t, const std::string& path);

}  // namespace ortl::tools
