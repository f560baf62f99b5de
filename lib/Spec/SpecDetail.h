//===- SpecDetail.h - Internals shared by the spec library ------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_SPEC_SPECDETAIL_H
#define EIN_LIB_SPEC_SPECDETAIL_H

#include "ein/Spec/SpecError.h"

#include "llvm/ADT/Twine.h"

namespace mlir::ein::detail {

/// The 1-based column of every axis: one row per input term, then the
/// output's row (empty for an implicit output).
using AxisColumns = llvm::SmallVector<llvm::SmallVector<unsigned, 4>, 4>;

/// Builds `invalid einsum spec 'TEXT': WHAT`, escaping unprintable bytes.
llvm::Error makeSpecError(SpecError::Kind kind, llvm::StringRef text,
                          std::optional<unsigned> column,
                          const llvm::Twine &what);

/// The structural rules of verifySpec; `columns` (may be null) lets errors
/// name the column of the offending axis.
llvm::Error checkStructure(const Spec &spec, llvm::StringRef text,
                           const AxisColumns *columns);

/// `'c'` for a text label, `#N` otherwise.
std::string quoteLabel(Label label);

} // namespace mlir::ein::detail

#endif // EIN_LIB_SPEC_SPECDETAIL_H
