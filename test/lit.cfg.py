# -*- Python -*-
# lit configuration for ein's regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "EIN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.substitutions.append(("%python", config.python_executable))
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "conformance"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.ein_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
# The GEMM kernels' disk cache (lib/Runner/KernelDiskCache.h): the build
# tree's own, not the user's.
config.environment["EIN_KERNEL_CACHE_DIR"] = os.path.join(
    config.test_exec_root, "kernel-cache")
llvm_config.use_default_substitutions()

tool_dirs = [config.ein_tools_dir, config.llvm_tools_dir]
# Every ein-opt run line verifies the IR after each pass (--verify-each is
# mlir-opt's default; written out so that no test can run without it).
# %ein_opt is the bare path, for scripts that take the tool as an argument.
tools = [ToolSubst("ein-opt", unresolved="fatal", extra_args=["--verify-each"]),
         ToolSubst("ein-run", unresolved="fatal"),
         ToolSubst("%ein_opt", command=os.path.join(config.ein_tools_dir, "ein-opt")),
         ToolSubst("%ein_run", command=os.path.join(config.ein_tools_dir, "ein-run")),
         ToolSubst("%mlir_runner", command=os.path.join(config.llvm_tools_dir, "mlir-runner")),
         ToolSubst("%mlir_lib_dir", command=os.path.join(os.path.dirname(config.llvm_tools_dir), "lib"))]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# GPU features, detected when the tests run: `cuda` when the NVIDIA driver
# opens and reports a device (tests that run kernels), `ptxas` when the CUDA
# toolkit's assembler is there (format=bin/fatbin).
def _cuda_device_present():
    import ctypes
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    count = ctypes.c_int(0)
    return cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 \
        and count.value > 0

if _cuda_device_present():
    config.available_features.add("cuda")

def _ptxas_present():
    import shutil
    for var in ("CUDA_ROOT", "CUDA_HOME", "CUDA_PATH"):
        root = os.environ.get(var)
        if root and os.access(os.path.join(root, "bin", "ptxas"), os.X_OK):
            return True
    return os.access("/usr/local/cuda/bin/ptxas", os.X_OK) or shutil.which("ptxas") is not None

if _ptxas_present():
    config.available_features.add("ptxas")
