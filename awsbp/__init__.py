"""awsbp: AWS Python and boto3 best-practice checks shared by flake8 and pylint."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
