//===- ContractOpTest.cpp - Building ein ops from C++ ---------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/IR/EinOps.h"
#include "ein/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::ein;

namespace {

class ContractOpTest : public ::testing::Test {
protected:
  ContractOpTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registry.insert<func::FuncDialect>();
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  SpecAttr spec(StringRef text) {
    std::string error;
    SpecAttr attr = SpecAttr::parse(&context, text, error);
    EXPECT_TRUE(attr) << error;
    return attr;
  }

  MLIRContext context;
};

TEST_F(ContractOpTest, BuilderInfersTheResultType) {
  OpBuilder builder(&context);
  Location loc = builder.getUnknownLoc();
  auto f32 = builder.getF32Type();
  auto a = RankedTensorType::get({2, 3, 4}, f32);
  auto b = RankedTensorType::get({2, 4, 5}, f32);
  auto c = RankedTensorType::get({ShapedType::kDynamic, 5, 6}, f32);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, loc, "f",
                                   builder.getFunctionType({a, b, c}, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  auto op = ContractOp::create(builder, loc, spec("bij,bjk,bkl->bil"),
                               body->getArguments());
  func::ReturnOp::create(builder, loc);
  EXPECT_EQ(op.getType(), RankedTensorType::get({2, 3, 6}, f32));
  EXPECT_TRUE(succeeded(verify(*module)));

  std::string error;
  auto bad = ContractOp::inferResultType(spec("ij,jk->ik"), {a, b}, &error);
  EXPECT_TRUE(failed(bad));
  EXPECT_EQ(error,
            "expected operand #0 to have rank 2 for 'ij', but found rank 3");
}

TEST_F(ContractOpTest, SpecAttrIsUniquedByStructure) {
  // Different text, same structure: one attribute.
  EXPECT_EQ(spec("ij,jk"), spec(" ij , jk -> ik "));
  EXPECT_NE(spec("ij,jk->ik"), spec("ij,jk->ki"));
  EXPECT_EQ(spec("bij,(ij)k->bk").str(), "bij,(ij)k->bk");
  std::string error;
  EXPECT_FALSE(SpecAttr::parse(&context, "ij,jk>ik", error));
  EXPECT_EQ(error,
            "invalid einsum spec 'ij,jk>ik': unexpected '>' at column 6");
}

} // namespace
