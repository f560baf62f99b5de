//===- DeviceBuffers.cpp - The ein-gpu-device-buffers pass ----------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::ein {
#define GEN_PASS_DEF_GPUDEVICEBUFFERS
#include "ein/Conversion/Passes.h.inc"
} // namespace mlir::ein

using namespace mlir;
using namespace mlir::ein;

/// The dynamic sizes of a buffer shaped like `value` (identity layout).
static SmallVector<Value> dynamicSizes(OpBuilder &b, Location loc,
                                       Value value) {
  auto type = cast<MemRefType>(value.getType());
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(memref::DimOp::create(b, loc, value, d));
  return sizes;
}

// gpu-to-llvm lowers device allocations, frees and copies only in their
// async form: each is issued on a stream (gpu.wait async) and waited for.

static Value newStream(OpBuilder &b, Location loc) {
  return gpu::WaitOp::create(b, loc, gpu::AsyncTokenType::get(b.getContext()),
                             ValueRange())
      .getAsyncToken();
}

static void waitFor(OpBuilder &b, Location loc, Value token) {
  gpu::WaitOp::create(b, loc, Type(), ValueRange{token});
}

static Value deviceAlloc(OpBuilder &b, Location loc, MemRefType type,
                         ValueRange sizes) {
  auto alloc = gpu::AllocOp::create(
      b, loc, type, gpu::AsyncTokenType::get(b.getContext()),
      ValueRange{newStream(b, loc)}, sizes, ValueRange());
  waitFor(b, loc, alloc.getAsyncToken());
  return alloc.getMemref();
}

static void deviceFree(OpBuilder &b, Location loc, Value buffer) {
  auto free = gpu::DeallocOp::create(
      b, loc, gpu::AsyncTokenType::get(b.getContext()),
      ValueRange{newStream(b, loc)}, buffer);
  waitFor(b, loc, free.getAsyncToken());
}

static void deviceCopy(OpBuilder &b, Location loc, Value to, Value from) {
  auto copy = gpu::MemcpyOp::create(
      b, loc, gpu::AsyncTokenType::get(b.getContext()),
      ValueRange{newStream(b, loc)}, to, from);
  waitFor(b, loc, copy.getAsyncToken());
}

/// Buffers of non-float elements (index shapes for memref.reshape) stay on
/// the host: ein computes only on floats, and their readers are host code.
static bool isHostBuffer(Value buffer) {
  return !isa<FloatType>(cast<MemRefType>(buffer.getType()).getElementType());
}

static MemRefType identityType(MemRefType type) {
  return MemRefType::get(type.getShape(), type.getElementType());
}

/// A device buffer holding a copy of host buffer `value`, which replaces
/// it in all its uses so far.
static Value copyToDevice(OpBuilder &b, Location loc, Value value) {
  SmallVector<OpOperand *> uses;
  for (OpOperand &use : value.getUses())
    uses.push_back(&use);
  auto type = identityType(cast<MemRefType>(value.getType()));
  Value device = deviceAlloc(b, loc, type, dynamicSizes(b, loc, value));
  deviceCopy(b, loc, device, value);
  for (OpOperand *use : uses)
    use->set(device);
  return device;
}

/// The last op of `block` that uses `buffer` or a view of it (null: none).
static Operation *lastUse(Block &block, Value buffer) {
  Operation *last = nullptr;
  SmallVector<Value> work{buffer};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = block.findAncestorOpInBlock(*use.getOwner());
      if (!user)
        continue;
      if (!last || last->isBeforeInBlock(user))
        last = user;
      if (auto view = dyn_cast<ViewLikeOpInterface>(use.getOwner()))
        if (view.getViewSource() == v)
          work.push_back(view->getResult(0));
    }
  }
  return last;
}

/// Puts `b` after the last use of `buffer` in `block`, or before `ret`
/// when nothing but the return uses it (compiled code waits for every
/// kernel and copy, so freeing there is safe).
static void setAfterLastUse(OpBuilder &b, Block &block, Value buffer,
                            Operation *ret) {
  Operation *last = lastUse(block, buffer);
  if (!last || last == ret)
    b.setInsertionPoint(ret);
  else
    b.setInsertionPointAfter(last);
}

namespace {
struct GpuDeviceBuffersPass
    : ein::impl::GpuDeviceBuffersBase<GpuDeviceBuffersPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (!func.getBody().hasOneBlock()) {
      func.emitError() << "ein-gpu-device-buffers: functions with several "
                          "blocks are not supported on the GPU";
      return signalPassFailure();
    }
    Block &body = func.getBody().front();
    WalkResult nested = func.walk([&](Operation *op) {
      if (isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp,
              memref::GetGlobalOp>(op) &&
          op->getBlock() != &body) {
        op->emitError() << "ein-gpu-device-buffers: '" << op->getName()
                        << "' inside a region is not supported on the GPU";
        return WalkResult::interrupt();
      }
      if (isa<func::CallOp>(op)) {
        op->emitError() << "ein-gpu-device-buffers: calls are not supported "
                           "on the GPU (inline them first)";
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (nested.wasInterrupted())
      return signalPassFailure();

    OpBuilder b(&getContext());
    // Buffers the function frees itself: copies of arguments and globals,
    // and its allocations.
    SmallVector<Value> owned, hostOwned;
    b.setInsertionPointToStart(&body);
    for (BlockArgument arg : body.getArguments()) {
      if (!isa<MemRefType>(arg.getType()) || arg.use_empty())
        continue;
      owned.push_back(copyToDevice(b, arg.getLoc(), arg));
    }
    for (Operation &op : llvm::make_early_inc_range(body)) {
      b.setInsertionPoint(&op);
      Location loc = op.getLoc();
      if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
        b.setInsertionPointAfter(global);
        owned.push_back(copyToDevice(b, loc, global.getResult()));
      } else if (isa<memref::AllocOp, memref::AllocaOp>(op) &&
                 !isHostBuffer(op.getResult(0))) {
        auto type = cast<MemRefType>(op.getResult(0).getType());
        if (!type.getLayout().isIdentity() || type.getMemorySpace()) {
          op.emitError() << "ein-gpu-device-buffers: cannot place " << type
                         << " on the GPU";
          return signalPassFailure();
        }
        Value device = deviceAlloc(b, loc, type, op.getOperands());
        op.getResult(0).replaceAllUsesWith(device);
        op.erase();
        owned.push_back(device);
      } else if (isa<memref::DeallocOp>(op)) {
        op.erase(); // frees are placed below
      } else if (auto reshape = dyn_cast<memref::ReshapeOp>(op)) {
        // MLIR's LLVM lowering of memref.reshape fails on device buffers:
        // read the shape on the host and reinterpret the (contiguous)
        // source instead.
        auto type = cast<MemRefType>(reshape.getType());
        int64_t rank = type.getRank();
        SmallVector<OpFoldResult> sizes(rank), strides(rank);
        Value stride = arith::ConstantIndexOp::create(b, loc, 1);
        for (int64_t d = rank - 1; d >= 0; --d) {
          Value size = memref::LoadOp::create(
              b, loc, reshape.getShape(),
              ValueRange{arith::ConstantIndexOp::create(b, loc, d)});
          if (!type.isDynamicDim(d))
            size = arith::ConstantIndexOp::create(b, loc, type.getDimSize(d));
          sizes[d] = size;
          strides[d] = stride;
          stride = arith::MulIOp::create(b, loc, stride, size);
        }
        Value view = memref::ReinterpretCastOp::create(
            b, loc, reshape.getSource(), b.getIndexAttr(0), sizes, strides);
        Value cast = memref::CastOp::create(b, loc, type, view);
        reshape.getResult().replaceAllUsesWith(cast);
        op.erase();
      } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        auto source = cast<MemRefType>(copy.getSource().getType());
        auto target = cast<MemRefType>(copy.getTarget().getType());
        if (source.getLayout().isIdentity() &&
            target.getLayout().isIdentity())
          deviceCopy(b, loc, copy.getTarget(), copy.getSource());
        else
          linalg::CopyOp::create(b, loc, copy.getSource(), copy.getTarget());
        op.erase();
      }
    }

    // Host buffers allocated so far are the function's own (result buffers
    // below belong to the caller).
    for (Operation &op : body)
      if (isa<memref::AllocOp>(op))
        hostOwned.push_back(op.getResult(0));

    // Results: copied out into new host buffers at each return.
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    b.setInsertionPoint(ret);
    Location loc = ret.getLoc();
    SmallVector<Value> temporaries;
    for (OpOperand &operand : ret->getOpOperands()) {
      Value value = operand.get();
      auto type = dyn_cast<MemRefType>(value.getType());
      if (!type)
        continue;
      Value source = value;
      if (!type.getLayout().isIdentity()) {
        source = deviceAlloc(b, loc, identityType(type),
                             dynamicSizes(b, loc, value));
        linalg::CopyOp::create(b, loc, value, source);
        temporaries.push_back(source);
      }
      Value host = memref::AllocOp::create(b, loc, identityType(type),
                                           dynamicSizes(b, loc, value),
                                           b.getI64IntegerAttr(64));
      deviceCopy(b, loc, host, source);
      if (host.getType() != value.getType())
        host = memref::CastOp::create(b, loc, type, host);
      operand.set(host);
    }
    for (Value t : temporaries)
      deviceFree(b, loc, t);

    // Index and integer buffers (shapes for memref.reshape) stay on the
    // host, where the reshape reads them.
    for (Value buffer : hostOwned) {
      setAfterLastUse(b, body, buffer, ret);
      memref::DeallocOp::create(b, buffer.getLoc(), buffer);
    }
    // Device buffers: copies of arguments and globals, allocations.
    for (Value buffer : owned) {
      setAfterLastUse(b, body, buffer, ret);
      deviceFree(b, buffer.getLoc(), buffer);
    }
  }
};
} // namespace
