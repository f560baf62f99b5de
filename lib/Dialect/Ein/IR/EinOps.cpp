//===- EinOps.cpp - ein dialect operations --------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/IR/EinOps.h"
#include "ein/Spec/ShapeInference.h"
#include "ein/Spec/SpecError.h"

#include "OpAsm.h"
#include "TensorLimits.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::ein;

static_assert(mlir::ein::kDynamic == ShapedType::kDynamic,
              "the spec library and MLIR must agree on dynamic sizes");

//===----------------------------------------------------------------------===//
// Custom assembly directives
//===----------------------------------------------------------------------===//

ParseResult mlir::ein::detail::parseSpecLiteral(OpAsmParser &parser,
                                                SpecAttr &spec,
                                                bool allowDerivative) {
  SMLoc loc = parser.getCurrentLocation();
  std::string text;
  if (parser.parseString(&text))
    return failure();
  ParseOptions options;
  options.allowDerivative = allowDerivative;
  llvm::Expected<Spec> parsed = parseSpec(text, options);
  if (!parsed) {
    SpecError err = takeSpecError(parsed.takeError());
    // Point into the literal (after its opening quote) when we can.
    SMLoc at = loc;
    if (err.column && text.find_first_of("\\\"") == std::string::npos)
      at = SMLoc::getFromPointer(loc.getPointer() + *err.column);
    return parser.emitError(at, err.message);
  }
  spec = SpecAttr::get(parser.getContext(), *parsed);
  return success();
}

/// The spec as a string literal: `"bij,bjk->bik"`. A malformed spec is
/// reported at the offending character.
static ParseResult parseSpecText(OpAsmParser &parser, SpecAttr &spec) {
  return ein::detail::parseSpecLiteral(parser, spec, /*allowDerivative=*/false);
}

static void printSpecText(OpAsmPrinter &printer, Operation *, SpecAttr spec) {
  printer << '"' << spec.str() << '"';
}

/// Operand types, optionally in parentheses: `tensor<2xf32>, tensor<f32>` or
/// `(tensor<2xf32>, tensor<f32>)`.
ParseResult mlir::ein::detail::parseOperandTypes(OpAsmParser &parser,
                                                 SmallVectorImpl<Type> &types) {
  if (succeeded(parser.parseOptionalLParen())) {
    if (succeeded(parser.parseOptionalRParen()))
      return success();
    return failure(parser.parseTypeList(types) || parser.parseRParen());
  }
  return parser.parseTypeList(types);
}

static ParseResult parseOperandTypes(OpAsmParser &parser,
                                     SmallVectorImpl<Type> &types) {
  return ein::detail::parseOperandTypes(parser, types);
}

static void printOperandTypes(OpAsmPrinter &printer, Operation *,
                              TypeRange types) {
  llvm::interleaveComma(types, printer);
}

/// One type for the result and every operand: `: tensor<3x4xf32>`.
static ParseResult
parseSameTypes(OpAsmParser &parser,
               ArrayRef<OpAsmParser::UnresolvedOperand> operands,
               SmallVectorImpl<Type> &operandTypes, Type &resultType) {
  if (parser.parseType(resultType))
    return failure();
  operandTypes.assign(operands.size(), resultType);
  return success();
}

static void printSameTypes(OpAsmPrinter &printer, Operation *, OperandRange,
                           TypeRange, Type resultType) {
  printer << resultType;
}

//===----------------------------------------------------------------------===//
// ContractOp
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>> mlir::ein::detail::inferContractShape(const Spec &spec, TypeRange inputs,
                   std::optional<ArrayRef<int64_t>> result,
                   std::string *error) {
  SmallVector<Shape> shapes;
  for (Type type : inputs) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor) {
      if (error)
        *error = "expected ranked tensor operands";
      return failure();
    }
    shapes.emplace_back(tensor.getShape());
  }
  llvm::Expected<ShapeInfo> info = inferShapes(spec, shapes, result);
  if (!info) {
    std::string message = takeErrorMessage(info.takeError());
    if (error)
      *error = std::move(message);
    return failure();
  }
  return SmallVector<int64_t>(info->resultShape.begin(),
                              info->resultShape.end());
}

FailureOr<RankedTensorType> ContractOp::inferResultType(SpecAttr spec,
                                                        TypeRange inputs,
                                                        std::string *error) {
  if (inputs.empty()) {
    if (error)
      *error = "expected at least one operand";
    return failure();
  }
  auto shape =
      ein::detail::inferContractShape(spec.getValue(), inputs, std::nullopt, error);
  if (failed(shape))
    return failure();
  Type elementType = cast<RankedTensorType>(inputs.front()).getElementType();
  return RankedTensorType::get(*shape, elementType);
}

void ContractOp::build(OpBuilder &builder, OperationState &state, SpecAttr spec,
                       ValueRange inputs) {
  FailureOr<RankedTensorType> type =
      inferResultType(spec, inputs.getTypes(), nullptr);
  // On failure build an op the verifier rejects with a precise message.
  Type resultType = succeeded(type)
                        ? Type(*type)
                        : Type(RankedTensorType::get({}, builder.getF32Type()));
  build(builder, state, resultType, spec, inputs);
}

LogicalResult ContractOp::verify() {
  const Spec &spec = getSpec().getValue();
  if (spec.hasDerivative())
    return emitOpError("expected a spec without the derivative marker '%' "
                       "(derivatives are ein.grad's), but found '")
           << getSpec().str() << "'";
  if (getInputs().size() != spec.getNumInputs())
    return emitOpError("expected ")
           << spec.getNumInputs() << " operand"
           << (spec.getNumInputs() == 1 ? "" : "s") << " for spec '"
           << getSpec().str() << "', but found " << getInputs().size();

  if (failed(detail::verifyAddressable(*this, getInputs().getTypes(),
                                       "operand")) ||
      failed(detail::verifyAddressable(*this, getType(), "result")))
    return failure();
  auto resultType = cast<RankedTensorType>(getType());
  Type elementType = resultType.getElementType();
  for (auto [index, input] : llvm::enumerate(getInputs())) {
    Type operandElement =
        cast<RankedTensorType>(input.getType()).getElementType();
    if (operandElement != elementType)
      return emitOpError("expected operand #")
             << index << " to have the result's element type " << elementType
             << ", but found " << operandElement;
  }

  std::string error;
  auto shape = ein::detail::inferContractShape(spec, getInputs().getTypes(),
                                          resultType.getShape(), &error);
  if (failed(shape))
    return emitOpError(error);
  auto inferred = RankedTensorType::get(*shape, elementType);
  if (inferred != resultType)
    return emitOpError("expected result type ")
           << inferred << " (inferred from '" << getSpec().str()
           << "' and the operand types), but found " << resultType;
  return success();
}

OpFoldResult ContractOp::fold(FoldAdaptor) {
  if (getSpec().getValue().isIdentity() &&
      getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

LogicalResult AddOp::verify() {
  if (getInputs().empty())
    return emitOpError("expected at least one operand, but found none");
  if (failed(detail::verifyAddressable(*this, getType(), "result")))
    return failure();
  for (auto [index, input] : llvm::enumerate(getInputs()))
    if (input.getType() != getType())
      return emitOpError("expected operand #")
             << index << " to have the result type " << getType()
             << ", but found " << input.getType();
  return success();
}

OpFoldResult AddOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  return {};
}

#define GET_OP_CLASSES
#include "ein/Dialect/Ein/IR/EinOps.cpp.inc"
