//===- SpecErrorTest.cpp - Structured, precise errors ---------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//
//
// Every error names the spec and the column, or the label and both sizes,
// and carries those facts as fields.
//
//===----------------------------------------------------------------------===//

#include "SpecTestUtils.h"

using namespace mlir::ein;
using namespace mlir::ein::test;

namespace {

TEST(SpecError, SyntaxNamesSpecAndColumn) {
  SpecError err = parseError("ij,jk>ik");
  EXPECT_EQ(err.kind, SpecError::Kind::Syntax);
  EXPECT_EQ(err.message,
            "invalid einsum spec 'ij,jk>ik': unexpected '>' at column 6");
  EXPECT_EQ(err.spec, "ij,jk>ik");
  EXPECT_EQ(err.column, 6u);
}

struct SyntaxCase {
  const char *spec;
  unsigned column;
  const char *fragment;
};

TEST(SpecError, SyntaxCases) {
  const SyntaxCase cases[] = {
      {"i%...", 2, "unexpected '%'"},
      {"...j$", 5, "unexpected '$'"},
      {"i->&", 4, "unexpected '&'"},
      {"i..", 2, "not part of an ellipsis"},
      {".i...", 1, "not part of an ellipsis"},
      {"j->..j", 4, "not part of an ellipsis"},
      {"j->.j...", 4, "not part of an ellipsis"},
      {"....i", 4, "not part of an ellipsis"},
      {"...i...", 5, "second '...'"},
      {"ij-ji", 3, "expected '->'"},
      {"ij->", 0, ""}, // valid: listed to make sure it is not an error
      {"i->i->i", 5, "a spec has one '->'"},
      {"i->i,i", 5, "the output is a single term"},
      {"(ij", 1, "never closed"},
      {"i)", 2, "no group is open"},
      {"((ij))", 2, "a group holds only labels"},
      {"(i...)", 3, "a group holds only labels"},
      {"(i_)", 3, "a group holds only labels"},
      {"()", 1, "empty group"},
      {"(ii)", 1, "repeats inside the group"},
      {"i j1", 4, "unexpected '1'"},
      {"ij-", 3, "expected '->'"},
      {">", 1, "unexpected '>'"},
      {"i\x01j", 2, "unexpected byte 0x01"},
      {"i\xffj", 2, "unexpected byte 0xff"},
  };
  for (const SyntaxCase &c : cases) {
    if (c.column == 0) {
      parseOrFail(c.spec);
      continue;
    }
    SpecError err = parseError(c.spec);
    EXPECT_EQ(err.kind, SpecError::Kind::Syntax) << c.spec;
    EXPECT_EQ(err.column, c.column) << c.spec << ": " << err.message;
    EXPECT_NE(err.message.find(c.fragment), std::string::npos)
        << c.spec << ": " << err.message;
    EXPECT_NE(err.message.find("invalid einsum spec '"), std::string::npos)
        << err.message;
    EXPECT_EQ(err.message.find('\n'), std::string::npos) << "one line";
  }
}

TEST(SpecError, UnprintableBytesAreEscaped) {
  SpecError err = parseError(llvm::StringRef("i\0j", 3));
  EXPECT_EQ(err.message,
            "invalid einsum spec 'i\\x00j': unexpected byte 0x00 at column 2");
}

TEST(SpecError, EmptySpec) {
  EXPECT_NE(parseError("").message.find("empty spec"), std::string::npos);
  EXPECT_NE(parseError("   ").message.find("empty spec"), std::string::npos);
}

TEST(SpecError, DerivativeMarkerRules) {
  EXPECT_NE(parseError("i%j->ij").message.find("only allowed in ein.grad"),
            std::string::npos);
  SpecError two = parseError("i%j,j%k->ik", /*allowDerivative=*/true);
  EXPECT_EQ(two.column, 6u);
  EXPECT_NE(two.message.find("at most one '%'"), std::string::npos);
  SpecError inOutput = parseError("ij->i%j", /*allowDerivative=*/true);
  EXPECT_NE(inOutput.message.find("not allowed in the output"),
            std::string::npos);
}

TEST(SpecError, OutputLabelMustOccurInAnInput) {
  SpecError err = parseError("i->ij");
  EXPECT_EQ(err.kind, SpecError::Kind::Structure);
  EXPECT_EQ(err.message, "invalid einsum spec 'i->ij': output label 'j' does "
                         "not occur in any input at column 5");
  EXPECT_EQ(err.column, 5u);
}

TEST(SpecError, UnequalDiagonalEmbedding) {
  SpecError err = parseError("ij->jij");
  EXPECT_EQ(err.kind, SpecError::Kind::Structure);
  EXPECT_NE(err.message.find("output label 'j' appears twice but 'i' appears "
                             "once"),
            std::string::npos)
      << err.message;
  EXPECT_NE(parseError("i->iii,").message.find("output is a single term"),
            std::string::npos);
  parseOrFail("i->iii");
}

TEST(SpecError, OperandCount) {
  SpecError err = shapeError("ij,jk->ik", {{2, 3}});
  EXPECT_EQ(err.kind, SpecError::Kind::OperandCount);
  EXPECT_EQ(err.message, "expected 2 operands for 'ij,jk->ik', but found 1");
}

TEST(SpecError, Rank) {
  SpecError err = shapeError("ij,jk->ik", {{2, 3}, {3, 4, 5}});
  EXPECT_EQ(err.kind, SpecError::Kind::Rank);
  EXPECT_EQ(err.operandA, 1u);
  EXPECT_EQ(err.message,
            "expected operand #1 to have rank 2 for 'jk', but found rank 3");
  EXPECT_EQ(shapeError("i", {{}}).kind, SpecError::Kind::Rank);
  EXPECT_EQ(shapeError("...i", {{}}).kind, SpecError::Kind::Rank);
  EXPECT_EQ(shapeError("i...j", {{2}}).kind, SpecError::Kind::Rank);
  EXPECT_EQ(shapeError("->", {{2}}).kind, SpecError::Kind::Rank);
}

TEST(SpecError, LabelSizeNamesLabelAndBothSizes) {
  SpecError err = shapeError("ij,jk->ik", {{2, 4}, {5, 6}});
  EXPECT_EQ(err.kind, SpecError::Kind::LabelSize);
  EXPECT_EQ(err.message,
            "label 'j' has size 4 in operand #0 but 5 in operand #1");
  EXPECT_EQ(err.label, L('j'));
  EXPECT_EQ(err.operandA, 0u);
  EXPECT_EQ(err.operandB, 1u);
  EXPECT_EQ(err.sizeA, 4);
  EXPECT_EQ(err.sizeB, 5);
}

TEST(SpecError, RepeatedLabelNeedsEqualSizesWithinAnOperand) {
  SpecError err = shapeError("ii->i", {{2, 3}});
  EXPECT_EQ(err.kind, SpecError::Kind::LabelSize);
  EXPECT_EQ(err.message, "label 'i' has sizes 2 and 3 in operand #0, but a "
                         "repeated label needs equal sizes");
  // Size 1 does not broadcast within one operand.
  EXPECT_EQ(shapeError("ii", {{1, 3}}).kind, SpecError::Kind::LabelSize);
}

TEST(SpecError, GroupUnitAndBroadcast) {
  SpecError group = shapeError("bij,(ij)k->bk", {{8, 2, 3}, {7, 5}});
  EXPECT_EQ(group.kind, SpecError::Kind::GroupSize);
  EXPECT_EQ(group.message, "axis 0 '(ij)' of operand #1 has size 7, but the "
                           "product of its labels' sizes (i=2, j=3) is 6");
  EXPECT_EQ(shapeError("(ij),i->j", {{7}, {2}}).kind,
            SpecError::Kind::GroupSize);
  SpecError unit = shapeError("_i->i", {{3, 2}});
  EXPECT_EQ(unit.kind, SpecError::Kind::UnitSize);
  SpecError bcast = shapeError("...i,...i->...i", {{2, 3}, {5, 3}});
  EXPECT_EQ(bcast.kind, SpecError::Kind::Broadcast);
  EXPECT_NE(bcast.message.find("size 2 in operand #0 but 5 in operand #1"),
            std::string::npos)
      << bcast.message;
}

TEST(SpecError, VerifySpecChecksBuiltValues) {
  Spec spec;
  spec.inputs.push_back(Term{{Axis::label(L('i'))}, std::nullopt});
  spec.output = Term{{Axis::label(L('j'))}, std::nullopt};
  EXPECT_NE(takeErrorMessage(verifySpec(spec)).find("output label 'j'"),
            std::string::npos);
  spec.output = Term{{Axis::label(60)}, std::nullopt};
  EXPECT_NE(takeErrorMessage(verifySpec(spec)).find("label #60 has no letter"),
            std::string::npos);
  spec.output = Term{{Axis::group({})}, std::nullopt};
  EXPECT_NE(takeErrorMessage(verifySpec(spec)).find("empty group"),
            std::string::npos);
  spec.output = Term{{Axis::label(L('i'))}, std::nullopt};
  EXPECT_EQ(takeErrorMessage(verifySpec(spec)), "");
}

} // namespace
