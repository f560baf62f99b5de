//===- Emitter.h - Index arithmetic, loops and allocations ------*- C++ -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_EMITTER_H
#define EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_EMITTER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::ein {

/// Builds index arithmetic, loops and vector code at one insertion point.
struct Emitter {
  OpBuilder &b;
  Location loc;

  Value c(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  /// A prefetch of the line of `memref` at `indices` into L1, for reading
  /// or (`write`) for writing.
  void prefetch(Value memref, ValueRange indices, bool write = false) {
    memref::PrefetchOp::create(b, loc, memref, indices, write,
                               /*localityHint=*/3, /*isDataCache=*/true);
  }
  /// body(i) for i = 0, step, ... below the constant `extent` (a multiple
  /// of `step`): unrolled up to eight steps, else a loop.
  void steps(int64_t extent, int64_t step, function_ref<void(Value)> body) {
    if (extent > 8 * step) {
      loop(c(0), c(extent), c(step), body);
      return;
    }
    for (int64_t i = 0; i < extent; i += step)
      body(c(i));
  }
  /// The offset of index `x` of a group in two runs (GemmProblem.h): (x /
  /// run) * outer + (x % run) * inner, `inner` 1 when null.
  Value twoRuns(Value x, int64_t run, Value outer, Value inner = {}) {
    Value q = arith::DivSIOp::create(b, loc, x, c(run));
    Value r = arith::RemSIOp::create(b, loc, x, c(run));
    return add(mul(q, outer), inner ? mul(r, inner) : r);
  }
  Value lt(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, y);
  }

  /// for iv in [lb, ub) step: body(iv), with the builder inside the loop.
  void loop(Value lb, Value ub, Value step,
            function_ref<void(Value)> body) {
    auto forOp = scf::ForOp::create(b, loc, lb, ub, step);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(forOp.getBody()->getTerminator());
    body(forOp.getInductionVar());
  }
  void loop(Value ub, int64_t step, function_ref<void(Value)> body) {
    loop(c(0), ub, c(step), body);
  }
  /// scf.parallel over one dimension when `parallel`, else scf.for.
  void outerLoop(bool parallel, Value ub, Value step,
                 function_ref<void(Value)> body) {
    if (!parallel)
      return loop(c(0), ub, step, body);
    auto par = scf::ParallelOp::create(b, loc, ValueRange{c(0)},
                                       ValueRange{ub}, ValueRange{step});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(par.getBody()->getTerminator());
    body(par.getInductionVars()[0]);
  }
  void ifThen(Value cond, function_ref<void()> then,
              function_ref<void()> otherwise = nullptr) {
    auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/!!otherwise);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    then();
    if (otherwise) {
      b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
      otherwise();
    }
  }
  Value alloc(Type element, int64_t size) {
    auto type = MemRefType::get({size}, element);
    return memref::AllocOp::create(b, loc, type, ValueRange{},
                                   b.getI64IntegerAttr(64));
  }
};

/// Emitter plus the vector operations of one vector type (the kernels'
/// lanes of one element type).
struct VectorEmitter {
  Emitter e;
  VectorType vec;

  Value zeroVector() {
    return arith::ConstantOp::create(
        e.b, e.loc, vec,
        DenseElementsAttr::get(vec, e.b.getZeroAttr(vec.getElementType())));
  }
  /// The first min(max(count, 0), lanes) lanes.
  Value mask(Value count) {
    Value clamped = arith::MaxSIOp::create(e.b, e.loc, count, e.c(0));
    clamped = e.min(clamped, e.c(vec.getNumElements()));
    return vector::CreateMaskOp::create(
        e.b, e.loc, VectorType::get(vec.getShape(), e.b.getI1Type()),
        ValueRange{clamped});
  }
  Value load(Value memref, Value at) {
    return vector::LoadOp::create(e.b, e.loc, vec, memref, ValueRange{at});
  }
  /// Masked-off lanes read as zero.
  Value maskedLoad(Value memref, Value at, Value m) {
    return vector::MaskedLoadOp::create(e.b, e.loc, vec, memref,
                                        ValueRange{at}, m, zeroVector());
  }
  /// The vector at memref[at]; masked when `m` is not null (a vector's
  /// last lanes), its masked-off lanes read as zero.
  Value loadMasked(Value memref, ValueRange at, Value m) {
    if (!m)
      return vector::LoadOp::create(e.b, e.loc, vec, memref, at);
    return vector::MaskedLoadOp::create(e.b, e.loc, vec, memref, at, m,
                                        zeroVector());
  }
  /// Stores `value` at memref[at], only the lanes of `m` when it is not null.
  void storeMasked(Value value, Value memref, ValueRange at, Value m) {
    if (m)
      vector::MaskedStoreOp::create(e.b, e.loc, memref, at, m, value);
    else
      vector::StoreOp::create(e.b, e.loc, value, memref, at);
  }
  /// Elements from memref[indices] to the next boundary of a vector's size
  /// (0 when it is on one; always fewer than the lanes, so that one masked
  /// vector covers them). Streams read from there on in aligned vectors,
  /// none of which spans two cache lines: NumPy's large arrays start 16
  /// bytes past a page, and unaligned 64-byte loads halve the bandwidth of
  /// a one-pass sum.
  /// Streams at least this many elements long (or of dynamic length) peel.
  static constexpr int64_t kPeelMin = 256;
  static bool worthPeeling(int64_t staticLength) {
    return ShapedType::isDynamic(staticLength) || staticLength >= kPeelMin;
  }
  /// rows (lanes vectors of lanes elements, lanes a power of two) becomes
  /// its transpose. Where the vectors are whole 128-bit lanes (x86's
  /// layout), in the stages x86 has single instructions for: rows i and
  /// i+d (i & d == 0; d = 1, 2, ...) interleave their elements, then pairs
  /// of elements, within each 128-bit lane (unpck*ps/pd), then take the
  /// even and the odd 128-bit lanes of both (shuf*32x4), and the results
  /// are reordered (no instruction: the registers are renamed). A 2048²
  /// f32 transpose ran in 1.62 instead of 1.78 ms with these rather than
  /// two-source permutes (vpermt2ps/pd). Otherwise, for d = lanes/2 ..
  /// 1, rows i and i+d swap their off-diagonal d x d blocks.
  void transposeInRegisters(SmallVectorImpl<Value> &rows) {
    if (transposeByLanes(rows))
      return;
    int64_t lanes = rows.size();
    for (int64_t d = lanes / 2; d >= 1; d /= 2) {
      SmallVector<int64_t> low, high;
      for (int64_t j = 0; j < lanes; ++j) {
        low.push_back((j & d) ? lanes + j - d : j);
        high.push_back((j & d) ? lanes + j : j + d);
      }
      for (int64_t i = 0; i < lanes; ++i) {
        if (i & d)
          continue;
        Value a = rows[i], b = rows[i + d];
        rows[i] = vector::ShuffleOp::create(e.b, e.loc, a, b, low);
        rows[i + d] = vector::ShuffleOp::create(e.b, e.loc, a, b, high);
      }
    }
  }
  /// transposeInRegisters' 128-bit-lane stages; false (nothing emitted)
  /// where they do not apply. The stages are planned on element positions
  /// first, and used only if they make the transpose.
  bool transposeByLanes(SmallVectorImpl<Value> &rows) {
    int64_t lanes = rows.size();
    int64_t bits = vec.getElementTypeBitWidth();
    if (lanes < 2 || (lanes & (lanes - 1)) || 128 % bits ||
        lanes * bits % 128)
      return false;
    int64_t perLane = 128 / bits, laneCount = lanes / perLane;
    if (perLane < 2 || laneCount & (laneCount - 1))
      return false;
    // Stage masks over a ++ b (b's elements from `lanes` on).
    SmallVector<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>> stages;
    for (int64_t g = 1; g < perLane; g *= 2) {
      SmallVector<int64_t> low, high;
      for (int64_t l = 0; l < laneCount; ++l)
        for (int64_t k = 0; k < perLane / (2 * g); ++k)
          for (int64_t src : {int64_t(0), lanes})
            for (int64_t x = 0; x < g; ++x) {
              low.push_back(src + l * perLane + k * g + x);
              high.push_back(src + l * perLane + perLane / 2 + k * g + x);
            }
      stages.push_back({low, high});
    }
    for (int64_t n = 1; n < laneCount; n *= 2) {
      SmallVector<int64_t> low, high;
      for (int64_t src : {int64_t(0), lanes})
        for (int64_t k = 0; k < laneCount / 2; ++k)
          for (int64_t x = 0; x < perLane; ++x) {
            low.push_back(src + 2 * k * perLane + x);
            high.push_back(src + (2 * k + 1) * perLane + x);
          }
      stages.push_back({low, high});
    }
    // Where each (row, column) element ends up: row r column c is r * lanes
    // + c; register i must end as column order[i]'s elements in row order.
    SmallVector<SmallVector<int64_t>> plan(lanes);
    for (int64_t r = 0; r < lanes; ++r)
      for (int64_t c = 0; c < lanes; ++c)
        plan[r].push_back(r * lanes + c);
    auto apply = [&](auto &regs, auto shuffle) {
      int64_t d = 1;
      for (auto &[low, high] : stages) {
        for (int64_t i = 0; i < lanes; ++i) {
          if (i & d)
            continue;
          auto [x, y] = shuffle(regs[i], regs[i + d], low, high);
          regs[i] = x;
          regs[i + d] = y;
        }
        d *= 2;
      }
    };
    apply(plan, [&](const SmallVector<int64_t> &a,
                    const SmallVector<int64_t> &b, ArrayRef<int64_t> low,
                    ArrayRef<int64_t> high) {
      auto pick = [&](ArrayRef<int64_t> mask) {
        SmallVector<int64_t> out;
        for (int64_t m : mask)
          out.push_back(m < lanes ? a[m] : b[m - lanes]);
        return out;
      };
      return std::make_pair(pick(low), pick(high));
    });
    SmallVector<int64_t> registerOf(lanes, -1);
    for (int64_t i = 0; i < lanes; ++i) {
      int64_t column = plan[i][0] % lanes;
      for (int64_t r = 0; r < lanes; ++r)
        if (plan[i][r] != r * lanes + column)
          return false;
      registerOf[column] = i;
    }
    apply(rows, [&](Value a, Value b, ArrayRef<int64_t> low,
                    ArrayRef<int64_t> high) {
      return std::make_pair(
          Value(vector::ShuffleOp::create(e.b, e.loc, a, b, low)),
          Value(vector::ShuffleOp::create(e.b, e.loc, a, b, high)));
    });
    SmallVector<Value> ordered;
    for (int64_t c = 0; c < lanes; ++c)
      ordered.push_back(rows[registerOf[c]]);
    rows.assign(ordered.begin(), ordered.end());
    return true;
  }
  /// The elements from `indices` of `memref` up to the next multiple of the
  /// vector's size in bytes, or of 64 bytes for wider vectors (fewer than
  /// the vector's lanes).
  Value elementsToAlignment(Value memref, ValueRange indices) {
    auto meta = memref::ExtractStridedMetadataOp::create(e.b, e.loc, memref);
    Value linear = meta.getOffset();
    for (auto [index, stride] : llvm::zip_equal(indices, meta.getStrides()))
      linear = e.add(linear, e.mul(index, stride));
    int64_t bytes = vec.getElementTypeBitWidth() / 8;
    // A cache line at most: a wider vector (several registers) gains
    // nothing from a larger alignment, and its head would grow.
    int64_t vectorBytes = std::min<int64_t>(vec.getNumElements() * bytes, 64);
    Value address = e.add(
        memref::ExtractAlignedPointerAsIndexOp::create(e.b, e.loc, memref),
        e.mul(linear, e.c(bytes)));
    Value past = arith::AndIOp::create(e.b, e.loc, e.sub(e.c(0), address),
                                       e.c(vectorBytes - 1));
    return arith::DivUIOp::create(e.b, e.loc, past, e.c(bytes));
  }
};

} // namespace mlir::ein

#endif // EIN_LIB_CONVERSION_CONTRACTIONTOVECTOR_EMITTER_H
