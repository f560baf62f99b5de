//===- Npy.h - NumPy .npy arrays --------------------------------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Reads and writes NumPy's .npy format (versions 1.0, 2.0 and 3.0) for
// little-endian float32 and float64 arrays. Fortran-order files are read and
// transposed into C order. Every malformed file gives a one-line error naming
// the file, what was expected and what was found.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_RUNNER_NPY_H
#define EIN_RUNNER_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::ein {

enum class DType { F32, F64 };

/// "float32" / "float64".
llvm::StringRef dtypeName(DType dtype);
inline size_t dtypeSize(DType dtype) { return dtype == DType::F32 ? 4 : 8; }

/// A dense C-order host array.
struct HostArray {
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t, 4> shape;
  std::vector<char> data;

  int64_t numElements() const;
  double get(size_t i) const;
  void set(size_t i, double value);
  /// A copy converted to `dtype`.
  HostArray as(DType dtype) const;
  /// `(2, 3)` as numpy prints shapes.
  std::string shapeString() const;
};

/// Builds an array of `shape` filled with zeros; fails if the size
/// overflows.
llvm::Expected<HostArray> makeArray(DType dtype, llvm::ArrayRef<int64_t> shape);

/// Parses the bytes of a .npy file; `name` is used in messages.
llvm::Expected<HostArray> parseNpy(llvm::StringRef bytes, llvm::StringRef name);
/// Reads a .npy file.
llvm::Expected<HostArray> readNpy(llvm::StringRef path);
/// The .npy (version 1.0) bytes of `array`.
std::string serializeNpy(const HostArray &array);
/// Writes every (path, array) pair, all or nothing: each goes to a temporary
/// file beside its destination and is renamed only when all were written.
llvm::Error
writeNpyFiles(llvm::ArrayRef<std::pair<std::string, const HostArray *>> files);

} // namespace mlir::ein

#endif // EIN_RUNNER_NPY_H
