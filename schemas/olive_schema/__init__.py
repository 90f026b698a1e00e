"""olive_schema: the config language of Olive workflow configs.

The JSON Schema, the error-tolerant parser and the checker shared by the
editor, ``olive-studio validate`` and the runner.  Torch-free by design.
"""

from olive_schema.checker import CheckResult, check_text
from olive_schema.findings import Finding, Fix, Severity, TextEdit

__all__ = ["CheckResult", "Finding", "Fix", "Severity", "TextEdit", "check_text"]
