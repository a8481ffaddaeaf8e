"""Build step for the one C extension: the durable-rules engine, carried in vendor/durable_rules.

Everything else about the package is declared in pyproject.toml.  durable-rules 2.0.28 is the
last release of an unmaintained project and ships only as source that no longer builds on
current Python (it calls ``PyEval_CallObject``, removed in 3.13).  The project therefore
carries that source, patched (vendor/durable_rules/PATCHES.md), and builds it as
``negotiator.engine._durable_rules_engine``: one extension, compiled from the engine's C files
and its Python binding, with no compiler flags asked of the user.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

VENDOR = Path("vendor") / "durable_rules" / "src"
SOURCES = [str(VENDOR / "rulespy" / "rules.c")] + [
    str(VENDOR / "rules" / f"{name}.c") for name in ("json", "rete", "state", "events", "regex")
]


class BuildExt(build_ext):
    """Pick flags for the compiler actually used (gcc/clang versus MSVC)."""

    def build_extensions(self) -> None:
        msvc = self.compiler.compiler_type == "msvc"
        for ext in self.extensions:
            if msvc:
                ext.extra_compile_args = ["/D_CRT_SECURE_NO_WARNINGS"]
            else:
                # C99 as upstream builds it; -fcommon because the engine's headers define
                # (not just declare) a few globals, which newer compilers reject by default.
                ext.extra_compile_args = ["-std=c99", "-fcommon", "-Wno-unused-result"]
                if sys.platform != "darwin":
                    ext.define_macros.append(("_GNU_SOURCE", None))
        super().build_extensions()


setup(
    ext_modules=[
        Extension(
            "negotiator.engine._durable_rules_engine",
            sources=SOURCES,
            include_dirs=[str(VENDOR / "rules")],
        )
    ],
    cmdclass={"build_ext": BuildExt},
)
