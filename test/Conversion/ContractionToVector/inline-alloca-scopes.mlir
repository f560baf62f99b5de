// RUN: ein-opt %s --pass-pipeline='builtin.module(func.func(ein-inline-alloca-scopes))' | FileCheck %s

func.func private @callee(memref<?xf32>)

// A scope whose body only calls (the callee's stack is its own) is
// inlined; one with an alloca of its own stays, as does the alloca; an
// alloca inside a nested allocation scope does not keep the outer one.
// CHECK-LABEL: func.func @scopes
// CHECK-NEXT: call @callee(%arg0)
// CHECK-NEXT: memref.alloca_scope {
// CHECK-NEXT:   memref.alloca() : memref<4xf32>
// CHECK: }
// CHECK-NEXT: memref.alloca_scope {
// CHECK-NEXT:   memref.alloca() : memref<8xf32>
// CHECK: }
// CHECK-NEXT: call @callee(%arg0)
// CHECK-NEXT: return
func.func @scopes(%m: memref<?xf32>) {
  memref.alloca_scope {
    func.call @callee(%m) : (memref<?xf32>) -> ()
  }
  memref.alloca_scope {
    %a = memref.alloca() : memref<4xf32>
    func.call @callee(%m) : (memref<?xf32>) -> ()
  }
  memref.alloca_scope {
    memref.alloca_scope {
      %b = memref.alloca() : memref<8xf32>
    }
    func.call @callee(%m) : (memref<?xf32>) -> ()
  }
  return
}
