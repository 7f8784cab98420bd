"""Builds the compiled message catalogues (.mo) into every wheel; the rest is pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        script = Path(__file__).with_name("scripts") / "i18n.py"
        if script.is_file():
            subprocess.run([sys.executable, str(script), "compile"], check=True)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
