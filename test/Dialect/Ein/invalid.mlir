// RUN: ein-opt %s -split-input-file -verify-diagnostics

func.func @spec_unexpected_character(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{invalid einsum spec 'ij,jk>ik': unexpected '>' at column 6}}
  %r = ein.contract "ij,jk>ik" %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @spec_invalid_character_in_output(%a: tensor<2xf32>) {
  // expected-error @+1 {{invalid einsum spec 'i->&': unexpected '&' at column 4}}
  %r = ein.contract "i->&" %a : tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @spec_invalid_character_after_ellipsis(%a: tensor<2xf32>) {
  // expected-error @+1 {{invalid einsum spec '...j$': unexpected '$' at column 5}}
  %r = ein.contract "...j$" %a : tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @spec_derivative_marker_outside_grad(%a: tensor<2xf32>) {
  // expected-error @+1 {{invalid einsum spec 'i%...': unexpected '%' (the derivative marker '%' is only allowed in ein.grad specs) at column 2}}
  %r = ein.contract "i%..." %a : tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @spec_derivative_marker_in_attribute(%a: tensor<2xf32>) {
  // expected-error @+1 {{expected a spec without the derivative marker '%' (derivatives are ein.grad's), but found 'i%j->ij'}}
  %r = "ein.contract"(%a) <{spec = #ein.spec<"i%j->ij">}> : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @spec_incomplete_ellipsis(%a: tensor<2x2xf32>) {
  // expected-error @+1 {{invalid einsum spec 'i..': '.' that is not part of an ellipsis '...' at column 2}}
  %r = ein.contract "i.." %a : tensor<2x2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @spec_stray_dot(%a: tensor<2x2xf32>) {
  // expected-error @+1 {{invalid einsum spec '.i...': '.' that is not part of an ellipsis '...' at column 1}}
  %r = ein.contract ".i..." %a : tensor<2x2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @spec_incomplete_ellipsis_in_output(%a: tensor<2xf32>) {
  // expected-error @+1 {{invalid einsum spec 'j->..j': '.' that is not part of an ellipsis '...' at column 4}}
  %r = ein.contract "j->..j" %a : tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @spec_two_ellipses(%a: tensor<2x2xf32>) {
  // expected-error @+1 {{invalid einsum spec '...i...': second '...' in one term at column 5}}
  %r = ein.contract "...i..." %a : tensor<2x2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @spec_output_label_not_in_input(%a: tensor<2xf32>) {
  // expected-error @+1 {{invalid einsum spec 'i->ij': output label 'j' does not occur in any input at column 5}}
  %r = ein.contract "i->ij" %a : tensor<2xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @spec_unequal_diagonal_embedding(%a: tensor<2x2xf32>) {
  // expected-error @+1 {{invalid einsum spec 'ij->jij': output label 'j' appears twice but 'i' appears once; an output label may repeat only in a diagonal embedding that repeats every output label equally (e.g. 'i->ii', 'ij->ijij')}}
  %r = ein.contract "ij->jij" %a : tensor<2x2xf32> -> tensor<2x2x2xf32>
  return
}

// -----

func.func @spec_two_arrows(%a: tensor<2xf32>) {
  // expected-error @+1 {{invalid einsum spec 'i->i->i': unexpected '-' (a spec has one '->') at column 5}}
  %r = ein.contract "i->i->i" %a : tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @spec_comma_in_output(%a: tensor<2xf32>) {
  // expected-error @+1 {{invalid einsum spec 'i->i,i': unexpected ',' (the output is a single term) at column 5}}
  %r = ein.contract "i->i,i" %a : tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @spec_unclosed_group(%a: tensor<6xf32>) {
  // expected-error @+1 {{invalid einsum spec '(ij->ij': unexpected '-' (a group holds only labels) at column 4}}
  %r = ein.contract "(ij->ij" %a : tensor<6xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @spec_empty_group(%a: tensor<6xf32>) {
  // expected-error @+1 {{invalid einsum spec '()i->i': empty group '()' at column 1}}
  %r = ein.contract "()i->i" %a : tensor<6xf32> -> tensor<6xf32>
  return
}

// -----

func.func @spec_repeated_label_in_group(%a: tensor<4xf32>) {
  // expected-error @+1 {{invalid einsum spec '(ii)->': label 'i' repeats inside the group at column 1}}
  %r = ein.contract "(ii)->" %a : tensor<4xf32> -> tensor<f32>
  return
}

// -----

func.func @spec_empty(%a: tensor<f32>) {
  // expected-error @+1 {{invalid einsum spec '': empty spec (write '->' for a scalar operand and result)}}
  %r = ein.contract "" %a : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @spec_attr_invalid() attributes {
  // expected-error @+1 {{invalid einsum spec 'ij-ji': unexpected '-' (expected '->') at column 3}}
  ein.holder = #ein.spec<"ij-ji">
} {
  return
}

// -----

func.func @operand_count(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'ein.contract' op expected 2 operands for spec 'ij,jk->ik', but found 1}}
  %r = ein.contract "ij,jk->ik" %a : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @operand_rank(%a: tensor<2x3xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+1 {{'ein.contract' op expected operand #1 to have rank 2 for 'jk', but found rank 3}}
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<2x3xf32>, tensor<3x4x5xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @operand_rank_with_ellipsis(%a: tensor<2xf32>) {
  // expected-error @+1 {{'ein.contract' op expected operand #0 to have rank at least 2 for '...ij', but found rank 1}}
  %r = ein.contract "...ij->...i" %a : tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @label_size_between_operands(%a: tensor<2x4xf32>, %b: tensor<5x6xf32>) {
  // expected-error @+1 {{'ein.contract' op label 'j' has size 4 in operand #0 but 5 in operand #1}}
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<2x4xf32>, tensor<5x6xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @label_size_within_operand(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'ein.contract' op label 'i' has sizes 2 and 3 in operand #0, but a repeated label needs equal sizes}}
  %r = ein.contract "ii->i" %a : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @element_type_mismatch(%a: tensor<2x3xf32>, %b: tensor<3x4xf64>) {
  // expected-error @+1 {{'ein.contract' op expected operand #1 to have the result's element type 'f32', but found 'f64'}}
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<2x3xf32>, tensor<3x4xf64> -> tensor<2x4xf32>
  return
}

// -----

func.func @element_type_integer(%a: tensor<2x3xi32>) {
  // expected-error @+1 {{'ein.contract' op operand #0 must be variadic of ranked tensor of floating-point or complex-type values, but got 'tensor<2x3xi32>'}}
  %r = ein.contract "ij->ji" %a : tensor<2x3xi32> -> tensor<3x2xi32>
  return
}

// -----

func.func @unranked_operand(%a: tensor<*xf32>) {
  // expected-error @+1 {{'ein.contract' op operand #0 must be variadic of ranked tensor of floating-point or complex-type values, but got 'tensor<*xf32>'}}
  %r = ein.contract "ij->ji" %a : tensor<*xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @result_shape(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{'ein.contract' op expected result type 'tensor<2x4xf32>' (inferred from 'ij,jk->ik' and the operand types), but found 'tensor<2x5xf32>'}}
  %r = ein.contract "ij,jk->ik" %a, %b : tensor<2x3xf32>, tensor<3x4xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @result_rank(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'ein.contract' op expected result type 'tensor<3x2xf32>' (inferred from 'ij->ji' and the operand types), but found 'tensor<6xf32>'}}
  %r = ein.contract "ij->ji" %a : tensor<2x3xf32> -> tensor<6xf32>
  return
}

// -----

func.func @result_dynamic_where_static(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'ein.contract' op expected result type 'tensor<3x2xf32>' (inferred from 'ij->ji' and the operand types), but found 'tensor<?x2xf32>'}}
  %r = ein.contract "ij->ji" %a : tensor<2x3xf32> -> tensor<?x2xf32>
  return
}

// -----

func.func @group_size(%x: tensor<8x2x3xf32>, %w: tensor<7x5xf32>) {
  // expected-error @+1 {{'ein.contract' op axis 0 '(ij)' of operand #1 has size 7, but the product of its labels' sizes (i=2, j=3) is 6}}
  %r = ein.contract "bij,(ij)k->bk" %x, %w : tensor<8x2x3xf32>, tensor<7x5xf32> -> tensor<8x5xf32>
  return
}

// -----

func.func @group_not_divisible(%x: tensor<7xf32>, %v: tensor<2xf32>) {
  // expected-error @+1 {{'ein.contract' op axis 0 '(ij)' of operand #0 has size 7, which is not a multiple of 2, the product of its other labels' sizes}}
  %r = ein.contract "(ij),i->j" %x, %v : tensor<7xf32>, tensor<2xf32> -> tensor<3xf32>
  return
}

// -----

func.func @unit_axis_size(%a: tensor<3x2xf32>) {
  // expected-error @+1 {{'ein.contract' op axis 0 of operand #0 is '_' and must have size 1, but has size 3}}
  %r = ein.contract "_i->i" %a : tensor<3x2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @ellipsis_broadcast(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) {
  // expected-error @+1 {{'ein.contract' op '...' dimension 0 (counted from the right) has size 2 in operand #0 but 5 in operand #1, which do not broadcast}}
  %r = ein.contract "...ij,...jk->...ik" %a, %b : tensor<2x3x4xf32>, tensor<5x4x6xf32> -> tensor<2x3x6xf32>
  return
}

// -----

func.func @add_type_mismatch(%a: tensor<3x4xf32>, %b: tensor<3x5xf32>) {
  // expected-error @+1 {{'ein.add' op expected operand #1 to have the result type 'tensor<3x4xf32>', but found 'tensor<3x5xf32>'}}
  %s = "ein.add"(%a, %b) : (tensor<3x4xf32>, tensor<3x5xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @add_no_operands() {
  // expected-error @+1 {{'ein.add' op expected at least one operand, but found none}}
  %s = "ein.add"() : () -> tensor<3x4xf32>
  return
}

// -----

func.func @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3xf64> {
  %y = ein.contract "ij,j->i" %w, %x : tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
  return %y : tensor<3xf64>
}

func.func @grad_call_in_wrong_position(%z: tensor<3xf64>, %x: tensor<4xf64>, %w: tensor<3x4xf64>) {
  // expected-error @+1 {{expected the call as operand #1 (the 'Y%X' term of 'i,i%j->j'), but found it as operand #0}}
  %g = ein.grad "i,i%j->j" @f(%x, %w), %z : (tensor<4xf64>, tensor<3x4xf64>, tensor<3xf64>) -> tensor<4xf64>
  return
}

// -----

func.func @grad_without_call(%z: tensor<3xf64>) {
  // expected-error @+1 {{expected the function call @f(...) whose derivative the 'Y%X' term stands for}}
  %g = ein.grad "i,i%j->j" %z, %z : (tensor<3xf64>, tensor<3xf64>) -> tensor<4xf64>
  return
}

// -----

func.func @grad_two_markers(%x: tensor<4xf64>) {
  // expected-error @+1 {{'%'}}
  %g = ein.grad "i%j,%j->j" @f(%x), @f(%x) : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  return
}

// -----

func.func @grad_type_count(%z: tensor<3xf64>, %x: tensor<4xf64>, %w: tensor<3x4xf64>) {
  // expected-error @+1 {{expected 3 operand types (the operands as written, the call's arguments in place of the call), but found 2}}
  %g = ein.grad "i,i%j->j" %z, @f(%x, %w) : (tensor<3xf64>, tensor<4xf64>) -> tensor<4xf64>
  return
}

// -----

func.func @grad_missing_callee(%z: tensor<3xf64>, %x: tensor<4xf64>) {
  // expected-error @+1 {{expected @nope to be a func.func, but found no such function}}
  %g = ein.grad "i,i%j->j" %z, @nope(%x) : (tensor<3xf64>, tensor<4xf64>) -> tensor<4xf64>
  return
}

// -----

func.func @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3xf64> {
  %y = ein.contract "ij,j->i" %w, %x : tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
  return %y : tensor<3xf64>
}

func.func @grad_argument_types(%z: tensor<3xf64>, %x: tensor<5xf64>, %w: tensor<3x4xf64>) {
  // expected-error @+1 {{expected the arguments of @f to have types 'tensor<4xf64>', 'tensor<3x4xf64>', but found 'tensor<5xf64>', 'tensor<3x4xf64>'}}
  %g = ein.grad "i,i%j->j" %z, @f(%x, %w) : (tensor<3xf64>, tensor<5xf64>, tensor<3x4xf64>) -> tensor<5xf64>
  return
}

// -----

func.func @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3xf64> {
  %y = ein.contract "ij,j->i" %w, %x : tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
  return %y : tensor<3xf64>
}

func.func @grad_label_counts(%z: tensor<3xf64>, %x: tensor<4xf64>, %w: tensor<3x4xf64>) {
  // expected-error @+1 {{expected the 'Y%X' term of 'i,i%jk->jk' to have 1 label(s) before '%' (the rank of Y = @f(...), 'tensor<3xf64>') and 1 after it (the rank of X = argument #0, 'tensor<4xf64>'), but found 1 and 2}}
  %g = ein.grad "i,i%jk->jk" %z, @f(%x, %w) : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>
  return
}

// -----

func.func @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3xf64> {
  %y = ein.contract "ij,j->i" %w, %x : tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
  return %y : tensor<3xf64>
}

func.func @grad_sizes(%z: tensor<5xf64>, %x: tensor<4xf64>, %w: tensor<3x4xf64>) {
  // expected-error @+1 {{label 'i' has size 5 in operand #0 but 3 in operand #1}}
  %g = ein.grad "i,i%j->j" %z, @f(%x, %w) : (tensor<5xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<4xf64>
  return
}

// -----

func.func @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3xf64> {
  %y = ein.contract "ij,j->i" %w, %x : tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
  return %y : tensor<3xf64>
}

func.func @grad_result_type(%z: tensor<3xf64>, %x: tensor<4xf64>, %w: tensor<3x4xf64>) {
  // expected-error @+1 {{expected result type 'tensor<4xf64>' (inferred from 'i,i%j->j', the operand types and @f's result), but found 'tensor<3xf64>'}}
  %g = ein.grad "i,i%j->j" %z, @f(%x, %w) : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<3xf64>
  return
}

// -----

func.func @f(%x: tensor<4xf64>, %w: tensor<3x4xf64>) -> tensor<3xf64> {
  %y = ein.contract "ij,j->i" %w, %x : tensor<3x4xf64>, tensor<4xf64> -> tensor<3xf64>
  return %y : tensor<3xf64>
}

func.func @grad_wrt_range(%z: tensor<3xf64>, %x: tensor<4xf64>, %w: tensor<3x4xf64>) {
  // expected-error @+1 {{expected wrt to name one of the call's 2 argument(s), but found 2}}
  %g = ein.grad "i,i%j->j" %z, @f(%x, %w) wrt 2 : (tensor<3xf64>, tensor<4xf64>, tensor<3x4xf64>) -> tensor<4xf64>
  return
}

// -----

func.func @grad_marker_in_contract(%x: tensor<4xf64>) {
  // expected-error @+1 {{invalid einsum spec}}
  %g = ein.contract "i%j->j" %x : tensor<4xf64> -> tensor<4xf64>
  return
}

// -----

// Sizes whose byte count overflows 64 bits are rejected, not wrapped.
func.func @size_overflow(%a: tensor<4294967296x4294967296xf32>) -> tensor<f32> {
  // expected-error @+1 {{'ein.contract' op expected operand #0 to fit in 2^63 bytes, but found 'tensor<4294967296x4294967296xf32>', whose size overflows 64 bits}}
  %r = ein.contract "ij->" %a : tensor<4294967296x4294967296xf32> -> tensor<f32>
  return %r : tensor<f32>
}

// -----

func.func @size_overflow_result(%a: tensor<4294967296xcomplex<f64>>, %b: tensor<268435456xcomplex<f64>>) -> tensor<4294967296x268435456xcomplex<f64>> {
  // expected-error @+1 {{'ein.contract' op expected result #0 to fit in 2^63 bytes, but found 'tensor<4294967296x268435456xcomplex<f64>>', whose size overflows 64 bits}}
  %r = ein.contract "i,j->ij" %a, %b : tensor<4294967296xcomplex<f64>>, tensor<268435456xcomplex<f64>> -> tensor<4294967296x268435456xcomplex<f64>>
  return %r : tensor<4294967296x268435456xcomplex<f64>>
}
