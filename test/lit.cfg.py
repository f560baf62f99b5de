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
llvm_config.use_default_substitutions()

tool_dirs = [config.ein_tools_dir, config.llvm_tools_dir]
tools = [ToolSubst("ein-opt", unresolved="fatal"),
         ToolSubst("ein-run", unresolved="fatal"),
         ToolSubst("%ein_opt", command=os.path.join(config.ein_tools_dir, "ein-opt")),
         ToolSubst("%ein_run", command=os.path.join(config.ein_tools_dir, "ein-run")),
         ToolSubst("%mlir_runner", command=os.path.join(config.llvm_tools_dir, "mlir-runner")),
         ToolSubst("%mlir_lib_dir", command=os.path.join(os.path.dirname(config.llvm_tools_dir), "lib"))]
llvm_config.add_tool_substitutions(tools, tool_dirs)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
