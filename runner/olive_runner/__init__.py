"""olive_runner: executes Olive workflow configs and hosts the ``olive-studio`` CLI.

Heavy imports (torch, transformers, onnxruntime) live only inside the modules
that run passes, never at import time of this package.
"""
