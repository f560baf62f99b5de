//===- ShapeInferenceTest.cpp - Sizes, broadcasting and dynamic dims ------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "SpecTestUtils.h"

using namespace mlir::ein;
using namespace mlir::ein::test;

namespace {

constexpr int64_t D = kDynamic;

TEST(ShapeInference, LabelSizes) {
  Spec spec = parseOrFail("bij,bjk->bik");
  llvm::Expected<ShapeInfo> info = inferShapes(spec, {{2, 3, 4}, {2, 4, 5}});
  ASSERT_TRUE(static_cast<bool>(info)) << takeErrorMessage(info.takeError());
  EXPECT_EQ(info->getLabelSize(L('b')), 2);
  EXPECT_EQ(info->getLabelSize(L('i')), 3);
  EXPECT_EQ(info->getLabelSize(L('j')), 4);
  EXPECT_EQ(info->getLabelSize(L('k')), 5);
  EXPECT_EQ(info->getLabelSize(L('z')), kDynamic);
}

TEST(ShapeInference, SizeOneBroadcastsBetweenOperands) {
  EXPECT_EQ(resultShape("ij,ij->j", {{10, 2}, {1, 2}}), (Shape{2}));
  EXPECT_EQ(resultShape("ij,ij->ij", {{1, 2}, {10, 1}}), (Shape{10, 2}));
  EXPECT_EQ(resultShape("ijk,kl,jl->i", {{1, 5, 4}, {4, 6}, {5, 6}}),
            (Shape{1}));
  EXPECT_EQ(resultShape("ijp,ipq,ikq->ijk", {{3, 1, 1}, {3, 1, 3}, {1, 3, 3}}),
            (Shape{3, 1, 3}));
}

TEST(ShapeInference, DynamicDims) {
  EXPECT_EQ(resultShape("bij,bjk,bkl->bil", {{D, D, D}, {D, D, D}, {D, D, D}}),
            (Shape{D, D, D}));
  // A static size refines a dynamic one...
  EXPECT_EQ(resultShape("bij,bjk->bik", {{D, 3, 4}, {8, D, 5}}),
            (Shape{8, 3, 5}));
  // ...except 1, which may broadcast against the dynamic size.
  EXPECT_EQ(resultShape("ij,ij->ij", {{1, 2}, {D, 2}}), (Shape{D, 2}));
  EXPECT_EQ(resultShape("ij,ij->ij", {{D, 2}, {1, 2}}), (Shape{D, 2}));
  EXPECT_EQ(resultShape("ii->i", {{D, 4}}), (Shape{4}));
  EXPECT_EQ(resultShape("bij->b(ij)", {{8, D, 3}}), (Shape{8, D}));
  EXPECT_EQ(resultShape("...ij->...", {{D, 2, 3, 4}}), (Shape{D, 2}));
}

TEST(ShapeInference, EllipsisBroadcasting) {
  EXPECT_EQ(resultShape("...i,...i->...i", {{4, 1, 3}, {5, 3}}),
            (Shape{4, 5, 3}));
  EXPECT_EQ(resultShape("...i,...i->...", {{1, 3}, {7, 3}}), (Shape{7}));
  EXPECT_EQ(resultShape("...,...->...", {{D, 3}, {2, 1}}), (Shape{2, 3}));
  // No input has an ellipsis: the output's is empty.
  EXPECT_EQ(resultShape("i->...i", {{3}}), (Shape{3}));
}

TEST(ShapeInference, Groups) {
  EXPECT_EQ(resultShape("(ij)k,jk->ik", {{6, 5}, {3, 5}}), (Shape{2, 5}));
  EXPECT_EQ(resultShape("(ijk)->", {{24}}), (Shape{}));
  EXPECT_EQ(resultShape("(ij),i,j->(ji)", {{6}, {2}, {3}}), (Shape{6}));
  // A result shape fills sizes only groups know.
  Spec spec = parseOrFail("(ij)->ij");
  llvm::SmallVector<int64_t> result = {2, 3};
  llvm::Expected<ShapeInfo> info =
      inferShapes(spec, {{6}}, llvm::ArrayRef<int64_t>(result));
  ASSERT_TRUE(static_cast<bool>(info)) << takeErrorMessage(info.takeError());
  EXPECT_EQ(info->resultShape, (Shape{2, 3}));
  // ...and the group still checks them.
  llvm::SmallVector<int64_t> wrong = {2, 4};
  llvm::Expected<ShapeInfo> bad =
      inferShapes(spec, {{6}}, llvm::ArrayRef<int64_t>(wrong));
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_EQ(takeSpecError(bad.takeError()).kind, SpecError::Kind::GroupSize);
}

TEST(ShapeInference, ZeroSizes) {
  EXPECT_EQ(resultShape("ij,jk->ik", {{0, 3}, {3, 4}}), (Shape{0, 4}));
  EXPECT_EQ(resultShape("ij,jk->ik", {{2, 0}, {0, 4}}), (Shape{2, 4}));
  EXPECT_EQ(resultShape("(ij),i->j", {{0}, {0}}), (Shape{D}));
}

TEST(ShapeInference, GroupOverflow) {
  int64_t big = int64_t(1) << 40;
  SpecError err = shapeError("i,j->(ij)", {{big}, {big}});
  EXPECT_EQ(err.kind, SpecError::Kind::Overflow);
  EXPECT_NE(err.message.find("overflows 64 bits"), std::string::npos)
      << err.message;
}

TEST(ShapeInference, ShapeToString) {
  EXPECT_EQ(shapeToString({2, D, 4}), "2x?x4");
  EXPECT_EQ(shapeToString({}), "scalar");
}

} // namespace
