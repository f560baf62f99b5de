//===- AllocaScopes.cpp - The ein-inline-alloca-scopes pass ---------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// convert-scf-to-openmp wraps every parallel loop body in a
// memref.alloca_scope, and canonicalization inlines it again only when
// nothing inside may allocate on the stack; a call counts as such an op
// (it has no memory effects interface). But a callee's stack is gone when it
// returns: only allocas of the body itself need the scope. A body that
// calls the GEMM's shared tile function (GemmTiles.h) kept its scope, which
// convert-scf-to-cf then left with several blocks (invalid).
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::ein {
#define GEN_PASS_DEF_INLINEALLOCASCOPES
#include "ein/Conversion/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

/// True if `op`, or an op nested in it outside inner allocation scopes,
/// allocates on the stack.
static bool allocatesOnStack(memref::AllocaScopeOp scope) {
  return scope
      ->walk<WalkOrder::PreOrder>([&](Operation *op) {
        if (op == scope.getOperation())
          return WalkResult::advance();
        if (op->hasTrait<OpTrait::AutomaticAllocationScope>())
          return WalkResult::skip();
        auto effects = dyn_cast<MemoryEffectOpInterface>(op);
        if (effects && (effects.hasEffect<MemoryEffects::Allocate>()))
          return isa<memref::AllocOp>(op) ? WalkResult::advance()
                                           : WalkResult::interrupt();
        return WalkResult::advance();
      })
      .wasInterrupted();
}

namespace {
struct InlineAllocaScopesPass
    : ein::impl::InlineAllocaScopesBase<InlineAllocaScopesPass> {
  void runOnOperation() override {
    SmallVector<memref::AllocaScopeOp> scopes;
    getOperation()->walk(
        [&](memref::AllocaScopeOp op) { scopes.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (memref::AllocaScopeOp scope : scopes) {
      if (scope->getNumResults() != 0 || allocatesOnStack(scope))
        continue;
      Block *body = &scope.getBodyRegion().front();
      rewriter.eraseOp(body->getTerminator());
      rewriter.inlineBlockBefore(body, scope);
      rewriter.eraseOp(scope);
    }
  }
};
} // namespace
