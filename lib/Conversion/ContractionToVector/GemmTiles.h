//===- GemmTiles.h - The register tiles of a packed GEMM block --*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The innermost loops of the packed GEMM (GemmEmitter.cpp): for each NR-wide
// column panel and MR-tall row panel of one packed block, the register-tile
// micro-kernel and its masked C update. They are most of a GEMM's code and
// depend only on the blocking, so they are one function per blocking,
// shared by every GEMM of the module: a module with six GEMMs compiles them
// once instead of six times (ein-vectorize-contractions inlines a function
// that one GEMM alone calls).
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_GEMMTILES_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_GEMMTILES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::ein {

/// Register blocking of one GEMM: `lanes` elements per vector, `nv` vectors
/// per tile row (NR = nv * lanes), MR tile rows; `rowsA`: A is packed by
/// rows (row r of a panel at r * pitch, a constant of the function), else
/// in MR-tall column panels.
struct TileShape {
  int64_t lanes, nv, mr;
  FloatType element;
  bool rowsA;
  int64_t pitch;
  /// Full tiles update C without masks (GemmTiling::sharedKernels).
  bool fullTilePath;
  /// C's columns in two runs: column n at (n / cColRun) * outer + n %
  /// cColRun, `outer` an extra last argument (0: contiguous columns).
  int64_t cColRun = 0;
};

/// Prefetch streams of a tile function call: ranges of the operands that
/// the next packing calls will read (A, B) and of C that the next tiles
/// will update (the third, fetched for writing), a few lines per tile
/// while the tiles compute (GemmEmitter.cpp).
constexpr int kPrefetchStreams = 3;

/// The tile function of `shape` in `module`, created at its end on first
/// use. Its arguments: the packed A and B, C (flat, unit stride), where the
/// block starts in C, C's row stride, the block's rows (mc), columns (nc)
/// and depth (kc), whether to store the tiles (the first depth block of
/// a zero-filled C) instead of adding them to C, then for each of the
/// kPrefetchStreams streams an operand (flat, any offset) and the range
/// [start, end) of its elements to prefetch (none when end <= start),
/// spread evenly over the call's tiles; with TileShape::cColRun, the outer
/// run's stride in C.
func::FuncOp getTilesFunction(ModuleOp module, const TileShape &shape);

/// The kernel functions' memref argument types: `memref<?xT>`, or with
/// `anyOffset` `memref<?xT, strided<[1], offset: ?>>` (a view of an
/// operand).
MemRefType flatMemRefType(Type element, bool anyOffset);

/// Calls the kernel function `fn` with `args`, memrefs cast to its argument
/// types.
void callKernel(OpBuilder &b, Location loc, func::FuncOp fn, ValueRange args);

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_GEMMTILES_H
