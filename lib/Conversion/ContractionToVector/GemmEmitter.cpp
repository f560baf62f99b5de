//===- GemmEmitter.cpp - Packed, register-tiled GEMM as scf + vector ------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// The loop structure of GotoBLAS/BLIS, for every batch index:
//
//   for jc < n step NC:                      columns of B (L3 block)
//     for pc < k step KC:                    depth (L2/L1 block)
//       pack B[pc:+KC, jc:+NC] into NR-wide column panels, zero-padded
//       for ic < m step MC:                  rows of A (L2 block)
//         pack A[ic:+MC, pc:+KC] into MR-tall row panels, zero-padded
//         for jr < NC step NR, ir < MC step MR:     (GemmTiles.cpp)
//           MR x NR register tile: kc rank-1 updates (broadcast A, FMA with
//           NR/lanes vectors of B), then C += tile (masked at the edges)
//
// The jr/ir loops are a function per blocking, shared by the module's
// GEMMs (GemmTiles.h).
//
// Packing reads the operands through their strides, so transposed operands
// cost nothing extra: the transpose is folded into the packing copy. A
// row-major A (depth innermost) is packed by rows instead: each row's KC
// elements are one vector copy, at a fixed pitch of KC, and the micro-kernel
// broadcasts A[r][kk] from row r of the panel (no transposing copy; narrow
// products, N <= 64, spent a third of their time in a scalar packing loop).
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "GemmProblem.h"
#include "GemmTiles.h"
#include "SumOfTerms.h"
#include "ein/Conversion/ContractionToVector/ContractionToVector.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::ein;

namespace {
/// Block sizes and vector types of one generated GEMM.
struct Blocking {
  int64_t lanes, nv, mr, nr, mc, kc, nc;
  VectorType vec;
  Type element;
};

/// The kernel generator for one problem.
struct GemmEmitter : VectorEmitter {
  const GemmProblem &p;
  Blocking k;
  ModuleOp module;
  /// Where the micro-kernels add their tiles: C, or a split-K partial.
  Value cBuf = {}, cRowStride = {};
  /// The outer stride of cBuf's columns when they are two runs
  /// (GemmProblem::cColRun; null for C's copy or a split-K partial).
  Value cOuter = {};
  /// C holds no values yet (its zero fill was folded away): the first
  /// depth block stores its tiles instead of adding them. `firstDepth` is
  /// true in that block.
  bool overwrite = false;
  Value firstDepth = {};
  /// The module's register-tile function of this blocking (GemmTiles.h).
  func::FuncOp tiles = {};
  /// GemmTiling::sharedKernels.
  bool sharedKernels = false;

  Value zeroScalar() {
    return arith::ConstantOp::create(e.b, e.loc, e.b.getZeroAttr(k.element));
  }
  /// Bp[jp*kc + kk*NR + col] = B[base + kk*sBk + (jp+col)*sBn], zero past nc.
  void packB(Value bp, Value base, Value kc, Value nc) {
    if (p.bUnitN && p.colRun)
      return packRowMajorBRuns(bp, base, kc, nc);
    if (p.bUnitN) {
      // Row by row of B, each row into every panel: the reads run along
      // B's rows. (A panel at a time read one line from each of kc rows,
      // a page apart in a 1024-wide B: 32x1024 times 1024x1024 1.28 ->
      // 1.06 ms on one thread; 64x2048x2048 9.5 -> 9.1; 1024^2 and
      // 256x4096x256 the same.)
      // Whole panels copy plain vectors; only the last, partial one masks
      // (the shared function, nc not a constant, built a mask for every
      // vector: 256x4096 times 4096x256 on two threads 3.56-3.59 ms, 3.28-
      // 3.36 with this function inlined into the GEMM, 3.3-3.4 fully
      // inlined).
      Value whole =
          e.sub(nc, arith::RemSIOp::create(e.b, e.loc, nc, e.c(k.nr)));
      e.loop(kc, 1, [&](Value kk) {
        Value row = e.add(base, e.mul(kk, p.sBk));
        Value at = e.mul(kk, e.c(k.nr));
        // Row kk of the panel at column jp; with `edge`, zeros past nc.
        auto copy = [&](Value jp, bool edge) {
          Value src = e.add(row, jp);
          Value dst = e.add(e.mul(jp, kc), at);
          for (int64_t h = 0; h < k.nv; ++h) {
            Value off = e.c(h * k.lanes);
            auto store = [&](Value v) {
              vector::StoreOp::create(e.b, e.loc, v, bp,
                                      ValueRange{e.add(dst, off)});
            };
            if (!edge) {
              store(load(p.b, e.add(src, off)));
              continue;
            }
            Value rem = e.sub(nc, e.add(jp, off));
            e.ifThen(
                e.lt(e.c(0), rem),
                [&] { store(maskedLoad(p.b, e.add(src, off), mask(rem))); },
                [&] { store(zeroVector()); });
          }
        };
        e.loop(e.c(0), whole, e.c(k.nr),
               [&](Value jp) { copy(jp, /*edge=*/false); });
        e.ifThen(e.lt(whole, nc), [&] { copy(whole, /*edge=*/true); });
      });
      return;
    }
    e.loop(nc, k.nr, [&](Value jp) {
      Value panel = e.mul(jp, kc);
      if (p.bUnitK)
        return packDepthMajorPanel(bp, panel, base, jp, kc, nc);
      e.loop(e.c(k.nr), 1, [&](Value col) {
        Value n = e.add(jp, col);
        copyStrip(bp, e.add(panel, col), k.nr, p.b,
                  e.add(base, e.mul(n, p.sBn)), p.sBk, kc, e.lt(n, nc));
      });
    });
  }

  /// packB of a row-major B whose columns are two runs (GemmProblem::
  /// colRun, a multiple of NR; nc too): each row is nc / colRun runs,
  /// sBnOuter apart, of whole panels.
  void packRowMajorBRuns(Value bp, Value base, Value kc, Value nc) {
    int64_t run = p.colRun;
    Value runs = arith::DivSIOp::create(e.b, e.loc, nc, e.c(run));
    e.loop(kc, 1, [&](Value kk) {
      Value row = e.add(base, e.mul(kk, p.sBk));
      Value at = e.mul(kk, e.c(k.nr));
      e.loop(runs, 1, [&](Value q) {
        Value from = e.add(row, e.mul(q, p.sBnOuter));
        Value col0 = e.mul(q, e.c(run));
        auto panel = [&](Value jj) {
          Value dst = e.add(e.mul(e.add(col0, jj), kc), at);
          for (int64_t h = 0; h < k.nv; ++h) {
            Value off = e.c(h * k.lanes);
            vector::StoreOp::create(e.b, e.loc,
                                    load(p.b, e.add(e.add(from, jj), off)),
                                    bp, ValueRange{e.add(dst, off)});
          }
        };
        e.steps(run, k.nr, panel);
      });
    });
  }

  /// B's offset of column `jc` (a multiple of colRun when B's columns are
  /// two runs).
  Value bColOffset(Value jc) {
    return p.colRun ? e.twoRuns(jc, p.colRun, p.sBnOuter) : e.mul(jc, p.sBn);
  }

  /// cBuf's offset of column `jc` (a multiple of cColRun when cOuter).
  Value cColOffset(Value jc) {
    return cOuter ? e.twoRuns(jc, p.cColRun, cOuter) : jc;
  }

  /// The tile function of this GEMM, with C's columns in two runs when
  /// `cRuns`.
  func::FuncOp tilesFunction(bool cRuns) {
    return getTilesFunction(module, {k.lanes, k.nv, k.mr,
                                     cast<FloatType>(k.element), aRows(),
                                     kcPitch, sharedKernels,
                                     cRuns ? p.cColRun : 0});
  }

  /// One NR-wide panel of an N-major B (depth contiguous: B[n][kk] at
  /// base + n*sBn + kk): lanes x lanes blocks are loaded as rows of columns,
  /// transposed in registers, and stored as rows of the panel. Blocks of a
  /// whole panel and whole vectors of depth load and store without masks
  /// or tests (the shared function built a mask at run time for every
  /// load: bhqd,bhkd->bhqk 8x8x256x64 6.01-6.06 -> 5.94-6.02 ms).
  void packDepthMajorPanel(Value bp, Value panel, Value base, Value jp,
                           Value kc, Value nc) {
    int64_t lanes = k.lanes;
    Value kWhole =
        e.sub(kc, arith::RemSIOp::create(e.b, e.loc, kc, e.c(lanes)));
    auto blocks = [&](Value from, Value to, bool whole) {
      e.loop(from, to, e.c(lanes), [&](Value kk0) {
        packDepthMajorBlock(bp, panel, base, jp, kc, nc, kk0, whole);
      });
    };
    // A whole panel at least a block deep ends with the block of its last
    // `lanes` depths, overlapping the one before it (whose rows it writes
    // again alike), instead of a masked partial block: cba,ad->dcb
    // 100x100x24 by 24x8 (K 24: blocks at 0 and 8) in the shared function
    // 0.050 -> 0.038 ms on one thread, as fast as inlined code (0.036).
    Value deep = arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::sge,
                                       kc, e.c(lanes));
    e.ifThen(
        arith::AndIOp::create(e.b, e.loc, e.lt(e.add(jp, e.c(k.nr - 1)), nc),
                              deep),
        [&] {
          blocks(e.c(0), kWhole, /*whole=*/true);
          e.ifThen(e.lt(kWhole, kc), [&] {
            packDepthMajorBlock(bp, panel, base, jp, kc, nc,
                                e.sub(kc, e.c(lanes)), /*whole=*/true);
          });
        },
        [&] { blocks(e.c(0), kc, /*whole=*/false); });
  }

  /// The lanes x lanes blocks at depth kk0 of packDepthMajorPanel: with
  /// `whole` (a whole panel, kk0 + lanes <= kc) plain loads and stores,
  /// else columns past nc and depth past kc masked off.
  void packDepthMajorBlock(Value bp, Value panel, Value base, Value jp,
                           Value kc, Value nc, Value kk0, bool whole) {
    int64_t lanes = k.lanes;
    Value kRem = e.sub(kc, kk0);
    for (int64_t h = 0; h < k.nv; ++h) {
      SmallVector<Value> rows;
      for (int64_t c = 0; c < lanes; ++c) {
        Value n = e.add(jp, e.c(h * lanes + c));
        if (whole) {
          rows.push_back(load(p.b, e.add(base, e.add(e.mul(n, p.sBn), kk0))));
          continue;
        }
        // Columns past nc read nothing (zeros), through the panel's first
        // column's address: an all-false masked load of an address past
        // B (an unmapped page) took a microcode assist on every load
        // (16x4096 times 40x4096 A·Bᵀ: 0.97 ms; 0.05 with 32 columns).
        Value inRange = e.lt(n, nc);
        Value count =
            arith::SelectOp::create(e.b, e.loc, inRange, kRem, e.c(0));
        Value row = arith::SelectOp::create(e.b, e.loc, inRange, n, jp);
        rows.push_back(maskedLoad(
            p.b, e.add(base, e.add(e.mul(row, p.sBn), kk0)), mask(count)));
      }
      transposeInRegisters(rows);
      for (int64_t j = 0; j < lanes; ++j) {
        auto store = [&] {
          Value at = e.add(panel, e.add(e.mul(e.add(kk0, e.c(j)), e.c(k.nr)),
                                        e.c(h * lanes)));
          vector::StoreOp::create(e.b, e.loc, rows[j], bp, ValueRange{at});
        };
        if (whole)
          store();
        else
          e.ifThen(e.lt(e.c(j), kRem), store);
      }
    }
  }

  /// dst[to + kk*toStep] = inRange ? src[from + kk*fromStep] : 0, kk < count.
  void copyStrip(Value dst, Value to, int64_t toStep, Value src, Value from,
                 Value fromStep, Value count, Value inRange) {
    e.ifThen(
        inRange,
        [&] {
          e.loop(count, 1, [&](Value kk) {
            Value v = memref::LoadOp::create(
                e.b, e.loc, src, ValueRange{e.add(from, e.mul(kk, fromStep))});
            memref::StoreOp::create(e.b, e.loc, v, dst,
                                    ValueRange{e.add(to, e.mul(kk, e.c(toStep)))});
          });
        },
        [&] {
          Value zero = zeroScalar();
          e.loop(count, 1, [&](Value kk) {
            memref::StoreOp::create(e.b, e.loc, zero, dst,
                                    ValueRange{e.add(to, e.mul(kk, e.c(toStep)))});
          });
        });
  }

  /// Rows of a panel are this far apart in the row-packed A.
  int64_t kcPitch = 0;
  bool aRows() const { return p.aUnitK && !p.aUnitM; }

  /// Ap[ip*kc + kk*MR + r] = A[base + (ip+r)*sAm + kk*sAk], zero past mc;
  /// for a row-major A, Ap[i*kcPitch + kk] = A[base + i*sAm + kk] for rows
  /// i up to mc rounded up to MR (zero past mc).
  void packA(Value ap, Value base, Value mc, Value kc) {
    if (aRows())
      return packRowMajorA(ap, base, mc, kc);
    if (p.aUnitM)
      return packColumnMajorA(ap, base, mc, kc);
    e.loop(mc, k.mr, [&](Value ip) {
      Value panel = e.mul(ip, kc);
      e.loop(e.c(k.mr), 1, [&](Value r) {
        Value i = e.add(ip, r);
        copyStrip(ap, e.add(panel, r), k.mr, p.a,
                  e.add(base, e.mul(i, p.sAm)), p.sAk, kc, e.lt(i, mc));
      });
    });
  }

  /// Shared (sharedKernels): whole vectors are copied unmasked and only a
  /// row's last kc % lanes elements masked. kc is not a constant there,
  /// and masking every vector with a run-time mask made 16384x256 times
  /// 256x64 1.3x slower than inlined code whose masks had folded (inlined
  /// copies keep the one masked loop: less code, the same speed there).
  void packRowMajorA(Value ap, Value base, Value mc, Value kc) {
    if (p.depthRun)
      return packRowMajorARuns(ap, base, mc, kc);
    if (!sharedKernels)
      return packRowMajorAMasked(ap, base, mc, kc);
    Value rows = e.mul(arith::CeilDivSIOp::create(e.b, e.loc, mc, e.c(k.mr)),
                       e.c(k.mr));
    Value whole = e.sub(kc, arith::RemSIOp::create(e.b, e.loc, kc,
                                                   e.c(k.lanes)));
    // One row of the panel from A at `src`, or zeros (rows past mc) when
    // `src` is null.
    auto row = [&](Value dst, Value src) {
      e.loop(e.c(0), whole, e.c(k.lanes), [&](Value kk) {
        Value v = src ? load(p.a, e.add(src, kk)) : zeroVector();
        vector::StoreOp::create(e.b, e.loc, v, ap, ValueRange{e.add(dst, kk)});
      });
      e.ifThen(e.lt(whole, kc), [&] {
        Value m = mask(e.sub(kc, whole));
        Value v = src ? maskedLoad(p.a, e.add(src, whole), m) : zeroVector();
        vector::MaskedStoreOp::create(e.b, e.loc, ap,
                                      ValueRange{e.add(dst, whole)}, m, v);
      });
    };
    e.loop(rows, 1, [&](Value i) {
      Value dst = e.mul(i, e.c(kcPitch));
      e.ifThen(
          e.lt(i, mc), [&] { row(dst, e.add(base, e.mul(i, p.sAm))); },
          [&] { row(dst, Value()); });
    });
  }

  /// A's depth in two runs (GemmProblem::depthRun): each row of the panel
  /// is kc / depthRun runs, the outer run's stride (sAkOuter) apart in A;
  /// kc is a multiple of depthRun.
  void packRowMajorARuns(Value ap, Value base, Value mc, Value kc) {
    Value rows = e.mul(arith::CeilDivSIOp::create(e.b, e.loc, mc, e.c(k.mr)),
                       e.c(k.mr));
    int64_t run = p.depthRun;
    Value runs = arith::DivSIOp::create(e.b, e.loc, kc, e.c(run));
    // Copies (or zeros, with a null `src`) one row.
    auto row = [&](Value dst, Value src) {
      e.loop(runs, 1, [&](Value q) {
        Value from = src ? e.add(src, e.mul(q, p.sAkOuter)) : Value();
        Value to = e.add(dst, e.mul(q, e.c(run)));
        auto copy = [&](Value kk) {
          Value v = src ? load(p.a, e.add(from, kk)) : zeroVector();
          vector::StoreOp::create(e.b, e.loc, v, ap,
                                  ValueRange{e.add(to, kk)});
        };
        // Whole vectors, then a masked tail.
        int64_t whole = run / k.lanes * k.lanes;
        e.steps(whole, k.lanes, copy);
        if (whole < run) {
          Value m = mask(e.c(run - whole));
          Value v = src ? maskedLoad(p.a, e.add(from, e.c(whole)), m)
                        : zeroVector();
          vector::MaskedStoreOp::create(e.b, e.loc, ap,
                                        ValueRange{e.add(to, e.c(whole))}, m,
                                        v);
        }
      });
    };
    e.loop(rows, 1, [&](Value i) {
      Value dst = e.mul(i, e.c(kcPitch));
      e.ifThen(
          e.lt(i, mc), [&] { row(dst, e.add(base, e.mul(i, p.sAm))); },
          [&] { row(dst, Value()); });
    });
  }

  /// A's offset of depth `pc` (a multiple of depthRun when A's depth is
  /// two runs).
  Value aDepthOffset(Value pc) {
    return p.depthRun ? e.twoRuns(pc, p.depthRun, p.sAkOuter, p.sAk)
                      : e.mul(pc, p.sAk);
  }

  /// Every vector of a row masked (folded where kc is a constant).
  void packRowMajorAMasked(Value ap, Value base, Value mc, Value kc) {
    Value rows = e.mul(arith::CeilDivSIOp::create(e.b, e.loc, mc, e.c(k.mr)),
                       e.c(k.mr));
    e.loop(rows, 1, [&](Value i) {
      Value src = e.add(base, e.mul(i, p.sAm));
      Value dst = e.mul(i, e.c(kcPitch));
      Value inRange = e.lt(i, mc);
      e.loop(kc, k.lanes, [&](Value kk) {
        Value m = mask(e.sub(kc, kk));
        e.ifThen(
            inRange,
            [&] {
              vector::MaskedStoreOp::create(
                  e.b, e.loc, ap, ValueRange{e.add(dst, kk)}, m,
                  maskedLoad(p.a, e.add(src, kk), m));
            },
            [&] {
              vector::MaskedStoreOp::create(e.b, e.loc, ap,
                                            ValueRange{e.add(dst, kk)}, m,
                                            zeroVector());
            });
      });
    });
  }

  /// packA when A's rows are contiguous (a transposed A, as in the
  /// gradients of a product): each panel row is one vector copy, masked
  /// only in the last panel (mc % MR rows) and the panel's last row.
  void packColumnMajorA(Value ap, Value base, Value mc, Value kc) {
    e.loop(mc, k.mr, [&](Value ip) {
      Value panel = e.mul(ip, kc);
      Value rem = e.sub(mc, ip);
      Value src0 = e.add(base, ip);
      e.ifThen(
          e.lt(e.c(k.mr - 1), rem),
          [&] { packWholeColumnPanel(ap, panel, src0, kc); },
          [&] { packColumnPanel(ap, panel, src0, rem, kc); });
    });
  }

  /// A whole panel (MR rows) of packColumnMajorA. Where MR is not a
  /// multiple of the lanes, each panel row's last vector is stored whole,
  /// its lanes past MR overwritten by the next panel row, and only the
  /// last panel row's store masked: stores through a partial mask take
  /// about 12 cycles each on AMD Zen 3 (a full mask about one), and made
  /// the A·dC of a batched product (bij,bik->bjk, 64x128x128) 1.3x slower
  /// than the product itself.
  void packWholeColumnPanel(Value ap, Value panel, Value src0, Value kc) {
    auto copyRow = [&](Value kk, bool last) {
      Value src = e.add(src0, e.mul(kk, p.sAk));
      Value dst = e.add(panel, e.mul(kk, e.c(k.mr)));
      for (int64_t h = 0; h * k.lanes < k.mr; ++h) {
        Value off = e.c(h * k.lanes);
        int64_t width = std::min(k.lanes, k.mr - h * k.lanes);
        Value m = width < k.lanes ? mask(e.c(width)) : Value();
        Value v = loadMasked(p.a, ValueRange{e.add(src, off)}, m);
        storeMasked(v, ap, ValueRange{e.add(dst, off)}, last ? m : Value());
      }
    };
    Value lastRow = e.sub(kc, e.c(1));
    e.loop(lastRow, 1, [&](Value kk) { copyRow(kk, /*last=*/false); });
    e.ifThen(e.lt(e.c(0), kc), [&] { copyRow(lastRow, /*last=*/true); });
  }

  /// The last panel of packColumnMajorA, rem < MR rows (zeros past them).
  void packColumnPanel(Value ap, Value panel, Value src0, Value rem, Value kc) {
    e.loop(kc, 1, [&](Value kk) {
      Value src = e.add(src0, e.mul(kk, p.sAk));
      Value dst = e.add(panel, e.mul(kk, e.c(k.mr)));
      for (int64_t h = 0; h * k.lanes < k.mr; ++h) {
        Value off = e.c(h * k.lanes);
        // The whole panel row is written: zeros past mc.
        Value width = mask(e.c(std::min(k.lanes, k.mr - h * k.lanes)));
        e.ifThen(
            e.lt(off, rem),
            [&] {
              Value v = maskedLoad(p.a, e.add(src, off), mask(e.sub(rem, off)));
              vector::MaskedStoreOp::create(
                  e.b, e.loc, ap, ValueRange{e.add(dst, off)}, width, v);
            },
            [&] {
              vector::MaskedStoreOp::create(e.b, e.loc, ap,
                                            ValueRange{e.add(dst, off)}, width,
                                            zeroVector());
            });
      }
    });
  }

  /// Packs through the module's function `name`, created on first use:
  /// (packed buffer, operand, base, two extents, two strides), the operand
  /// and strides being the problem's fields `operand`, `stride0`, `stride1`
  /// (B's with `packsB`, else A's). Packing code depends on the layout kind
  /// and the blocking only: every GEMM of the module with the same kind
  /// shares it.
  void callPacking(bool packsB, StringRef kind, Value buffer, Value base,
                   Value x, Value y, Value GemmProblem::*operand,
                   Value GemmProblem::*stride0, Value GemmProblem::*stride1) {
    std::string name;
    llvm::raw_string_ostream os(name);
    os << "__ein_gemm_pack_" << (packsB ? "b" : "a") << "_" << kind << "_f"
       << k.element.getIntOrFloatBitWidth() << "_" << k.mr << "x" << k.nr;
    auto fn = module.lookupSymbol<func::FuncOp>(name);
    if (!fn) {
      OpBuilder b(module.getContext());
      Type flat = flatMemRefType(k.element, false);
      Type strided = flatMemRefType(k.element, true);
      b.setInsertionPointToEnd(module.getBody());
      Type index = b.getIndexType();
      fn = func::FuncOp::create(
          b, e.loc, name,
          b.getFunctionType({flat, strided, index, index, index, index, index},
                            {}));
      fn.setPrivate();
      Block *entry = fn.addEntryBlock();
      b.setInsertionPointToStart(entry);
      ValueRange a = entry->getArguments();
      GemmProblem fp = p;
      fp.*operand = a[1];
      fp.*stride0 = a[5];
      fp.*stride1 = a[6];
      GemmEmitter inner{{Emitter{b, e.loc}, vec}, fp, k, module};
      inner.kcPitch = kcPitch;
      inner.sharedKernels = sharedKernels;
      if (packsB)
        inner.packB(a[0], a[2], a[3], a[4]);
      else
        inner.packA(a[0], a[2], a[3], a[4]);
      func::ReturnOp::create(b, e.loc);
    }
    callKernel(e.b, e.loc, fn,
               {buffer, p.*operand, base, x, y, p.*stride0, p.*stride1});
  }
  /// packB through the module's shared function of B's layout kind.
  void callPackB(Value bp, Value base, Value kc, Value nc) {
    std::string kind = p.bUnitN ? "n" : p.bUnitK ? "k" : "strided";
    // (Two runs of columns: the outer run's stride is passed; sBn is 1.)
    if (p.colRun)
      kind += "_runs" + std::to_string(p.colRun);
    callPacking(true, kind, bp, base, kc, nc, &GemmProblem::b,
                &GemmProblem::sBk,
                p.colRun ? &GemmProblem::sBnOuter : &GemmProblem::sBn);
  }
  /// packA through the module's shared function of A's layout kind.
  void callPackA(Value ap, Value base, Value mc, Value kc) {
    std::string kind = aRows() ? "rows" + std::to_string(kcPitch)
                       : p.aUnitM ? std::string("m")
                                  : std::string("strided");
    // (Two runs of depth: the outer run's stride is passed; sAk is 1.)
    if (p.depthRun)
      kind += "_runs" + std::to_string(p.depthRun);
    callPacking(false, kind, ap, base, mc, kc, &GemmProblem::a,
                &GemmProblem::sAm,
                p.depthRun ? &GemmProblem::sAkOuter : &GemmProblem::sAk);
  }

  static int64_t roundUp(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

  /// A parallel loop over `blocks` blocks of `total` (static) elements that
  /// shares out whole units of `unit` evenly: block i holds units
  /// [i U / blocks, (i + 1) U / blocks) of U, the last cut at `total`;
  /// `body(start, size, i)`. (Blocks of one size, the last short, put 72
  /// of 128 rows on one of two threads, 128 of 200 columns.)
  void evenBlocks(int64_t total, int64_t unit, int64_t blocks,
                  function_ref<void(Value, Value, Value)> body) {
    e.outerLoop(true, e.c(blocks), e.c(1), [&](Value i) {
      Value from = evenStart(i, total, unit, blocks);
      body(from, e.sub(evenStart(e.add(i, e.c(1)), total, unit, blocks), from),
           i);
    });
  }
  /// How many evenBlocks share out `total` in units of `unit`: about one
  /// per `step` elements, made even (at most one per unit); 0 when the
  /// largest would hold more than `most` elements.
  static int64_t evenBlockCount(int64_t total, int64_t unit, int64_t step,
                                int64_t most) {
    int64_t units = (total + unit - 1) / unit;
    int64_t blocks = (total + step - 1) / step;
    blocks = std::min(blocks + blocks % 2, units);
    return largestEvenBlock(total, unit, blocks) <= most ? blocks : 0;
  }
  /// The elements of the largest of evenBlocks(total, unit, blocks).
  static int64_t largestEvenBlock(int64_t total, int64_t unit, int64_t blocks) {
    int64_t units = (total + unit - 1) / unit;
    return (units + blocks - 1) / blocks * unit;
  }
  /// The first element of block i of evenBlocks(total, unit, blocks).
  Value evenStart(Value i, int64_t total, int64_t unit, int64_t blocks) {
    int64_t units = (total + unit - 1) / unit;
    Value first =
        arith::DivSIOp::create(e.b, e.loc, e.mul(i, e.c(units)), e.c(blocks));
    return e.min(e.mul(first, e.c(unit)), e.c(total));
  }

  /// A static bound of a loop extent, or `fallback` when dynamic.
  static int64_t bound(int64_t size, int64_t block) {
    return ShapedType::isDynamic(size) ? block : std::min(size, block);
  }

  /// The next batch's offsets in A, B and C and whether there is one, set
  /// while a batch whose packing is one block of A rows after another
  /// and one of B (K <= KC, N <= NC) is emitted; else null.
  Value nextA = {}, nextB = {}, nextC = {}, hasNext = {};
  /// Parallel row blocks of a static M: how many (their sizes whole tiles
  /// that differ by at most one); 0: blocks of MC rows.
  int64_t rowBlocks = 0;
  /// The rows the row-block loops cover (M, or one half of a batch's rows).
  Value rowsM = {};

  /// Element `start` + (rows - 1) * `s0` + `lastCol` + 1 (`lastCol`: the
  /// offset of the last column in a row): the end of a rows x cols block
  /// at `start`, or `start` (nothing to prefetch) when the block is not
  /// dense enough (more than twice its elements apart: a strided operand)
  /// or `ok` is false.
  Value denseEnd(Value ok, Value start, Value rows, Value cols, Value s0,
                 Value lastCol) {
    Value span = e.add(e.add(e.mul(e.sub(rows, e.c(1)), s0), lastCol), e.c(1));
    Value dense = arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::sle,
                                        span, e.mul(e.c(2), e.mul(rows, cols)));
    Value use = arith::AndIOp::create(e.b, e.loc, ok, dense);
    return arith::SelectOp::create(e.b, e.loc, use, e.add(start, span), start);
  }

  /// The tile call's prefetch streams (GemmTiles.h) for the row block at
  /// `ic`: what the packing calls after it read, fetched while its tiles
  /// compute. Operands streamed from L3 were packed at a third of the
  /// speed of operands in L2 (bij,bjk->bik 64x128x128: 56 us a batch,
  /// 47 with 2 batches; 44 without packing). What comes next is the next
  /// row block of this depth block, else the first row block of the next
  /// depth block (same columns), else (nextA) the next batch's. Stream 1:
  /// that row block of A; stream 2: this row block's share of the next
  /// depth block's B, or of the next batch's; stream 3: that row block's
  /// C rows, fetched for writing. None with parallel row blocks (the next
  /// block is another thread's).
  SmallVector<Value> prefetchStreams(bool parallelRows, Value aBase,
                                     Value bBase, Value cBase, Value ic,
                                     Value pc, Value kc, Value jc, Value nc) {
    if (parallelRows)
      return {p.a, e.c(0), e.c(0), p.b, e.c(0), e.c(0), cBuf, e.c(0), e.c(0)};
    auto select = [&](Value cond, Value x, Value y) -> Value {
      return arith::SelectOp::create(e.b, e.loc, cond, x, y);
    };
    auto orI = [&](Value x, Value y) -> Value {
      return arith::OrIOp::create(e.b, e.loc, x, y);
    };
    Value icNext = e.add(ic, e.c(k.mc));
    Value inBlock = e.lt(icNext, rowsM);
    Value pcNext = e.add(pc, e.c(k.kc));
    Value nextDepth = e.lt(pcNext, p.nk);
    Value kcNext = e.min(e.c(k.kc), e.sub(p.nk, pcNext));
    Value firstRows = e.min(e.c(k.mc), rowsM);
    // The next row block of this depth block, else the next depth block's
    // first.
    Value aStart =
        select(inBlock, e.add(aBase, e.add(e.mul(icNext, p.sAm),
                                           aDepthOffset(pc))),
               e.add(aBase, aDepthOffset(pcNext)));
    Value rows =
        select(inBlock, e.min(e.c(k.mc), e.sub(rowsM, icNext)), firstRows);
    Value depth = select(inBlock, kc, kcNext);
    Value cStart = select(
        inBlock, e.add(cBase, e.add(e.mul(icNext, cRowStride), cColOffset(jc))),
        e.add(cBase, cColOffset(jc)));
    Value cCols = nc;
    Value any, bStart, bEnd;
    if (nextA) {
      // One depth block: after the last row block comes the next batch,
      // whose B is the one to fetch.
      aStart = select(inBlock, aStart, nextA);
      depth = kc;
      cStart = select(inBlock, cStart, nextC);
      cCols = select(inBlock, nc, p.nn);
      any = orI(inBlock, hasNext);
      bStart = nextB;
      bEnd = denseEnd(hasNext, nextB, p.nk, p.nn, p.sBk,
                      bColOffset(e.sub(p.nn, e.c(1))));
    } else {
      // The next depth block's B.
      any = orI(inBlock, nextDepth);
      bStart = e.add(bBase, e.add(e.mul(pcNext, p.sBk), bColOffset(jc)));
      bEnd = denseEnd(nextDepth, bStart, kcNext, nc, p.sBk,
                      bColOffset(e.sub(nc, e.c(1))));
    }
    Value aEnd = denseEnd(any, aStart, rows, depth, p.sAm,
                          aDepthOffset(e.sub(depth, e.c(1))));
    Value cEnd = denseEnd(any, cStart, rows, cCols, cRowStride,
                          cColOffset(e.sub(cCols, e.c(1))));
    // One share of B's range per row block.
    Value blocks = arith::CeilDivSIOp::create(e.b, e.loc, rowsM, e.c(k.mc));
    Value share = arith::CeilDivSIOp::create(e.b, e.loc,
                                             e.sub(bEnd, bStart), blocks);
    Value from = e.add(
        bStart,
        e.mul(arith::DivSIOp::create(e.b, e.loc, ic, e.c(k.mc)), share));
    return {p.a, aStart, aEnd, p.b, from, e.min(e.add(from, share), bEnd),
            cBuf, cStart, cEnd};
  }

  /// One KC x NC block of B against all rows: packs B[bBase + (pc, jc)],
  /// then for each MC block of rows (in parallel when `parallelRows`; each
  /// allocating its own A panel when `ap` is null) packs A[aBase + (ic, pc)]
  /// and adds the register tiles into cBuf at cBase + row * cRowStride +
  /// column.
  void blockUpdate(Value aBase, Value bBase, Value cBase, Value ap, Value bp,
                   bool parallelRows, int64_t apSize, Value pc, Value kc,
                   Value jc, Value nc) {
    callPackB(bp, e.add(bBase, e.add(e.mul(pc, p.sBk), bColOffset(jc))), kc,
              nc);
    firstDepth =
        overwrite
            ? arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::eq, pc,
                                    e.c(0))
                  .getResult()
            : arith::ConstantIntOp::create(e.b, e.loc, 0, 1).getResult();
    auto rowBlock = [&](Value ic, Value mc) {
      Value rowAp = ap ? ap : e.alloc(k.element, apSize);
      callPackA(rowAp, e.add(aBase, e.add(e.mul(ic, p.sAm), aDepthOffset(pc))),
            mc, kc);
      Value cBlock =
          e.add(cBase, e.add(e.mul(ic, cRowStride), cColOffset(jc)));
      SmallVector<Value> args = {rowAp, bp,  cBuf, cBlock,    cRowStride,
                                 mc,    nc, kc,   firstDepth};
      args.append(prefetchStreams(parallelRows, aBase, bBase, cBase, ic, pc,
                                  kc, jc, nc));
      if (cOuter)
        args.push_back(cOuter);
      callKernel(e.b, e.loc, tiles, args);
      if (!ap)
        memref::DeallocOp::create(e.b, e.loc, rowAp);
    };
    if (parallelRows && rowBlocks)
      return evenBlocks(p.staticM, k.mr, rowBlocks,
                        [&](Value ic, Value mc, Value) { rowBlock(ic, mc); });
    e.outerLoop(parallelRows, rowsM, e.c(k.mc), [&](Value ic) {
      rowBlock(ic, e.min(e.c(k.mc), e.sub(rowsM, ic)));
    });
  }

  /// Split-K (one batch, M <= MC, N < 4 NR): each depth block of KC is a
  /// parallel iteration that packs its panels and adds its tiles into its
  /// own zeroed M x N partial; then C += the partials, in order.
  void emitSplitK(int64_t apSize, int64_t bpSize) {
    int64_t m = p.staticM, n = p.staticN;
    // A static depth: an even number of slots, the depth shared out evenly
    // in whole runs or vectors (2500 deep: 6 slots of 416-424, not 4 x 512
    // + 452, three slots on one of two threads; 128x2500 times 2500x32 on
    // two threads 0.245 -> 0.212 ms).
    int64_t unit = p.depthRun ? p.depthRun : k.lanes;
    int64_t slotCount = ShapedType::isDynamic(p.staticK)
                            ? 0
                            : evenBlockCount(p.staticK, unit, k.kc, k.kc);
    Value slots = slotCount
                      ? e.c(slotCount)
                      : arith::CeilDivSIOp::create(e.b, e.loc, p.nk, e.c(k.kc));
    Value partials = memref::AllocOp::create(
        e.b, e.loc, MemRefType::get({ShapedType::kDynamic}, k.element),
        ValueRange{e.mul(slots, e.c(m * n))}, e.b.getI64IntegerAttr(64));
    // (Each slot's rows are N apart; vectors along the columns.)
    auto eachRow = [&](function_ref<void(Value, Value, Value)> body) {
      e.loop(e.c(m), 1, [&](Value r) {
        e.loop(e.c(n), k.lanes, [&](Value col) {
          body(r, col, mask(e.sub(e.c(n), col)));
        });
      });
    };
    auto depthSlot = [&](Value pc, Value kc, Value slot) {
      Value base = e.mul(slot, e.c(m * n));
      eachRow([&](Value r, Value col, Value msk) {
        vector::MaskedStoreOp::create(
            e.b, e.loc, partials,
            ValueRange{e.add(base, e.add(e.mul(r, e.c(n)), col))}, msk,
            zeroVector());
      });
      Value bp = e.alloc(k.element, bpSize);
      Value ap = e.alloc(k.element, apSize);
      cBuf = partials;
      cRowStride = e.c(n);
      cOuter = Value();
      tiles = tilesFunction(false);
      e.loop(e.c(0), p.nn, e.c(k.nc), [&](Value jc) {
        Value nc = e.min(e.c(k.nc), e.sub(p.nn, jc));
        blockUpdate(e.c(0), e.c(0), base, ap, bp, /*parallelRows=*/false,
                    apSize, pc, kc, jc, nc);
      });
      memref::DeallocOp::create(e.b, e.loc, ap);
      memref::DeallocOp::create(e.b, e.loc, bp);
    };
    if (slotCount)
      evenBlocks(p.staticK, unit, slotCount, depthSlot);
    else
      e.outerLoop(true, slots, e.c(1), [&](Value slot) {
        Value pc = e.mul(slot, e.c(k.kc));
        depthSlot(pc, e.min(e.c(k.kc), e.sub(p.nk, pc)), slot);
      });
    cOuter = p.sCnOuter;
    e.loop(e.c(0), slots, e.c(1), [&](Value slot) {
      Value base = e.mul(slot, e.c(m * n));
      eachRow([&](Value r, Value col, Value msk) {
        Value at = e.add(e.mul(r, p.sCm), cColOffset(col));
        Value sum = arith::AddFOp::create(
            e.b, e.loc, maskedLoad(p.c, at, msk),
            maskedLoad(partials,
                       e.add(base, e.add(e.mul(r, e.c(n)), col)), msk));
        vector::MaskedStoreOp::create(e.b, e.loc, p.c, ValueRange{at}, msk,
                                      sum);
      });
    });
    memref::DeallocOp::create(e.b, e.loc, partials);
  }

  /// With `zeroFilled` (C was just filled with zeros and K > 0), C's fill
  /// may be skipped: returns true if the kernel stores C's first values
  /// itself (every path but split-K).
  bool emit(bool parallel, int64_t minParallelWork, bool zeroFilled) {
    cBuf = p.c;
    rowsM = p.nm;
    cRowStride = p.sCm;
    int64_t kcMax = bound(p.staticK, k.kc);
    // The row pitch of a row-packed A is a constant of the shared tile
    // function: 64, 128 or the depth block, so that GEMMs of different
    // depths share one (a chain of eight matrices with depths 90-310 had
    // six tile functions, 320 ms to compile).
    kcPitch = kcMax <= 64 ? 64 : kcMax <= 128 ? 128 : std::max(kcMax, k.kc);
    cOuter = p.sCnOuter;
    tiles = tilesFunction(bool(cOuter));
    int64_t apDepth = aRows() ? kcPitch : kcMax;
    int64_t apSize = roundUp(bound(p.staticM, k.mc), k.mr) * apDepth;
    int64_t bpSize = roundUp(bound(p.staticN, k.nc), k.nr) * kcMax;
    // Threads only pay off above some work (multiply-adds); then run the
    // batch in parallel when there is one, else the row blocks.
    auto known = [](int64_t x) { return !ShapedType::isDynamic(x); };
    if (known(p.staticB) && known(p.staticM) && known(p.staticN) &&
        known(p.staticK) &&
        p.staticB * p.staticM * p.staticN * p.staticK < minParallelWork)
      parallel = false;
    bool batchParallel = parallel && p.staticB != 1;
    // Three or five batches of many rows: the threads take halves of
    // batches (whole tiles each), so that 3 batches are not 2 on one
    // thread and 1 on the other; each half packs its own panels. Two
    // threads: bij,bjk->bik 3x300³ 1.32 -> 1.12 ms, 5x128x256 by 5x256x128
    // 0.318 -> 0.294 ms, attention scores of 3 heads 256x256x64 0.195 ->
    // 0.168 ms; 7x64x128 by 7x128x512 ran 5% slower (4 batches against
    // 3.5), so not from 7 on.
    bool batchHalves = batchParallel && known(p.staticB) && p.staticB % 2 &&
                       p.staticB < 6 && known(p.staticM) &&
                       p.staticM >= 8 * k.mr;
    // Row blocks share one packed B panel, which the other thread reads
    // from this one's cache: for up to three blocks of rows, parallel column
    // blocks (each packing its own panels) ran 1.3-1.9x faster (128^3,
    // 288x1024x64, 256x128x512 on two threads).
    // Column blocks also win over more rows while M is at most 4 N: the
    // row blocks' B panel is packed by one thread while the other waits,
    // each column block packs A again (two threads, rows -> columns:
    // 200x500 times 500x3000 2.85 -> 1.75 ms, 512^2 0.95 -> 0.79, 1024^2
    // 7.0 -> 6.3, 2048^2 62 -> 57, 1024x256 times 256x256 0.40 -> 0.36;
    // 2048x1024 times 1024x256 3.6 -> 4.0 and 4096x1024 times 1024x128
    // 3.8 -> 5.3 stay by rows).
    bool colPossible = known(p.staticN) && p.staticN >= 4 * k.nr;
    bool manyRows =
        !known(p.staticM) ||
        (p.staticM > 3 * k.mc && (!colPossible || p.staticM > 4 * p.staticN));
    // A small output and a long depth go to split-K below even with a few
    // row blocks: parallel rows forked threads per depth block, each with
    // little work (128x16384 times 16384x32 on two threads: 1.03 ms rows,
    // 0.61 split-K, 0.84 on one thread; 300x4096x16: 0.28 -> 0.18).
    // Below 64-byte vectors outputs up to 65536 elements too: 256x4096
    // times 4096x256 on two threads of an AVX2 machine, 3.7 ms by rows,
    // 3.4 split-K (at the KC of 512 below).
    int64_t vectorBits = k.lanes * k.element.getIntOrFloatBitWidth();
    bool smallOutputLongDepth =
        known(p.staticM) && known(p.staticN) &&
        p.staticM * p.staticN <= (vectorBits >= 512 ? 32768 : 65536) &&
        (!known(p.staticK) || p.staticK >= 4 * k.kc);
    bool rowParallel = parallel && !batchParallel && !smallOutputLongDepth &&
                       (manyRows || (p.staticM > k.mc && !colPossible));
    // Parallel row blocks, an even number of them (blocks up to 1.5 MC),
    // each of whole tiles, the tiles shared out evenly: the threads take
    // blocks from a shared counter (guided schedule), and blocks of one
    // size with a short last one left one thread 72 of 128 rows (5 x 24 +
    // 8), 144 of 256 rows of 6-row tiles (7 x 36 + 4). 128x1024 times
    // 1024x1024 on two threads: 2.24 -> 2.01 ms.
    if (rowParallel && known(p.staticM)) {
      rowBlocks = evenBlockCount(p.staticM, k.mr, k.mc * 3 / 2,
                                 std::numeric_limits<int64_t>::max());
      k.mc = largestEvenBlock(p.staticM, k.mr, rowBlocks);
      apSize = roundUp(bound(p.staticM, k.mc), k.mr) * apDepth;
    }
    // Otherwise (64x64 times 64x8192, 128^3) the column blocks run in
    // parallel, at least four of them, each packing its own panels.
    bool colParallel =
        parallel && !batchParallel && !rowParallel && colPossible;
    int64_t ncStep = k.nc;
    // (Blocks of whole column runs, if B's or C's columns are two.)
    int64_t colRun = p.colRun ? p.colRun : p.cColRun ? p.cColRun : k.nr;
    // (Whole tiles or runs shared out evenly: blocks of one size put 128 of
    // 200 columns on one of two threads.)
    int64_t colBlocks = 0;
    if (colParallel) {
      ncStep = std::min(k.nc, roundUp((p.staticN + 3) / 4, colRun));
      colBlocks = evenBlockCount(p.staticN, colRun, ncStep, k.nc);
      if (colBlocks)
        ncStep = largestEvenBlock(p.staticN, colRun, colBlocks);
    }
    // A small output and a long depth (64x8192 times 8192x64): the depth
    // blocks run in parallel into partial outputs, summed at the end.
    if (parallel && !batchParallel && !rowParallel && !colParallel &&
        known(p.staticM) && known(p.staticN) &&
        (!known(p.staticK) || p.staticK >= 4 * k.kc)) {
      emitSplitK(apSize, bpSize);
      return false;
    }
    overwrite = zeroFilled;

    // Each batch one block of B and of depth: the tiles prefetch the next
    // batch's operands (prefetchStreams).
    bool oneBlock = known(p.staticN) && p.staticN <= ncStep &&
                    known(p.staticK) && p.staticK <= k.kc &&
                    (!known(p.staticB) || p.staticB > 1) && !rowParallel &&
                    !batchHalves;
    // (`firstRow`: the half's first row, with `rowsM` its rows.)
    auto perBatch = [&](Value bi, Value sharedBp, Value sharedAp,
                        Value firstRow = {}) {
      Value offA = p.batchOffset(e.b, e.loc, bi, 0);
      Value offB = p.batchOffset(e.b, e.loc, bi, 1);
      Value offC = p.batchOffset(e.b, e.loc, bi, 2);
      if (firstRow) {
        offA = e.add(offA, e.mul(firstRow, p.sAm));
        offC = e.add(offC, e.mul(firstRow, p.sCm));
      }
      if (oneBlock) {
        Value next = e.add(bi, e.c(1));
        hasNext = e.lt(next, p.nb);
        // (The last batch computes offsets of its own: nothing past it.)
        Value at = arith::SelectOp::create(e.b, e.loc, hasNext, next, bi);
        nextA = p.batchOffset(e.b, e.loc, at, 0);
        nextB = p.batchOffset(e.b, e.loc, at, 1);
        nextC = p.batchOffset(e.b, e.loc, at, 2);
      }
      auto columnBlock = [&](Value jc, Value nc) {
        Value bp = sharedBp ? sharedBp : e.alloc(k.element, bpSize);
        Value ownAp = sharedAp || rowParallel ? Value()
                                              : e.alloc(k.element, apSize);
        // Null: each row block allocates its own (parallel rows).
        Value blockAp = sharedAp ? sharedAp : ownAp;
        e.loop(e.c(0), p.nk, e.c(k.kc), [&](Value pc) {
          Value kc = e.min(e.c(k.kc), e.sub(p.nk, pc));
          blockUpdate(offA, offB, offC, blockAp, bp, rowParallel, apSize, pc,
                      kc, jc, nc);
        });
        if (ownAp)
          memref::DeallocOp::create(e.b, e.loc, ownAp);
        if (!sharedBp)
          memref::DeallocOp::create(e.b, e.loc, bp);
      };
      if (colBlocks)
        evenBlocks(p.staticN, colRun, colBlocks,
                   [&](Value jc, Value nc, Value) { columnBlock(jc, nc); });
      else
        e.outerLoop(colParallel, p.nn, e.c(ncStep), [&](Value jc) {
          columnBlock(jc, e.min(e.c(ncStep), e.sub(p.nn, jc)));
        });
      nextA = nextB = nextC = hasNext = Value();
    };

    if (batchParallel) {
      // With halves, item i: batch i / 2, rows [h T / 2, (h + 1) T / 2) of
      // T tiles for h = i % 2.
      Value items = batchHalves ? e.mul(p.nb, e.c(2)) : p.nb;
      e.outerLoop(true, items, e.c(1), [&](Value item) {
        Value bp = e.alloc(k.element, bpSize);
        Value ap = e.alloc(k.element, apSize);
        if (batchHalves) {
          Value bi = arith::DivSIOp::create(e.b, e.loc, item, e.c(2));
          Value h = arith::RemSIOp::create(e.b, e.loc, item, e.c(2));
          Value from = evenStart(h, p.staticM, k.mr, 2);
          rowsM = e.sub(evenStart(e.add(h, e.c(1)), p.staticM, k.mr, 2), from);
          perBatch(bi, bp, ap, from);
          rowsM = p.nm;
        } else {
          perBatch(item, bp, ap);
        }
        memref::DeallocOp::create(e.b, e.loc, ap);
        memref::DeallocOp::create(e.b, e.loc, bp);
      });
      return overwrite;
    }
    // (Parallel column blocks allocate their own panels.)
    Value bp = colParallel ? Value() : e.alloc(k.element, bpSize);
    Value ap = rowParallel || colParallel ? Value()
                                          : e.alloc(k.element, apSize);
    e.loop(e.c(0), p.nb, e.c(1), [&](Value bi) { perBatch(bi, bp, ap); });
    if (ap)
      memref::DeallocOp::create(e.b, e.loc, ap);
    if (bp)
      memref::DeallocOp::create(e.b, e.loc, bp);
    return overwrite;
  }
};
} // namespace

/// The linalg.fill of zeros into `op`'s output right before it (only
/// side-effect-free ops and allocations between), if there is one.
static linalg::FillOp zeroFillBefore(linalg::LinalgOp op) {
  Value output = op.getDpsInits()[0];
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(prev)) {
      if (fill.getDpsInits()[0] != output)
        return {};
      auto value = fill.getDpsInputs()[0].getDefiningOp<arith::ConstantOp>();
      auto zero = value ? dyn_cast<FloatAttr>(value.getValue()) : FloatAttr();
      return zero && zero.getValue().isPosZero() ? fill : linalg::FillOp();
    }
    if (!isMemoryEffectFree(prev) && !isa<memref::AllocOp>(prev))
      return {};
  }
  return {};
}

/// GEMMs of at most this many row blocks pack B in blocks of at most
/// kSmallBBlockBytes (vectorizeContraction).
static constexpr int64_t kFewRowBlocks = 4;
static constexpr int64_t kSmallBBlockBytes = 256 * 1024;

/// MR below 64-byte vectors for M rows: 6, or 4 where M's last row tile
/// would leave more of 6 rows idle than the 4-row tile's ~2% lower rate
/// costs (1024^2 on an AVX2 Zen 3: 24.0-24.5 ms against 23.5-24.1). With
/// the 8 accumulators of 4 x 16 the FMA units still have one independent
/// chain each per cycle of latency: bij,bjk->bik 32x64x64 0.207-0.233 ->
/// 0.194-0.201 ms, 64x128x128 3.13-3.20 -> 3.05-3.08, 32 rows by 1024 deep
/// by 1024 (stp,stqr->pqr, in tn3's VJP) 1.09-1.24 -> 0.99-1.02.
///
/// With 64-byte vectors: 8, or 12 where M's last row tile would leave more
/// of 8 rows idle than the 12-row tile's ~4% lower rate costs (M 12, 36,
/// 60). On Zen 5 the 8 x 32 tile (16 accumulators) ran every GEMM measured
/// as fast or faster than 12 x 32 (ein-run, one thread): 1024^2 10.4-10.6
/// ms against 10.9-11.1, 2048^2 91-94 against 93-95 (two threads 50-52
/// against 52-53), bij,bjk->bik 64x128x128 1.45 against 1.49-1.58,
/// 16x1024x1024 0.45-0.47 against 0.52-0.54; and the small ones whose M
/// the 12 rows do not fill: cba,ad->dcb 100x100x24 by 24x8 (M 8) 0.050
/// -> 0.038 ms with the shared kernels.
static int64_t tileRows(int64_t m, bool avx512) {
  int64_t small = avx512 ? 8 : 4, large = avx512 ? 12 : 6;
  if (ShapedType::isDynamic(m))
    return avx512 ? small : large;
  auto rowsComputed = [&](int64_t mr) { return (m + mr - 1) / mr * mr; };
  if (avx512)
    return rowsComputed(large) * 104 < rowsComputed(small) * 100 ? large
                                                                 : small;
  return rowsComputed(small) * 102 < rowsComputed(large) * 100 ? small : large;
}

LogicalResult mlir::ein::vectorizeContraction(RewriterBase &rewriter,
                                              linalg::LinalgOp op,
                                              const GemmTiling &tiling) {
  // (The register tiles are a function of the module.)
  auto module = op->getParentOfType<ModuleOp>();
  // A's depth may be two runs, the inner one from a vector of f32 up to
  // a depth block long; B's columns, the inner one of whole register
  // tiles up to a block of columns.
  int64_t kc = tiling.kc ? tiling.kc : tiling.vectorBytes >= 64 ? 256 : 512;
  // (f64 or f32; classifyContraction fails on other ops, such as those
  // without inputs.)
  bool f64 = op.getNumDpsInputs() > 0 &&
             getElementTypeOrSelf(op.getDpsInputs()[0].getType()).isF64();
  int64_t elementBytes = f64 ? 8 : 4;
  int64_t nc = tiling.nc ? tiling.nc : elementBytes == 4 ? 1024 : 512;
  SplitRuns splits{int64_t(tiling.vectorBytes) / 4, kc,
                   tiling.nrVectors * tiling.vectorBytes / elementBytes, nc};
  FailureOr<GemmRoles> roles =
      classifyContraction(op, tiling.smallGemmWork, splits);
  if (!module || failed(roles))
    return failure();
  // Dot products whose depth is not innermost in an input would first
  // copy it transposed; when every input runs along the output's
  // contiguous loop the column sums read them once, in place (ij,ij->j
  // 4096^2 f32: 37 -> 5.0 ms on one thread; numpy 6.0).
  if (roles->kind == GemmKind::Dot &&
      (!roles->copyOrder[0].empty() || !roles->copyOrder[1].empty()) &&
      sumsColumnsInPlace(op))
    return failure();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  SmallVector<Value> temporaries;
  // A zero fill right before: an output copy starts from zeros instead of a
  // copy of C, and the fill of C goes (the copy back writes all of C):
  // two passes over C fewer.
  linalg::FillOp fill = zeroFillBefore(op);
  bool zeroCopy = fill && !roles->outputOrder.empty();
  GemmProblem problem =
      materializeGemm(rewriter, op, *roles, temporaries, zeroCopy);
  if (zeroCopy) {
    rewriter.eraseOp(fill);
    fill = problem.copyFill;
  }
  if (roles->kind != GemmKind::Gemm) {
    // Memory-bound: threads only from 2^20 elements (4 MiB of f32, ~80 us
    // on one core) on.
    auto known = [](int64_t x) { return !ShapedType::isDynamic(x); };
    bool large = !known(problem.staticB) || !known(problem.staticN) ||
                 !known(problem.staticK) ||
                 problem.staticB * problem.staticN * problem.staticK >=
                     (int64_t(1) << 20);
    emitThinContraction(rewriter, op.getLoc(), problem, roles->kind,
                        tiling.vectorBytes, tiling.parallel && large);
    finishGemm(rewriter, op.getLoc(), problem, temporaries);
    rewriter.eraseOp(op);
    return success();
  }
  Blocking k;
  k.element = problem.elementType;
  int64_t bytes = problem.elementType.getWidth() / 8;
  k.lanes = tiling.vectorBytes / bytes;
  k.nv = tiling.nrVectors;
  k.nr = k.nv * k.lanes;
  // MR x nv vectors of accumulators, nv of B and a broadcast: 16 + 3 (or
  // 24 + 3) of AVX-512's 32 registers, 12 + 3 (or 8 + 3) of AVX2's 16
  // (tileRows).
  k.mr = tiling.mr ? tiling.mr
                   : tileRows(problem.staticM, tiling.vectorBytes >= 64);
  // Below 64-byte vectors a deeper, shorter block (KC 512, MC 4 MR: a
  // 32 KiB B micro-panel, C updated half as often): on an AVX2 machine
  // 2048^2 on two threads 117 -> 104 ms, f64 1536^2 101 -> 89, one thread
  // 1-3% (AVX-512 keeps the blocking measured there).
  k.kc = kc;
  // Depth blocks of whole runs when A's depth is two.
  if (problem.depthRun)
    k.kc = k.kc / problem.depthRun * problem.depthRun;
  k.mc = tiling.mc ? tiling.mc : (tiling.vectorBytes >= 64 ? 8 : 4) * k.mr;
  k.nc = nc;
  // Few row blocks (M at most kFewRowBlocks MC) reuse a packed block of B
  // too few times to read it from L3: its columns are narrowed so that the
  // block stays in L2 (kSmallBBlockBytes) from its packing to its last
  // use. One thread, 16 (or 128) x 1920 times 1920x800 f32: 0.60 -> 0.36
  // (2.46 -> 2.17) ms; 2048^2 ran 2-8% slower with the narrow block, so
  // large M keep NC. (Not with batches folded into the columns: their
  // runs set the block.)
  if (!tiling.nc && k.kc > 0 && !problem.colRun && !problem.cColRun &&
      !ShapedType::isDynamic(problem.staticM) &&
      problem.staticM <= kFewRowBlocks * k.mc)
    k.nc = std::min(
        k.nc, std::max(k.nr, kSmallBBlockBytes / (k.kc * bytes) / k.nr * k.nr));
  // Blocks of whole column runs when B's or C's columns are two.
  if (int64_t run = problem.colRun ? problem.colRun : problem.cColRun)
    k.nc = k.nc / run * run;
  k.vec = VectorType::get({k.lanes}, k.element);
  GemmEmitter emitter{
      {Emitter{rewriter, op.getLoc()}, k.vec}, problem, k, module};
  emitter.sharedKernels = tiling.sharedKernels;
  // A zero fill right before (of C or of its copy) is folded into the
  // kernel when K > 0: one pass over C fewer.
  bool foldFill = fill && !ShapedType::isDynamic(problem.staticK) &&
                  problem.staticK > 0;
  if (emitter.emit(tiling.parallel, tiling.minParallelWork, foldFill) &&
      foldFill)
    rewriter.eraseOp(fill);
  finishGemm(rewriter, op.getLoc(), problem, temporaries);
  rewriter.eraseOp(op);
  return success();
}
