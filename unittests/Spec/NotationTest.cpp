//===- NotationTest.cpp - Every row of the notation table -----------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// One test per row of DESIGN.md §1's notation and eingrad tables: the text
// parses into the expected structure, prints canonically, round-trips, and
// (where shapes matter) infers the expected result shape.
//
//===----------------------------------------------------------------------===//

#include "SpecTestUtils.h"

using namespace mlir::ein;
using namespace mlir::ein::test;

namespace {

TEST(Notation, LabelsAreOrderedLikeNumpy) {
  EXPECT_EQ(L('A'), 0);
  EXPECT_EQ(L('Z'), 25);
  EXPECT_EQ(L('a'), 26);
  EXPECT_EQ(L('z'), 51);
  EXPECT_FALSE(labelFromChar('0').has_value());
  EXPECT_FALSE(labelFromChar('_').has_value());
  for (char c : std::string("azAZmQ"))
    EXPECT_EQ(labelToChar(L(c)), c);
}

// `ij,jk->ik`: labels absent from the output are summed.
TEST(Notation, Contraction) {
  Spec spec = parseOrFail("ij,jk->ik");
  ASSERT_EQ(spec.getNumInputs(), 2u);
  EXPECT_EQ(spec.inputs[0].allLabels(),
            (llvm::SmallVector<Label>{L('i'), L('j')}));
  EXPECT_EQ(spec.inputs[1].allLabels(),
            (llvm::SmallVector<Label>{L('j'), L('k')}));
  EXPECT_EQ(spec.output.allLabels(),
            (llvm::SmallVector<Label>{L('i'), L('k')}));
  EXPECT_EQ(toString(spec), "ij,jk->ik");
  EXPECT_EQ(resultShape("ij,jk->ik", {{2, 3}, {3, 4}}), (Shape{2, 4}));
  EXPECT_EQ(resultShape("bij,bjk,bkl->bil", {{2, 3, 4}, {2, 4, 5}, {2, 5, 6}}),
            (Shape{2, 3, 6}));
}

// `ij,jk`: implicit output, the labels that occur once, sorted (numpy).
TEST(Notation, ImplicitOutput) {
  EXPECT_EQ(canonical("ij,jk"), "ij,jk->ik");
  EXPECT_EQ(canonical("ba,bc"), "ba,bc->ac");
  EXPECT_EQ(canonical("ab,ba"), "ab,ba->");
  EXPECT_EQ(canonical("ii"), "ii->");
  EXPECT_EQ(canonical("i"), "i->i");
  // Uppercase sorts first, as numpy sorts characters.
  EXPECT_EQ(canonical("ba,bA"), "ba,bA->Aa");
  EXPECT_EQ(canonical("ijk,kl,jl"), "ijk,kl,jl->i");
  // Labels inside groups count as occurrences.
  EXPECT_EQ(canonical("bij,(ij)k"), "bij,(ij)k->bk");
}

// `,ij->ij`, `->`: rank-0 operands and results.
TEST(Notation, RankZero) {
  Spec spec = parseOrFail(",ij->ij");
  ASSERT_EQ(spec.getNumInputs(), 2u);
  EXPECT_TRUE(spec.inputs[0].axes.empty());
  EXPECT_EQ(toString(spec), ",ij->ij");
  Spec scalar = parseOrFail("->");
  ASSERT_EQ(scalar.getNumInputs(), 1u);
  EXPECT_TRUE(scalar.inputs[0].axes.empty());
  EXPECT_TRUE(scalar.output.axes.empty());
  EXPECT_EQ(canonical(",,->"), ",,->");
  EXPECT_EQ(canonical(",ab,"), ",ab,->ab");
  EXPECT_EQ(resultShape(",ij->ij", {{}, {2, 3}}), (Shape{2, 3}));
  EXPECT_EQ(resultShape("->", {{}}), (Shape{}));
  EXPECT_EQ(resultShape("ab,->", {{2, 2}, {}}), (Shape{}));
}

// `ii->i`, `ii->`, `ijji->`: repeated input labels take diagonals.
TEST(Notation, DiagonalsAndTraces) {
  EXPECT_EQ(canonical("ii->i"), "ii->i");
  EXPECT_EQ(canonical("ii->"), "ii->");
  EXPECT_EQ(canonical("ijji->"), "ijji->");
  EXPECT_EQ(resultShape("ii->i", {{3, 3}}), (Shape{3}));
  EXPECT_EQ(resultShape("ii->", {{3, 3}}), (Shape{}));
  EXPECT_EQ(resultShape("ijji->", {{2, 4, 4, 2}}), (Shape{}));
  EXPECT_EQ(resultShape("ijjk->ik", {{2, 4, 4, 2}}), (Shape{2, 2}));
}

// `i->ii`, `ij->jiji`: repeated output labels embed a diagonal.
TEST(Notation, DiagonalEmbedding) {
  EXPECT_EQ(canonical("i->ii"), "i->ii");
  EXPECT_EQ(canonical("ij->jiji"), "ij->jiji");
  EXPECT_EQ(canonical("ij->iijj"), "ij->iijj");
  EXPECT_EQ(resultShape("i->ii", {{3}}), (Shape{3, 3}));
  EXPECT_EQ(resultShape("ij->jiji", {{2, 3}}), (Shape{3, 2, 3, 2}));
}

// `...ij,...jk->...ik`: ellipsis with numpy broadcasting.
TEST(Notation, Ellipsis) {
  Spec spec = parseOrFail("...ij,...jk->...ik");
  EXPECT_TRUE(spec.inputs[0].hasEllipsis());
  EXPECT_EQ(spec.inputs[0].numFixedAxes(), 2u);
  EXPECT_EQ(toString(spec), "...ij,...jk->...ik");
  EXPECT_EQ(resultShape("...ij,...jk->...ik", {{1, 5}, {5, 5}}), (Shape{1, 5}));
  EXPECT_EQ(resultShape("...ij,...jk->...ik", {{2, 1, 3, 4}, {5, 4, 6}}),
            (Shape{2, 5, 3, 6}));
  EXPECT_EQ(resultShape("...ij,jk", {{7, 3, 4}, {4, 5}}), (Shape{7, 3, 5}));
  EXPECT_EQ(canonical("...ij,jk"), "...ij,jk->...ik");
  // In the middle of a term, and summed when the output lacks it.
  EXPECT_EQ(resultShape("c...a,b...c->b...a", {{2, 5, 6, 3}, {4, 6, 2}}),
            (Shape{4, 5, 6, 3}));
  EXPECT_EQ(resultShape("a...a->...", {{3, 3}}), (Shape{}));
  EXPECT_EQ(resultShape("...i->i", {{2, 3, 4}}), (Shape{4}));
  EXPECT_EQ(resultShape("...ii->...i", {{3, 5, 5}}), (Shape{3, 5}));
}

// `bij,(ij)k->bk`: flattened-axis groups in inputs and outputs.
TEST(Notation, FlattenedGroups) {
  Spec spec = parseOrFail("bij,(ij)k->bk");
  ASSERT_EQ(spec.inputs[1].axes.size(), 2u);
  EXPECT_TRUE(spec.inputs[1].axes[0].isGroup());
  EXPECT_EQ(spec.inputs[1].axes[0].labels,
            (llvm::SmallVector<Label, 2>{L('i'), L('j')}));
  EXPECT_EQ(toString(spec), "bij,(ij)k->bk");
  EXPECT_EQ(resultShape("bij,(ij)k->bk", {{8, 2, 3}, {6, 5}}), (Shape{8, 5}));
  EXPECT_EQ(resultShape("bij->b(ij)", {{8, 2, 3}}), (Shape{8, 6}));
  // One unknown label of a group is its size divided by the others'.
  EXPECT_EQ(resultShape("(ij),i->j", {{6}, {2}}), (Shape{3}));
  // Labels only ever seen in a group have no size of their own.
  EXPECT_EQ(resultShape("(ij)->ij", {{6}}), (Shape{kDynamic, kDynamic}));
  EXPECT_EQ(resultShape("(ij)->(ji)", {{6}}), (Shape{6}));
}

// `i,i%j->j`: the eingrad marker, only where the caller allows it.
TEST(Notation, DerivativeMarker) {
  Spec spec = parseOrFail("i,i%j->j", /*allowDerivative=*/true);
  EXPECT_TRUE(spec.hasDerivative());
  EXPECT_FALSE(spec.inputs[0].derivativeSplit.has_value());
  ASSERT_TRUE(spec.inputs[1].derivativeSplit.has_value());
  EXPECT_EQ(*spec.inputs[1].derivativeSplit, 1u);
  EXPECT_EQ(toString(spec), "i,i%j->j");
  // Every row of the eingrad table.
  for (llvm::StringRef text :
       {"i%j,j->i", "i%j->ij", ",%j->j", "j%k->jk", "b%bj->bj", "bi%bj,bj->bi"})
    EXPECT_EQ(canonical(text, /*allowDerivative=*/true), text.str());
  // A scalar X: the marker at the end of the term.
  EXPECT_EQ(canonical("i%->i", /*allowDerivative=*/true), "i%->i");
  // The derivative operand's shape is Y's dims then X's.
  EXPECT_EQ(resultShape("i,i%j->j", {{3}, {3, 4}}), (Shape{4}));

  SpecError err = parseError("i,i%j->j");
  EXPECT_EQ(err.kind, SpecError::Kind::Syntax);
  EXPECT_EQ(err.column, 4u);
}

// `ij,jk->_i_k_`: keepdims axes.
TEST(Notation, KeepdimsAxes) {
  Spec spec = parseOrFail("ij,jk->_i_k_");
  ASSERT_EQ(spec.output.axes.size(), 5u);
  EXPECT_TRUE(spec.output.axes[0].isUnit());
  EXPECT_EQ(toString(spec), "ij,jk->_i_k_");
  EXPECT_EQ(resultShape("ij,jk->_i_k_", {{3, 4}, {4, 5}}),
            (Shape{1, 3, 1, 5, 1}));
  EXPECT_EQ(resultShape("_i->i", {{1, 3}}), (Shape{3}));
  EXPECT_EQ(resultShape("_i->i", {{kDynamic, 3}}), (Shape{3}));
}

// Spaces are ignored.
TEST(Notation, Spaces) {
  EXPECT_EQ(canonical("bij, bjk -> bik"), "bij,bjk->bik");
  EXPECT_EQ(canonical(" ... ii -> ... i "), "...ii->...i");
  EXPECT_EQ(canonical("( i j ) k"), "(ij)k->ijk");
  EXPECT_EQ(canonical("\tij ,\tji"), "ij,ji->");
}

// Printing what was parsed gives the same structure back.
TEST(Notation, PrintParseRoundTrip) {
  for (llvm::StringRef text :
       {"ij,jk->ik", ",ij->ij", "->", "ii->i", "i->ii", "ij->jiji",
        "...ij,...jk->...ik", "a...a->...", "bij,(ij)k->bk", "bij->b(ij)",
        "ij,jk->_i_k_", "ABC,Cba->Aa"}) {
    Spec spec = parseOrFail(text);
    Spec again = parseOrFail(toString(spec));
    EXPECT_EQ(spec, again) << text.str();
    EXPECT_EQ(hash_value(spec), hash_value(again)) << text.str();
  }
  EXPECT_NE(parseOrFail("ij->ij"), parseOrFail("ij->ji"));
}

TEST(Notation, Identity) {
  EXPECT_TRUE(parseOrFail("ij->ij").isIdentity());
  EXPECT_TRUE(parseOrFail("...i->...i").isIdentity());
  EXPECT_FALSE(parseOrFail("ij->ji").isIdentity());
  EXPECT_FALSE(parseOrFail("ii->ii").isIdentity());
  EXPECT_FALSE(parseOrFail("ij,jk->ik").isIdentity());
}

} // namespace
