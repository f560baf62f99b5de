//===- EinAttrs.cpp - ein dialect attributes ------------------------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "ein/Dialect/Ein/IR/EinAttrs.h"
#include "ein/Dialect/Ein/IR/EinDialect.h"
#include "ein/Spec/SpecError.h"

using namespace mlir;
using namespace mlir::ein;

SpecAttr SpecAttr::parse(MLIRContext *context, StringRef text,
                         std::string &error, bool allowDerivative) {
  ParseOptions options;
  options.allowDerivative = allowDerivative;
  llvm::Expected<Spec> spec = parseSpec(text, options);
  if (!spec) {
    error = takeErrorMessage(spec.takeError());
    return {};
  }
  return SpecAttr::get(context, *spec);
}

/// `#ein.spec<"ij,jk->ik">`; the attribute on its own may carry `%` (the
/// ops decide whether they accept it).
Attribute SpecAttr::parse(AsmParser &parser, Type) {
  std::string text, error;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseString(&text) || parser.parseGreater())
    return {};
  SpecAttr attr = parse(parser.getContext(), text, error,
                        /*allowDerivative=*/true);
  if (!attr)
    parser.emitError(loc, error);
  return attr;
}

void SpecAttr::print(AsmPrinter &printer) const {
  printer << "<\"" << str() << "\">";
}

LogicalResult SpecAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               Spec value) {
  if (llvm::Error err = verifySpec(value))
    return emitError() << takeErrorMessage(std::move(err));
  return success();
}
