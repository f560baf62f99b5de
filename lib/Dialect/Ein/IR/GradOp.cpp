//===- GradOp.cpp - ein.grad ----------------------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "OpAsm.h"
#include "TensorLimits.h"

#include "ein/Dialect/Ein/IR/EinOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlir::ein;

unsigned GradOp::getDerivativeIndex() {
  for (auto [index, term] : llvm::enumerate(getSpec().getValue().inputs))
    if (term.derivativeSplit)
      return index;
  return getInputs().size();
}

/// Where the call is written among `written` operands (the call included):
/// at the `Y%X` term's position when every other term has an operand, or
/// with the rank-0 terms left out (they are 1: `,%j->j` with only the call
/// is a gradient). Null if `written` fits neither.
static std::optional<unsigned> callPosition(const Spec &spec,
                                            unsigned written) {
  unsigned derivative = 0, emptyBefore = 0, empty = 0;
  while (derivative < spec.inputs.size() &&
         !spec.inputs[derivative].derivativeSplit)
    ++derivative;
  for (auto [i, term] : llvm::enumerate(spec.inputs))
    if (i != derivative && term.axes.empty()) {
      ++empty;
      emptyBefore += i < derivative;
    }
  if (written == spec.inputs.size())
    return derivative;
  if (empty && written == spec.inputs.size() - empty)
    return derivative - emptyBefore;
  return std::nullopt;
}

SmallVector<Value> GradOp::getTermInputs() {
  const Spec &spec = getSpec().getValue();
  unsigned derivative = getDerivativeIndex();
  bool omitted = getInputs().size() + 1 < spec.inputs.size();
  SmallVector<Value> result;
  auto inputs = getInputs().begin();
  for (auto [i, term] : llvm::enumerate(spec.inputs))
    result.push_back(i == derivative || (omitted && term.axes.empty())
                         ? Value()
                         : *inputs++);
  return result;
}

// "SPEC" %a, @f(%x, %w), %b wrt N : (types as written) -> result
ParseResult GradOp::parse(OpAsmParser &parser, OperationState &result) {
  SpecAttr spec;
  if (ein::detail::parseSpecLiteral(parser, spec, /*allowDerivative=*/true))
    return failure();
  SmallVector<OpAsmParser::UnresolvedOperand> inputs, args;
  std::optional<unsigned> callPosition;
  StringAttr callee;
  SMLoc callLoc;
  unsigned position = 0;
  do {
    SMLoc loc = parser.getCurrentLocation();
    if (succeeded(parser.parseOptionalSymbolName(callee))) {
      if (callPosition)
        return parser.emitError(loc, "expected one function call @f(...), "
                                     "but found a second");
      callPosition = position;
      callLoc = loc;
      if (parser.parseOperandList(args, OpAsmParser::Delimiter::Paren))
        return failure();
    } else if (parser.parseOperand(inputs.emplace_back())) {
      return failure();
    }
    ++position;
  } while (succeeded(parser.parseOptionalComma()));
  if (!callPosition)
    return parser.emitError(parser.getCurrentLocation(),
                            "expected the function call @f(...) whose "
                            "derivative the 'Y%X' term stands for");
  const Spec &value = spec.getValue();
  unsigned derivative = 0;
  while (derivative < value.inputs.size() &&
         !value.inputs[derivative].derivativeSplit)
    ++derivative;
  if (derivative == value.inputs.size())
    return parser.emitError(callLoc, "expected a spec with a 'Y%X' term, but "
                                     "found '")
           << spec.str() << "'";
  std::optional<unsigned> expected = ::callPosition(value, position);
  if (!expected)
    return parser.emitError(callLoc, "expected ")
           << value.inputs.size() << " operands for '" << spec.str()
           << "' (or " << value.inputs.size()
           << " minus its rank-0 terms, which are then 1), but found "
           << position;
  if (*callPosition != *expected)
    return parser.emitError(callLoc, "expected the call as operand #")
           << *expected << " (the 'Y%X' term of '" << spec.str()
           << "'), but found it as operand #" << *callPosition;
  derivative = *expected;

  int64_t wrt = 0;
  if (succeeded(parser.parseOptionalKeyword("wrt")) &&
      parser.parseInteger(wrt))
    return failure();
  if (parser.parseOptionalAttrDict(result.attributes) || parser.parseColon())
    return failure();
  SMLoc typesLoc = parser.getCurrentLocation();
  SmallVector<Type> types;
  Type resultType;
  if (ein::detail::parseOperandTypes(parser, types) || parser.parseArrow() ||
      parser.parseType(resultType))
    return failure();
  if (types.size() != inputs.size() + args.size())
    return parser.emitError(typesLoc, "expected ")
           << inputs.size() + args.size()
           << " operand types (the operands as written, the call's "
              "arguments in place of the call), but found "
           << types.size();
  ArrayRef<Type> typeList(types);
  ArrayRef<OpAsmParser::UnresolvedOperand> inputList(inputs);
  if (parser.resolveOperands(inputList.take_front(derivative),
                             typeList.take_front(derivative), typesLoc,
                             result.operands) ||
      parser.resolveOperands(inputList.drop_front(derivative),
                             typeList.drop_front(derivative + args.size()),
                             typesLoc, result.operands) ||
      parser.resolveOperands(
          args, typeList.slice(derivative, args.size()), typesLoc,
          result.operands))
    return failure();
  Builder &b = parser.getBuilder();
  Properties &props = result.getOrAddProperties<Properties>();
  props.spec = spec;
  props.callee = FlatSymbolRefAttr::get(callee);
  props.wrt = b.getI64IntegerAttr(wrt);
  props.operandSegmentSizes = {int32_t(inputs.size()), int32_t(args.size())};
  result.addTypes(resultType);
  return success();
}

void GradOp::print(OpAsmPrinter &p) {
  p << " \"" << getSpec().str() << "\" ";
  unsigned derivative =
      ::callPosition(getSpec().getValue(), getInputs().size() + 1)
          .value_or(getDerivativeIndex());
  SmallVector<Type> types;
  auto inputs = getInputs();
  for (unsigned i = 0; i <= inputs.size(); ++i) {
    if (i)
      p << ", ";
    if (i == derivative) {
      p.printSymbolName(getCallee());
      p << '(' << getArgs() << ')';
      llvm::append_range(types, getArgs().getTypes());
    }
    unsigned k = i < derivative ? i : i - 1;
    if (i != derivative && k < inputs.size()) {
      p << inputs[k];
      types.push_back(inputs[k].getType());
    }
  }
  if (getWrt() != 0)
    p << " wrt " << getWrt();
  p.printOptionalAttrDict((*this)->getAttrs(),
                          {getSpecAttrName(), getCalleeAttrName(),
                           getWrtAttrName(), getOperandSegmentSizesAttrName()});
  p << " : (" << types << ") -> " << getType();
}

LogicalResult GradOp::verify() {
  if (failed(detail::verifyAddressable(*this, getInputs().getTypes(),
                                       "operand")) ||
      failed(detail::verifyAddressable(*this, getType(), "result")))
    return failure();
  const Spec &spec = getSpec().getValue();
  unsigned derivative = getDerivativeIndex();
  if (derivative == spec.inputs.size())
    return emitOpError("expected a spec with one 'Y%X' term, but found '")
           << getSpec().str() << "'";
  if (!::callPosition(spec, getInputs().size() + 1))
    return emitOpError("expected ")
           << spec.inputs.size() - 1 << " operand"
           << (spec.inputs.size() == 2 ? "" : "s")
           << " besides the call for spec '" << getSpec().str()
           << "' (rank-0 ones may be left out), but found "
           << getInputs().size();
  if (getWrt() < 0 || uint64_t(getWrt()) >= getArgs().size())
    return emitOpError("expected wrt to name one of the call's ")
           << getArgs().size() << " argument(s), but found " << getWrt();
  auto x = dyn_cast<RankedTensorType>(getArgs()[getWrt()].getType());
  if (!x || !isa<FloatType, ComplexType>(x.getElementType()))
    return emitOpError("expected argument #")
           << getWrt() << " (wrt) to be a ranked tensor of floats, but found "
           << getArgs()[getWrt()].getType();
  return success();
}

LogicalResult GradOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto fn = symbols.lookupNearestSymbolFrom<func::FuncOp>(*this, getCalleeAttr());
  if (!fn)
    return emitOpError("expected @")
           << getCallee() << " to be a func.func, but found no such function";
  FunctionType fnType = fn.getFunctionType();
  if (fnType.getNumResults() != 1 ||
      !isa<RankedTensorType>(fnType.getResult(0)))
    return emitOpError("expected @")
           << getCallee() << " to return one ranked tensor, but it returns "
           << fnType.getResults();
  if (TypeRange(getArgs().getTypes()) != TypeRange(fnType.getInputs()))
    return emitOpError("expected the arguments of @")
           << getCallee() << " to have types " << fnType.getInputs()
           << ", but found " << getArgs().getTypes();

  auto y = cast<RankedTensorType>(fnType.getResult(0));
  auto x = cast<RankedTensorType>(getArgs()[getWrt()].getType());
  const Spec &spec = getSpec().getValue();
  unsigned derivative = getDerivativeIndex();
  const Term &term = spec.inputs[derivative];
  unsigned yAxes = *term.derivativeSplit;
  unsigned xAxes = term.axes.size() - yAxes;
  for (const Axis &axis : term.axes)
    if (!axis.isLabel())
      return emitOpError("expected plain labels in the 'Y%X' term of '")
             << getSpec().str() << "'";
  if (yAxes != unsigned(y.getRank()) || xAxes != unsigned(x.getRank()))
    return emitOpError("expected the 'Y%X' term of '")
           << getSpec().str() << "' to have " << y.getRank()
           << " label(s) before '%' (the rank of Y = @" << getCallee()
           << "(...), " << y << ") and " << x.getRank()
           << " after it (the rank of X = argument #" << getWrt() << ", " << x
           << "), but found " << yAxes << " and " << xAxes;

  Type elementType = getType().getElementType();
  SmallVector<Type> operandTypes;
  SmallVector<int64_t> slotShape(y.getShape());
  llvm::append_range(slotShape, x.getShape());
  for (auto [i, input] : llvm::enumerate(getTermInputs()))
    operandTypes.push_back(
        i == derivative ? RankedTensorType::get(slotShape, y.getElementType())
        : input         ? input.getType()
                        : RankedTensorType::get({}, elementType));
  for (auto [index, type] : llvm::enumerate(operandTypes)) {
    Type element = cast<RankedTensorType>(type).getElementType();
    if (element != elementType)
      return emitOpError("expected operand #")
             << index << " to have the result's element type " << elementType
             << ", but found " << element;
  }
  std::string error;
  auto shape = ein::detail::inferContractShape(spec, operandTypes,
                                          getType().getShape(), &error);
  if (failed(shape))
    return emitOpError(error);
  auto inferred = RankedTensorType::get(*shape, elementType);
  if (inferred != getType())
    return emitOpError("expected result type ")
           << inferred << " (inferred from '" << getSpec().str()
           << "', the operand types and @" << getCallee()
           << "'s result), but found " << getType();
  return success();
}
