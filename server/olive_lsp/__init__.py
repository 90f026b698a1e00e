"""olive_lsp: the Olive Studio language server (pygls).

Features are plain functions of (document text, position) in their own
modules; ``server.py`` only wires them to LSP.  This package must never
import torch, transformers or onnxruntime: a test spawns the server and checks.
"""
