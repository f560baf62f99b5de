//===- GemmProblem.cpp - A contraction seen as a batched GEMM -------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "GemmProblem.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::ein;

/// Positions of each loop dimension in an operand (-1 where absent).
static SmallVector<int64_t> positionsOf(AffineMap map, unsigned numLoops) {
  SmallVector<int64_t> pos(numLoops, -1);
  for (auto [i, expr] : llvm::enumerate(map.getResults()))
    pos[cast<AffineDimExpr>(expr).getPosition()] = i;
  return pos;
}

/// `dims` sorted by their position in the operand with positions `pos`.
static SmallVector<unsigned> orderedBy(ArrayRef<int64_t> pos,
                                       ArrayRef<unsigned> dims) {
  SmallVector<unsigned> sorted(dims);
  llvm::sort(sorted, [&](unsigned x, unsigned y) { return pos[x] < pos[y]; });
  return sorted;
}

/// True if `dims` occupy consecutive positions of the operand, in order.
static bool isContiguous(ArrayRef<int64_t> pos, ArrayRef<unsigned> dims) {
  for (unsigned i = 1; i < dims.size(); ++i)
    if (pos[dims[i]] != pos[dims[i - 1]] + 1)
      return false;
  return true;
}

/// Elements of a memref (dynamic sizes count as large).
static double elementCount(Value memref) {
  double count = 1;
  for (int64_t size : cast<MemRefType>(memref.getType()).getShape())
    count *= ShapedType::isDynamic(size) ? 1024.0 : double(size);
  return count;
}

/// The product of `group`'s extents in `type` (`pos`: each loop's dimension
/// there), or ShapedType::kDynamic when one is dynamic.
static int64_t groupSize(MemRefType type, ArrayRef<int64_t> pos,
                         ArrayRef<unsigned> group) {
  int64_t n = 1;
  for (unsigned d : group) {
    int64_t size = type.getDimSize(pos[d]);
    if (ShapedType::isDynamic(size))
      return ShapedType::kDynamic;
    n *= size;
  }
  return n;
}

/// The body is out + a * b on the two inputs' values themselves.
/// (linalg::isaContractionOpInterface also accepts unary ops on the inputs,
/// such as exp(a) * b, which the kernels would drop.)
static bool isPlainMultiplyAdd(Block &body) {
  if (body.getOperations().size() != 3 || body.getNumArguments() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(body.front());
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!mul || !add)
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1),
        out = body.getArgument(2);
  bool inputs = (mul.getLhs() == a && mul.getRhs() == b) ||
                (mul.getLhs() == b && mul.getRhs() == a);
  bool sum = (add.getLhs() == out && add.getRhs() == mul.getResult()) ||
             (add.getRhs() == out && add.getLhs() == mul.getResult());
  return inputs && sum;
}

/// The number of `dims` (in the operand's order) before the one break that
/// splits them into two contiguous runs, the second holding the operand's
/// innermost dimension; 0 when they are not two such runs.
static unsigned innerRunStart(ArrayRef<int64_t> pos, ArrayRef<unsigned> dims,
                              int64_t rank) {
  if (dims.size() < 2 || pos[dims.back()] != rank - 1)
    return 0;
  unsigned split = 0;
  for (unsigned i = 1; i < dims.size(); ++i) {
    if (pos[dims[i]] == pos[dims[i - 1]] + 1)
      continue;
    if (split)
      return 0;
    split = i;
  }
  return split;
}

/// The elements of `dims[from:]` in `type` (positions `pos`), 0 when one
/// is dynamic.
static int64_t staticElements(MemRefType type, ArrayRef<int64_t> pos,
                              ArrayRef<unsigned> dims, unsigned from) {
  int64_t count = 1;
  for (unsigned d : dims.drop_front(from)) {
    if (type.isDynamicDim(pos[d]))
      return 0;
    count *= type.getDimSize(pos[d]);
  }
  return count;
}

FailureOr<GemmRoles>
mlir::ein::classifyContraction(linalg::LinalgOp op, int64_t smallGemmWork,
                               SplitRuns splits) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics())
    return failure();
  if (!isa<linalg::ContractOp>(op.getOperation()) &&
      !(isa<linalg::GenericOp>(op.getOperation()) &&
        linalg::isaContractionOpInterface(op) &&
        isPlainMultiplyAdd(*op.getBlock())))
    return failure();
  Type element;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || !type.getLayout().isIdentity())
      return failure();
    // Only the output may be a scalar (a dot product).
    if (type.getRank() == 0 && op.isDpsInput(&operand))
      return failure();
    if (!type.getElementType().isF32() && !type.getElementType().isF64())
      return failure();
    if (element && element != type.getElementType())
      return failure();
    element = type.getElementType();
  }
  unsigned numLoops = op.getNumLoops();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  for (AffineMap map : maps)
    if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
      return failure();
  SmallVector<int64_t> posA = positionsOf(maps[0], numLoops);
  SmallVector<int64_t> posB = positionsOf(maps[1], numLoops);
  SmallVector<int64_t> posC = positionsOf(maps[2], numLoops);

  GemmRoles roles;
  for (unsigned d = 0; d < numLoops; ++d) {
    bool inA = posA[d] >= 0, inB = posB[d] >= 0, inC = posC[d] >= 0;
    if (inA && inB && inC)
      roles.batch.push_back(d);
    else if (inA && inC)
      roles.rows.push_back(d);
    else if (inB && inC)
      roles.cols.push_back(d);
    else if (inA && inB)
      roles.depth.push_back(d);
    else
      return failure(); // summed in one operand, or broadcast
  }
  if (roles.depth.empty())
    return failure();
  roles.batch = orderedBy(posC, roles.batch);
  roles.rows = orderedBy(posC, roles.rows);
  roles.cols = orderedBy(posC, roles.cols);
  // Rows (columns) contiguous in A (B) but in another order than in the
  // output take A's (B's) order when the output is the smaller: then the
  // output, not the input, is copied (deabc,cbfa->fed copied A, 29 MiB,
  // for its d,e order; now the 9 KiB output is computed as d,e,f).
  double sizeC = elementCount(op.getDpsInits()[0]);
  auto inputOrder = [&](SmallVector<unsigned> &group, ArrayRef<int64_t> pos,
                        Value input) {
    SmallVector<unsigned> own = orderedBy(pos, group);
    if (!isContiguous(pos, group) && isContiguous(pos, own) &&
        elementCount(input) > sizeC)
      group = own;
  };
  inputOrder(roles.rows, posA, op.getDpsInputs()[0]);
  inputOrder(roles.cols, posB, op.getDpsInputs()[1]);
  // An output whose rows or columns are split is computed in a transposed
  // copy. (Batch labels may lie anywhere: each has its own strides, so
  // bhqd,bhkd->bqhk writes its output in place.)
  bool copyC = !isContiguous(posC, roles.rows) ||
               !isContiguous(posC, roles.cols);
  // The copy is transposed back whatever its order: rows (columns) follow
  // the larger of A (B) and C, so that the larger of the two transposing
  // copies keeps runs of its innermost dimension (bdf,abde->efa: B's copy
  // bdae, not bdea).
  if (copyC) {
    if (elementCount(op.getDpsInputs()[0]) > sizeC)
      roles.rows = orderedBy(posA, roles.rows);
    if (elementCount(op.getDpsInputs()[1]) > sizeC)
      roles.cols = orderedBy(posB, roles.cols);
  }
  // Depth in A's order if A keeps it contiguous, else in B's if B does.
  // Otherwise both are copied: in the larger one's order, so that its copy
  // keeps runs of its innermost dimension (abde,efa->bdf: depth ae, not ea;
  // 1.65 -> 0.93 ms).
  SmallVector<unsigned> depthA = orderedBy(posA, roles.depth);
  SmallVector<unsigned> depthB = orderedBy(posB, roles.depth);
  if (isContiguous(posA, depthA))
    roles.depth = depthA;
  else if (isContiguous(posB, depthB))
    roles.depth = depthB;
  else
    roles.depth = elementCount(op.getDpsInputs()[1]) >
                          elementCount(op.getDpsInputs()[0])
                      ? depthB
                      : depthA;
  // An input whose groups are split or ordered differently is first copied
  // (transposed) into batch, own, depth order.
  auto usable = [&](ArrayRef<int64_t> pos, ArrayRef<unsigned> own) {
    return isContiguous(pos, own) && isContiguous(pos, roles.depth);
  };
  // (B's columns go last for the GEMM, whose packing reads B by rows.)
  auto copyOrder = [&](ArrayRef<unsigned> own, bool depthLast = true) {
    SmallVector<unsigned> order(roles.batch);
    if (!depthLast)
      order.append(roles.depth.begin(), roles.depth.end());
    order.append(own.begin(), own.end());
    if (depthLast)
      order.append(roles.depth.begin(), roles.depth.end());
    return order;
  };
  bool needsCopy[2] = {!usable(posA, roles.rows), !usable(posB, roles.cols)};
  auto innermost = [](ArrayRef<int64_t> pos, ArrayRef<unsigned> dims,
                      unsigned rank) {
    return !dims.empty() && pos[dims.back()] == int64_t(rank) - 1;
  };
  auto typeC = cast<MemRefType>(op.getDpsInits()[0].getType());
  if (roles.rows.empty() && roles.cols.empty()) {
    roles.kind = GemmKind::Dot;
  } else {
    // The output's innermost label must be a row or column label: vectors
    // run along it.
    // (The copy of the output, if any, has its columns innermost.)
    unsigned inner =
        cast<AffineDimExpr>(maps[2].getResults().back()).getPosition();
    if (!copyC && !llvm::is_contained(roles.rows, inner) &&
        !llvm::is_contained(roles.cols, inner))
      copyC = true; // a batch label innermost
    // A copied output may take either orientation: the GEMM is fastest
    // with B's columns unit-stride (packed by whole vectors) and A's depth
    // (packed rows), so an A whose rows are innermost and a B whose
    // columns are not trade places (abcde,fabc->efd: C as f x de, full
    // register tiles of rows over f = 24, instead of de x f, 24 of 32
    // columns).
    auto rankOf = [&](unsigned number) {
      return cast<MemRefType>(op.getDpsInputs()[number].getType()).getRank();
    };
    bool rowsInnerInA = innermost(posA, roles.rows, rankOf(roles.lhs));
    bool colsInnerInB = innermost(posB, roles.cols, rankOf(roles.rhs));
    // But an output four or more times larger than either input is copied
    // along runs of its innermost label: the copy's columns are the group
    // that holds it (its rows and columns follow the output's order then;
    // the inputs, smaller, are copied if need be). acb,dea->ebdc (30 MiB
    // out of 0.3 MiB): the copy e,d,b,c instead of b,c,e,d, 6.7 -> 3.1-3.9
    // ms on one thread (numpy, which returns a view, 2.7-3.7). (Outputs
    // about as large keep the GEMM's best layout: abd,dc->acb, 2x.)
    bool innerInRows = llvm::is_contained(roles.rows, inner);
    bool outputDominates =
        sizeC >= 4 * std::max(elementCount(op.getDpsInputs()[0]),
                              elementCount(op.getDpsInputs()[1])) &&
        (innerInRows || llvm::is_contained(roles.cols, inner));
    // (The copied output's orientation: A's rows innermost, B's columns
    // not.)
    bool copiedSwap = !roles.rows.empty() && rowsInnerInA && !colsInnerInB;
    bool swap = !copyC               ? innerInRows
                : roles.cols.empty() ? true
                : outputDominates    ? innerInRows
                                     : copiedSwap;
    // A small output whose innermost group fills little of the register
    // tile's width is computed in a copy, the other way round, when the
    // inputs' layouts then put the other group in the columns and it fills
    // at least twice as much: dcb,cba->ad (24 x 8, 10000 deep; a VJP of
    // cba,ad->dcb) as d x a, 24 of 32 columns instead of 8 (one thread
    // 0.116 -> 0.062 ms; its forward + VJP 0.81-0.89x torch -> 0.65x).
    // (The copy back is small next to the GEMM.)
    if (!copyC && !roles.rows.empty() && innerInRows != copiedSwap &&
        splits.colMultiple > 0 && sizeC <= (1 << 14)) {
      int64_t depth = groupSize(
          cast<MemRefType>(op.getDpsInputs()[0].getType()), posA, roles.depth);
      auto filled = [&](int64_t n) {
        int64_t width = splits.colMultiple;
        return double(n) / double(llvm::divideCeil(n, width) * width);
      };
      int64_t inner =
          groupSize(typeC, posC, innerInRows ? roles.rows : roles.cols);
      int64_t other =
          groupSize(typeC, posC, innerInRows ? roles.cols : roles.rows);
      // (kDynamic is negative.)
      if (inner >= 2 && other >= 2 && depth > 0 &&
          double(inner) * other * depth > double(smallGemmWork) &&
          filled(other) >= 2 * filled(inner)) {
        copyC = true;
        swap = copiedSwap;
      }
    }
    if (swap) {
      std::swap(roles.rows, roles.cols);
      std::swap(roles.lhs, roles.rhs);
      std::swap(needsCopy[0], needsCopy[1]);
      std::swap(posA, posB);
    }
    int64_t rows = groupSize(typeC, posC, roles.rows);
    // A single output row would waste the register tile: a row vector
    // times a matrix streams the matrix's rows when they are contiguous,
    // and is a set of dot products otherwise.
    auto rankB =
        cast<MemRefType>(op.getDpsInputs()[roles.rhs].getType()).getRank();
    bool streamsB = !needsCopy[1] && innermost(posB, roles.cols, rankB);
    if (rows == 1)
      roles.kind = streamsB ? GemmKind::RowVector : GemmKind::Dot;
    // A small GEMM (at most smallGemmWork multiply-adds, static) runs as
    // one row-vector product per row of A: the packed GEMM's tile and
    // packing functions (some 1,500 lines of LLVM IR per blocking) took
    // most of the compile time of small tensor networks
    // (ea,fb,abcd,gc,hd->efgh on 8^4: 240 -> 145 ms) and do not pay off at
    // this size.
    auto typeA = cast<MemRefType>(op.getDpsInputs()[roles.lhs].getType());
    int64_t work = typeC.hasStaticShape() ? typeC.getNumElements() : -1;
    for (unsigned d : roles.depth) {
      int64_t size = posA[d] < 0 ? -1 : typeA.getDimSize(posA[d]);
      work = work < 0 || ShapedType::isDynamic(size) ? -1 : work * size;
    }
    // (B is copied with its columns innermost when they are not; A is read
    // an element at a time, through its strides, but its depth must be one
    // stride.)
    bool cInnerCols = !copyC && llvm::is_contained(roles.cols, inner);
    if (rows != 1 && cInnerCols && isContiguous(posA, roles.depth) &&
        work >= 0 && work <= smallGemmWork) {
      roles.kind = GemmKind::RowVector;
      roles.rowsAsBatch = true;
      needsCopy[0] = false;
      if (!streamsB)
        needsCopy[1] = true;
    }
  }
  if (roles.kind == GemmKind::Dot) {
    // Dot products run along the depth, which must be innermost.
    auto rankOf = [&](unsigned which) {
      unsigned number = which == 0 ? roles.lhs : roles.rhs;
      return cast<MemRefType>(op.getDpsInputs()[number].getType()).getRank();
    };
    ArrayRef<int64_t> pos[2] = {posA, posB};
    for (unsigned which = 0; which < 2; ++which)
      needsCopy[which] |= !innermost(pos[which], roles.depth, rankOf(which));
  }
  if (copyC) {
    roles.outputOrder.assign(roles.batch);
    roles.outputOrder.append(roles.rows);
    roles.outputOrder.append(roles.cols);
  }
  // A copy keeps the source's innermost dimension innermost (a copy that
  // moves it reads with a large stride: bqhd,bkhd->bhqk copied B into
  // b,h,d,k in 1.3 ms, into b,h,k,d in 0.1 ms); packing then reads either
  // order through the strides.
  auto innermostIn = [&](unsigned which, ArrayRef<unsigned> dims) {
    ArrayRef<int64_t> pos = which == 0 ? posA : posB;
    unsigned number = which == 0 ? roles.lhs : roles.rhs;
    int64_t rank =
        cast<MemRefType>(op.getDpsInputs()[number].getType()).getRank();
    return llvm::any_of(dims, [&](unsigned d) { return pos[d] == rank - 1; });
  };
  // An input whose innermost dimension is a batch label has neither its
  // rows (columns) nor its depth unit-stride: packing would gather each
  // element (ijb,jkb->ikb with 16 batches: 0.91 ms; with copies 0.27).
  for (unsigned which = 0; which < 2; ++which)
    needsCopy[which] |= innermostIn(which, roles.batch);
  // A row-major A whose depth is two runs, the inner one innermost, is
  // packed run by run instead of copied whole (abc,cde->abde then
  // abde,efa->bdf on 32^3: the 4 MiB copy of abde cost 0.3 of 2.0 ms);
  // B, if it was the smaller, is copied in A's depth order instead.
  if (needsCopy[0] && splits.maxDepth > 0 && roles.kind == GemmKind::Gemm &&
      !roles.rowsAsBatch && isContiguous(posA, roles.rows) &&
      !innermostIn(0, roles.batch)) {
    auto typeA = cast<MemRefType>(op.getDpsInputs()[roles.lhs].getType());
    auto typeB = cast<MemRefType>(op.getDpsInputs()[roles.rhs].getType());
    SmallVector<unsigned> depthA = orderedBy(posA, roles.depth);
    unsigned split = innerRunStart(posA, depthA, typeA.getRank());
    int64_t run = split ? staticElements(typeA, posA, depthA, split) : 0;
    bool ownOrder = depthA == roles.depth ||
                    elementCount(op.getDpsInputs()[roles.lhs]) >
                        elementCount(op.getDpsInputs()[roles.rhs]);
    if (split && run >= splits.minDepth && run <= splits.maxDepth && ownOrder &&
        typeB.getRank() > 0) {
      roles.depth = depthA;
      roles.depthSplit = split;
      needsCopy[0] = false;
      needsCopy[1] |= !usable(posB, roles.cols);
    }
  }
  // An output whose columns are two runs, the inner one innermost and
  // whole register tiles wide, is written in place instead of computed in
  // a copy (bdf,efa->abde: the 4 MiB copy's fill and transpose back cost
  // 0.3 of 1.1 ms); B reads its columns in the output's order (copied
  // if need be).
  auto typeOut = cast<MemRefType>(op.getDpsInits()[0].getType());
  if (copyC && splits.maxCols > 0 &&
      roles.kind == GemmKind::Gemm && !roles.rowsAsBatch &&
      isContiguous(posC, roles.rows)) {
    SmallVector<unsigned> colsC = orderedBy(posC, roles.cols);
    unsigned split = innerRunStart(posC, colsC, typeOut.getRank());
    int64_t run = split ? staticElements(typeOut, posC, colsC, split) : 0;
    // (Unless that copies a B larger than the output: bdf,abde->efa reads
    // abde's columns a,e in two runs instead, below.)
    bool readsB = usable(posB, colsC) ||
                  elementCount(op.getDpsInputs()[roles.rhs]) <
                      elementCount(op.getDpsInits()[0]);
    if (split && run > 0 && run % splits.colMultiple == 0 &&
        run <= splits.maxCols && readsB) {
      roles.cols = colsC;
      roles.outputColSplit = split;
      roles.outputOrder.clear();
      copyC = false;
      needsCopy[1] =
          !usable(posB, roles.cols) || innermostIn(1, roles.batch);
    }
  }
  // The same for B's columns (bdf,abde->efa: abde's a, then e; the 4 MiB
  // copy of abde cost 0.35 of 1.37 ms): a row-major B whose columns are two
  // runs, the inner one whole register tiles wide, is packed run by run.
  // The output, unless computed in a copy (which then follows B's order),
  // must have them in B's order; a copy larger than a quarter of B must
  // keep the output's innermost label innermost (bdf,efa->abde: a copy
  // b,d,e,a took 0.4 ms more to transpose back than b,d,a,e).
  if (needsCopy[1] && splits.maxCols > 0 && roles.kind == GemmKind::Gemm &&
      !roles.rowsAsBatch && isContiguous(posB, roles.depth) &&
      !innermostIn(1, roles.batch)) {
    auto typeB = cast<MemRefType>(op.getDpsInputs()[roles.rhs].getType());
    SmallVector<unsigned> colsB = orderedBy(posB, roles.cols);
    unsigned split = innerRunStart(posB, colsB, typeB.getRank());
    int64_t run = split ? staticElements(typeB, posB, colsB, split) : 0;
    unsigned innerC =
        cast<AffineDimExpr>(maps[2].getResults().back()).getPosition();
    bool copyKeepsInner =
        colsB.back() == innerC ||
        4 * elementCount(op.getDpsInits()[0]) <=
            elementCount(op.getDpsInputs()[roles.rhs]);
    if (split && run > 0 && run % splits.colMultiple == 0 &&
        run <= splits.maxCols &&
        (copyC ? copyKeepsInner : colsB == roles.cols)) {
      roles.cols = colsB;
      roles.colSplit = split;
      needsCopy[1] = false;
      if (copyC) {
        roles.outputOrder.assign(roles.batch);
        roles.outputOrder.append(roles.rows);
        roles.outputOrder.append(roles.cols);
      }
    }
  }
  bool dot = roles.kind == GemmKind::Dot;
  if (needsCopy[0])
    roles.copyOrder[0] = copyOrder(
        roles.rows, /*depthLast=*/dot || !innermostIn(0, roles.rows));
  if (needsCopy[1])
    roles.copyOrder[1] = copyOrder(
        roles.cols, /*depthLast=*/!roles.rowsAsBatch &&
                        (dot || innermostIn(1, roles.depth)));
  return roles;
}

namespace {
/// Index arithmetic on an operand with identity layout.
struct OperandShape {
  OpBuilder &b;
  Location loc;
  Value memref;
  SmallVector<int64_t> pos;

  Value dimSize(unsigned p) {
    return memref::DimOp::create(b, loc, memref, p).getResult();
  }
  int64_t staticSize(unsigned p) {
    return cast<MemRefType>(memref.getType()).getDimSize(p);
  }
  /// Product of the sizes of the group's dimensions.
  Value groupSize(ArrayRef<unsigned> dims) {
    Value size = arith::ConstantIndexOp::create(b, loc, 1);
    for (unsigned d : dims)
      size = arith::MulIOp::create(b, loc, size, dimSize(pos[d]));
    return size;
  }
  int64_t staticGroupSize(ArrayRef<unsigned> dims) {
    int64_t size = 1;
    for (unsigned d : dims) {
      int64_t s = staticSize(pos[d]);
      if (ShapedType::isDynamic(s))
        return ShapedType::kDynamic;
      size *= s;
    }
    return size;
  }
  /// Stride of the group's innermost dimension (0 for an empty group).
  Value groupStride(ArrayRef<unsigned> dims) {
    if (dims.empty())
      return arith::ConstantIndexOp::create(b, loc, 0);
    unsigned rank = cast<MemRefType>(memref.getType()).getRank();
    Value stride = arith::ConstantIndexOp::create(b, loc, 1);
    for (unsigned p = pos[dims.back()] + 1; p < rank; ++p)
      stride = arith::MulIOp::create(b, loc, stride, dimSize(p));
    return stride;
  }
  bool isInnermost(ArrayRef<unsigned> dims) {
    return !dims.empty() &&
           pos[dims.back()] ==
               cast<MemRefType>(memref.getType()).getRank() - 1;
  }
  Value flat() {
    auto type = cast<MemRefType>(memref.getType());
    if (type.getRank() == 0)
      return memref::ExpandShapeOp::create(
          b, loc, MemRefType::get({1}, type.getElementType()), memref,
          ArrayRef<ReassociationIndices>{}, ArrayRef<OpFoldResult>{
                                                 b.getIndexAttr(1)});
    SmallVector<ReassociationIndices> all(1);
    for (int64_t i = 0; i < type.getRank(); ++i)
      all[0].push_back(i);
    return memref::CollapseShapeOp::create(b, loc, memref, all);
  }
};
} // namespace

/// A copy of `value` (dimension positions `pos` per loop dimension) whose
/// dimension i is loop dimension order[i]; with `zeroFill`, a buffer of that
/// shape filled with zeros instead (the fill is stored there).
static OperandShape transposedCopy(OpBuilder &b, Location loc, Value value,
                                   ArrayRef<int64_t> pos,
                                   ArrayRef<unsigned> order,
                                   linalg::FillOp *zeroFill = nullptr) {
  auto type = cast<MemRefType>(value.getType());
  SmallVector<int64_t> perm, shape;
  SmallVector<Value> dynamic;
  SmallVector<int64_t> newPos(pos.size(), -1);
  for (auto [i, d] : llvm::enumerate(order)) {
    perm.push_back(pos[d]);
    shape.push_back(type.getDimSize(pos[d]));
    if (type.isDynamicDim(pos[d]))
      dynamic.push_back(memref::DimOp::create(b, loc, value, pos[d]));
    newPos[d] = i;
  }
  auto copyType = MemRefType::get(shape, type.getElementType());
  Value copy = memref::AllocOp::create(b, loc, copyType, dynamic,
                                       b.getI64IntegerAttr(64));
  if (zeroFill) {
    Value zero = arith::ConstantOp::create(
        b, loc, b.getZeroAttr(type.getElementType()));
    *zeroFill = linalg::FillOp::create(b, loc, zero, copy);
  } else {
    linalg::TransposeOp::create(b, loc, value, copy, perm);
  }
  return OperandShape{b, loc, copy, newPos};
}

GemmProblem mlir::ein::materializeGemm(OpBuilder &b, linalg::LinalgOp op,
                                       const GemmRoles &roles,
                                       SmallVectorImpl<Value> &temporaries,
                                       bool zeroOutput) {
  Location loc = op.getLoc();
  unsigned numLoops = op.getNumLoops();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  GemmProblem p;
  auto operand = [&](Value value, AffineMap map, ArrayRef<unsigned> order,
                     bool zero = false) -> OperandShape {
    SmallVector<int64_t> pos = positionsOf(map, numLoops);
    if (order.empty())
      return OperandShape{b, loc, value, pos};
    OperandShape copy = transposedCopy(b, loc, value, pos, order,
                                       zero ? &p.copyFill : nullptr);
    temporaries.push_back(copy.memref);
    return copy;
  };
  OperandShape a = operand(op.getDpsInputs()[roles.lhs], maps[roles.lhs],
                           roles.copyOrder[0]);
  OperandShape bb = operand(op.getDpsInputs()[roles.rhs], maps[roles.rhs],
                            roles.copyOrder[1]);
  Value lhs = a.memref;
  Value output = op.getDpsInits()[0];
  OperandShape c = operand(output, maps[2], roles.outputOrder, zeroOutput);
  if (!roles.outputOrder.empty()) {
    // Computed in the copy, then transposed back.
    SmallVector<int64_t> pos = positionsOf(maps[2], numLoops);
    p.copyBackFrom = c.memref;
    p.copyBackTo = output;
    p.copyBackPerm.assign(cast<MemRefType>(output.getType()).getRank(), 0);
    for (auto [i, d] : llvm::enumerate(roles.outputOrder))
      p.copyBackPerm[pos[d]] = i;
  }
  SmallVector<unsigned> batch(roles.batch), rows(roles.rows);
  if (roles.rowsAsBatch) {
    batch.append(rows);
    rows.clear();
  }
  p.elementType = cast<FloatType>(getElementTypeOrSelf(lhs.getType()));
  p.nb = c.groupSize(batch);
  p.nm = c.groupSize(rows);
  p.nn = c.groupSize(roles.cols);
  p.nk = a.groupSize(roles.depth);
  ArrayRef<unsigned> depth(roles.depth);
  p.staticB = c.staticGroupSize(batch);
  p.staticM = c.staticGroupSize(rows);
  p.staticN = c.staticGroupSize(roles.cols);
  p.staticK = a.staticGroupSize(roles.depth);
  p.sAm = a.groupStride(rows);
  p.sAk = a.groupStride(depth);
  if (roles.depthSplit) {
    p.sAkOuter = a.groupStride(depth.take_front(roles.depthSplit));
    p.depthRun = a.staticGroupSize(depth.drop_front(roles.depthSplit));
  }
  ArrayRef<unsigned> cols(roles.cols);
  if (roles.colSplit) {
    p.sBnOuter = bb.groupStride(cols.take_front(roles.colSplit));
    p.colRun = bb.staticGroupSize(cols.drop_front(roles.colSplit));
  }
  if (roles.outputColSplit) {
    p.sCnOuter = c.groupStride(cols.take_front(roles.outputColSplit));
    p.cColRun = c.staticGroupSize(cols.drop_front(roles.outputColSplit));
  }
  p.sBk = bb.groupStride(roles.depth);
  p.sBn = bb.groupStride(roles.cols);
  p.sCm = c.groupStride(rows);
  p.sCn = c.groupStride(roles.cols);
  OperandShape *shapes[3] = {&a, &bb, &c};
  // (Rows as batch: B does not read them, its stride along them is 0.)
  auto strideIn = [&](unsigned i, unsigned d) {
    if (shapes[i]->pos[d] < 0)
      return arith::ConstantIndexOp::create(b, loc, 0).getResult();
    return shapes[i]->groupStride({d});
  };
  if (!roles.rowsAsBatch && llvm::all_of(shapes, [&](OperandShape *x) {
        return isContiguous(x->pos, batch);
      })) {
    p.batchSizes.push_back(p.nb);
    for (unsigned i = 0; i < 3; ++i)
      p.batchStrides[i].push_back(shapes[i]->groupStride(batch));
  } else {
    for (unsigned d : batch) {
      p.batchSizes.push_back(c.groupSize({d}));
      for (unsigned i = 0; i < 3; ++i)
        p.batchStrides[i].push_back(strideIn(i, d));
    }
  }
  p.aUnitM = a.isInnermost(roles.rows);
  p.bUnitN = bb.isInnermost(roles.cols);
  p.aUnitK = a.isInnermost(roles.depth);
  p.bUnitK = bb.isInnermost(roles.depth);
  p.a = a.flat();
  p.b = bb.flat();
  p.c = c.flat();
  return p;
}

Value GemmProblem::batchOffset(OpBuilder &b, Location loc, Value bi,
                               unsigned operand) const {
  Value offset;
  Value rest = bi;
  for (size_t d = batchSizes.size(); d-- > 0;) {
    Value index =
        d == 0 ? rest : arith::RemUIOp::create(b, loc, rest, batchSizes[d]);
    Value part = arith::MulIOp::create(b, loc, index, batchStrides[operand][d]);
    offset = offset ? arith::AddIOp::create(b, loc, offset, part) : part;
    if (d > 0)
      rest = arith::DivUIOp::create(b, loc, rest, batchSizes[d]);
  }
  return offset;
}

void mlir::ein::finishGemm(OpBuilder &b, Location loc,
                           const GemmProblem &problem,
                           ArrayRef<Value> temporaries) {
  if (problem.copyBackFrom)
    linalg::TransposeOp::create(b, loc, problem.copyBackFrom,
                                problem.copyBackTo, problem.copyBackPerm);
  for (Value copy : temporaries)
    memref::DeallocOp::create(b, loc, copy);
}
