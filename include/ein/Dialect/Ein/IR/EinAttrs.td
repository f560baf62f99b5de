//===- EinAttrs.td - ein dialect attributes ----------------*- tablegen -*-===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef EIN_DIALECT_EIN_IR_EINATTRS_TD
#define EIN_DIALECT_EIN_IR_EINATTRS_TD

include "ein/Dialect/Ein/IR/EinBase.td"

def Ein_SpecParameter : AttrParameter<"::mlir::ein::Spec",
    "an einsum specification", "const ::mlir::ein::Spec &"> {
  let printer = "$_printer << '\"' << ::mlir::ein::toString($_self) << '\"'";
}

def Ein_SpecAttr : Ein_Attr<"Spec", "spec"> {
  let summary = "An einsum specification stored as integer labels";
  let description = [{
    The subscripts of every operand and of the result of an einsum, stored as
    structured data: per term a list of axes, each a label (an integer;
    `A`-`Z` are 0-25 and `a`-`z` are 26-51), a row-major flattened group of
    labels `(ij)`, an ellipsis `...` or a unit axis `_`, plus the position of
    the eingrad marker `%` where there is one. The output is always explicit:
    an implicit output is resolved with numpy's rule when the text is parsed.

    Einsum text is only the printed and parsed form:

    ```mlir
    #ein.spec<"bij,bjk->bik">
    ```

    Labels absent from the output are summed; a label repeated in an input
    takes a diagonal; a label repeated in the output embeds a diagonal (zero
    elsewhere); size-1 dimensions broadcast as in numpy.
  }];
  let parameters = (ins Ein_SpecParameter:$value);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Parses einsum text into an attribute; on failure returns null and
    /// sets `error` to the one-line message.
    static SpecAttr parse(::mlir::MLIRContext *context, ::llvm::StringRef text,
                          std::string &error, bool allowDerivative = false);
    unsigned getNumInputs() const { return getValue().getNumInputs(); }
    const ::mlir::ein::Term &getInput(unsigned i) const {
      return getValue().inputs[i];
    }
    const ::mlir::ein::Term &getOutput() const { return getValue().output; }
    /// The canonical text, e.g. `ij,jk->ik`.
    std::string str() const { return ::mlir::ein::toString(getValue()); }
  }];
}

#endif // EIN_DIALECT_EIN_IR_EINATTRS_TD
