# lit configuration of the downstream example's tests.
import os

import lit.formats

config.name = "downstream"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py.in"]

config.substitutions.append(("%downstream-opt", os.path.join(config.downstream_tools_dir, "downstream-opt") + " --verify-each"))
config.substitutions.append(("%downstream-capi", os.path.join(config.downstream_tools_dir, "downstream-capi")))
config.substitutions.append(("%ein-run", os.path.join(config.ein_tools_dir, "ein-run")))
config.substitutions.append(("%ein-include", config.ein_include_dir))
config.substitutions.append(("%mlir-include", config.mlir_include_dir))
config.substitutions.append(("%mlir-tblgen", config.mlir_tblgen))
config.substitutions.append(("%python", config.python))

# FileCheck and not from the LLVM that ein was built with.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
