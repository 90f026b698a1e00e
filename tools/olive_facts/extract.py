#!/usr/bin/env python3
"""Extract workflow-config facts from every olive-ai release into one JSON catalog.

Dev-only tool for Olive Studio. One command regenerates the data file::

    python tools/olive_facts/extract.py

What it does:

1. ``pip download --no-deps olive-ai==X`` for every release in ``VERSIONS`` and unzips the wheel.
2. Creates two throwaway virtual environments (pydantic 1 for releases that require it, pydantic 2 otherwise)
   holding only pydantic, pyyaml, packaging and numpy.
3. Runs this same file in *worker* mode inside the right environment, once per release: the worker imports the
   release's ``olive`` package with every other missing third-party module (torch, onnx, onnxruntime,
   transformers, ...) replaced by inert stubs, then reads the facts from Olive's own objects (pass registry,
   ``Pass.default_config(accelerator_spec)``, model/system/data registries, RunConfig fields).
4. Merges the per-release facts into version ranges and writes
   ``schemas/olive_schema/catalog/olive_versions.json``.

The worker part uses only the standard library plus whatever the imported Olive needs (pydantic).
"""

# mypy: disable-error-code="import-not-found"
# (the worker imports the olive package of the release being read; it is not installed in the dev environment)
from __future__ import annotations

import abc
import argparse
import ast
import enum
import importlib
import importlib.abc
import importlib.machinery
import inspect
import json
import os
import pkgutil
import subprocess
import sys
import types
import typing
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------------------------------

VERSIONS: list[str] = [
    "0.4.0", "0.5.0", "0.5.1", "0.5.2", "0.6.0", "0.6.1", "0.6.2", "0.7.0", "0.7.1", "0.7.1.1", "0.8.0",
    "0.9.0", "0.9.1", "0.9.2", "0.9.3", "0.10.0", "0.10.1", "0.11.0", "0.12.0", "0.12.1", "0.13.0",
]  # fmt: skip

# pinned helper environments; "pydantic1" is used for releases whose wheel requires pydantic<2
ENVIRONMENTS: dict[str, list[str]] = {
    "pydantic1": ["pydantic==1.10.27", "pyyaml==6.0.3", "packaging==25.0", "numpy==1.26.4"],
    "pydantic2": ["pydantic==2.14.4", "pyyaml==6.0.3", "packaging==25.0", "numpy==1.26.4"],
}

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "schemas" / "olive_schema" / "catalog" / "olive_versions.json"
DEFAULT_CACHE = Path("/tmp/olive_facts_cache")

# accelerator specs passed to Pass.default_config; params are the union, defaults that differ are spec-dependent
ACCELERATOR_SPECS: list[tuple[str, str]] = [
    ("cpu", "CPUExecutionProvider"),
    ("gpu", "CUDAExecutionProvider"),
    ("npu", "QNNExecutionProvider"),
]

# top-level packages that must never be stubbed (the worker fails loudly instead)
REAL_PACKAGES = {"olive", "pydantic", "pydantic_core", "yaml", "packaging", "numpy", "typing_extensions"}

STUB_VERSION = "99.0.0"  # __version__ of every stub module: version checks take their "newest" branch

# attributes of stub modules that Olive evaluates while building pass configs and that must be real values
_ALL_EPS = ["CPUExecutionProvider", "CUDAExecutionProvider", "TensorrtExecutionProvider", "QNNExecutionProvider",
            "DmlExecutionProvider", "OpenVINOExecutionProvider"]  # fmt: skip
STUB_OVERRIDES: dict[str, dict[str, Any]] = {
    "onnxruntime": {"get_available_providers": lambda: list(_ALL_EPS), "get_all_providers": lambda: list(_ALL_EPS)},
}


# ====================================================================================================================
# Worker side: runs inside a helper venv with one Olive release on sys.path
# ====================================================================================================================

# ---------------------------------------------------------------- stubs for heavy/optional third-party packages


class _StubMeta(abc.ABCMeta):
    """Metaclass of stub classes: any public attribute is another stub class."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        child = _make_stub_class(f"{cls._stub_path}.{name}")
        setattr(cls, name, child)
        return child

    def __getitem__(cls, item: Any) -> Any:
        return cls

    def __or__(cls, other: Any) -> Any:
        return typing.Union[cls, other]  # noqa: UP007  (a runtime Union object, not an annotation)

    def __ror__(cls, other: Any) -> Any:
        return typing.Union[other, cls]  # noqa: UP007

    def __iter__(cls) -> Iterator[Any]:
        return iter(())

    def __len__(cls) -> int:
        return 0

    def __repr__(cls) -> str:
        return f"<stub {cls._stub_path}>"


class _StubBase:
    """Instances of stub classes swallow every use."""

    _stub_path = "stub"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # used as a decorator: return the decorated object unchanged
        if len(args) == 1 and not kwargs and (callable(args[0]) or isinstance(args[0], type)):
            return args[0]
        return self

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _make_stub_class(f"{self._stub_path}.{name}")()

    def __getitem__(self, item: Any) -> Any:
        return self

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<stub {self._stub_path}()>"

    # pydantic v1 / v2 hooks: accept anything
    @classmethod
    def __get_validators__(cls) -> Iterator[Any]:
        yield lambda v: v

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.any_schema()


def _make_stub_class(path: str) -> type:
    return _StubMeta(path.rsplit(".", 1)[-1], (_StubBase,), {"_stub_path": path})


def is_stub(obj: Any) -> bool:
    return isinstance(obj, (_StubMeta, _StubBase)) or (isinstance(obj, type) and issubclass(obj, _StubBase))


class _StubModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        child = _make_stub_class(f"{self.__name__}.{name}")
        setattr(self, name, child)
        return child


class _StubLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _StubModule(spec.name)
        module.__path__ = []  # a package, so any submodule can be imported too
        setattr(module, "__version__", STUB_VERSION)  # noqa: B010
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        for name, value in STUB_OVERRIDES.get(module.__name__, {}).items():
            setattr(module, name, value)


class _StubFinder(importlib.abc.MetaPathFinder):
    """Last entry of sys.meta_path: any module no real finder could locate becomes a stub."""

    def __init__(self) -> None:
        self.stubbed: set[str] = set()

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        top = fullname.split(".", 1)[0]
        if top in REAL_PACKAGES or top in sys.stdlib_module_names:
            return None
        if top != fullname and top in sys.modules and not isinstance(sys.modules[top], _StubModule):
            return None  # a missing submodule of a real package (e.g. vendored names): leave it to that package
        self.stubbed.add(top)
        return importlib.machinery.ModuleSpec(fullname, _StubLoader(), is_package=True)


class _AfterImportHook(importlib.abc.MetaPathFinder):
    """First entry of sys.meta_path: runs `callback(module)` right after one module has executed.

    Used to patch PassConfigParam before the pass modules (imported by `olive/passes/__init__.py` in old releases)
    build their module-level parameter tables.
    """

    def __init__(self, fullname: str, callback: Any) -> None:
        self.fullname = fullname
        self.callback = callback

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.fullname:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        loader, callback = spec.loader, self.callback

        class _Loader(importlib.abc.Loader):
            def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
                return loader.create_module(spec)

            def exec_module(self, module: types.ModuleType) -> None:
                loader.exec_module(module)
                callback(module)

        spec.loader = _Loader()
        return spec


# ---------------------------------------------------------------- formatting of runtime objects

_BUILTIN_GENERICS = {"List": "list", "Dict": "dict", "Tuple": "tuple", "Set": "set", "FrozenSet": "frozenset",
                     "Type": "type", "DefaultDict": "defaultdict"}  # fmt: skip


def format_type(tp: Any) -> str:
    """String form of a type annotation: builtin generics, Optional[...] for unions with None, class qualnames."""
    if tp is None or tp is type(None):
        return "None"
    if tp is typing.Any:
        return "Any"
    if isinstance(tp, str):
        return tp
    if isinstance(tp, typing.ForwardRef):
        return tp.__forward_arg__
    if is_stub(tp):
        return getattr(tp, "_stub_path", repr(tp)).rsplit(".", 1)[-1]
    if isinstance(tp, typing.TypeVar):
        return tp.__name__
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or (hasattr(types, "UnionType") and origin is types.UnionType):
        rest = [a for a in args if a is not type(None)]
        inner = format_type(rest[0]) if len(rest) == 1 else f"Union[{', '.join(format_type(a) for a in rest)}]"
        return f"Optional[{inner}]" if len(rest) < len(args) else inner
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(a) for a in args)}]"
    if origin is not None:
        if origin is typing.ClassVar:
            name = "ClassVar"
        elif getattr(origin, "__module__", "") == "collections.abc":
            name = origin.__name__
        else:
            name = getattr(origin, "__name__", None) or format_type(origin)
        if origin.__module__ == "typing" and name in _BUILTIN_GENERICS:
            name = _BUILTIN_GENERICS[name]
        if not args:
            return name
        if name == "Callable" and len(args) == 2 and isinstance(args[0], list):
            return f"Callable[[{', '.join(format_type(a) for a in args[0])}], {format_type(args[1])}]"
        if args == ((),):
            return f"{name}[()]"
        return f"{name}[{', '.join(format_type(a) for a in args)}]"
    if isinstance(tp, list):  # Callable argument lists
        return f"[{', '.join(format_type(a) for a in tp)}]"
    if tp is Ellipsis:
        return "..."
    if getattr(tp, "__module__", None) == "typing":  # bare typing.List, typing.Callable, ...
        name = getattr(tp, "_name", None) or str(tp).removeprefix("typing.")
        return _BUILTIN_GENERICS.get(name, name)
    if isinstance(tp, type):
        if tp.__module__ == "builtins":
            return tp.__name__
        return tp.__qualname__.replace("<locals>.", "")
    return repr(tp)


def _enum_member(value: enum.Enum) -> str:
    return f"{type(value).__qualname__}.{value.name}"


class Unrepresentable(Exception):
    """The value has no faithful literal form (stub, function, object...)."""


def _py_literal(value: Any) -> str:
    """Python-literal form of a value (strings in single quotes, enums as Class.MEMBER)."""
    if isinstance(value, enum.Enum):
        return _enum_member(value)
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return repr(value)
    if isinstance(value, list):
        return f"[{', '.join(_py_literal(v) for v in value)}]"
    if isinstance(value, tuple):
        inner = ", ".join(_py_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, (set, frozenset)):
        return "set()" if not value else f"{{{', '.join(sorted(_py_literal(v) for v in value))}}}"
    if isinstance(value, dict):
        return f"{{{', '.join(f'{_py_literal(k)}: {_py_literal(v)}' for k, v in value.items())}}}"
    if isinstance(value, Path):
        return f"Path({str(value)!r})"
    search = _format_search_parameter(value)
    if search is not None:
        return search
    raise Unrepresentable(repr(value))


def format_value(value: Any) -> str:
    """Default-value string: top-level strings in double quotes (JSON style), everything else a Python literal."""
    if isinstance(value, str) and not isinstance(value, enum.Enum):
        return json.dumps(value)
    return _py_literal(value)


def _format_search_parameter(value: Any) -> str | None:
    """Olive search parameters (Categorical, Boolean, Conditional, ConditionalDefault) in constructor form."""
    kind = type(value).__name__
    if kind == "Boolean":
        return "Boolean()"
    if kind == "Categorical":
        return f"Categorical({_py_literal(list(value.support))})"
    if kind == "ConditionalDefault":  # stores each value wrapped as Categorical([v]); show the plain values
        support = {k: _unwrap_categorical(v) for k, v in value.support.items()}
        parts = [f"parents={_py_literal(tuple(value.parents))}", f"support={_py_literal(support)}"]
        default = _unwrap_categorical(getattr(value, "default", None))
        if default is not None and str(getattr(default, "value", default)) != "OLIVE_INVALID_PARAM_VALUE":
            parts.append(f"default={_py_literal(default)}")
        return f"ConditionalDefault({', '.join(parts)})"
    if kind == "Conditional":
        parts = [f"parents={_py_literal(tuple(value.parents))}", f"support={_py_literal(dict(value.support))}"]
        if getattr(value, "default", None) is not None:
            parts.append(f"default={_py_literal(value.default)}")
        return f"Conditional({', '.join(parts)})"
    return None


def _unwrap_categorical(value: Any) -> Any:
    if type(value).__name__ == "Categorical" and len(value.support) == 1:
        return value.support[0]
    return value


# ---------------------------------------------------------------- type strings from source (keeps Union order)

_TYPING_TO_BUILTIN = {"List": "list", "Dict": "dict", "Tuple": "tuple", "Set": "set", "FrozenSet": "frozenset",
                      "Type": "type"}  # fmt: skip


class _TypeSourceNormalizer(ast.NodeTransformer):
    """typing.X -> X, List -> list, `A | B` and Union[..., None] -> Union/Optional spelled one way."""

    def __init__(self, sort_unions: bool = False) -> None:
        self.sort_unions = sort_unions

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and node.value.id in ("typing", "t"):
            return ast.Name(id=_TYPING_TO_BUILTIN.get(node.attr, node.attr), ctx=ast.Load())
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Name(id=_TYPING_TO_BUILTIN.get(node.id, node.id), ctx=ast.Load())

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.BitOr):
            return self._union([*self._members(node.left), *self._members(node.right)])
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        name = node.value.id if isinstance(node.value, ast.Name) else None
        if name == "Union":
            return self._union(self._members(node))
        if name == "Optional":
            return self._union([*self._members(node.slice), ast.Constant(None)])
        return node

    def _members(self, node: ast.expr) -> list[ast.expr]:
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("Union", "Optional")
        ):
            elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            members = [m for e in elts for m in self._members(e)]
            return [*members, ast.Constant(None)] if node.value.id == "Optional" else members
        return [node]

    def _union(self, members: list[ast.expr]) -> ast.expr:
        has_none = any(isinstance(m, ast.Constant) and m.value is None for m in members)
        rest: list[ast.expr] = []
        for m in members:
            if not (isinstance(m, ast.Constant) and m.value is None) and ast.dump(m) not in map(ast.dump, rest):
                rest.append(m)
        if self.sort_unions:
            rest.sort(key=ast.unparse)
        inner = rest[0] if len(rest) == 1 else _subscript("Union", rest)
        if has_none and self.sort_unions:
            return _subscript("Union", [*rest, ast.Constant(None)])
        return _subscript("Optional", [inner]) if has_none else inner


def _subscript(name: str, elts: list[ast.expr]) -> ast.expr:
    slice_ = elts[0] if len(elts) == 1 else ast.Tuple(elts=elts, ctx=ast.Load())
    return ast.Subscript(value=ast.Name(id=name, ctx=ast.Load()), slice=slice_, ctx=ast.Load())


def _normalize_type_text(text: str, sort_unions: bool = False) -> str | None:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None
    return ast.unparse(_TypeSourceNormalizer(sort_unions).visit(tree))


def choose_type_string(runtime: str, source: str | None) -> str:
    """The runtime type string, in the source's member order when both name the same union.

    typing caches unions by set equality, so `Union[list[str], str]` can come back as `Union[str, list[str]]` when an
    equal union was built first; the source spelling keeps the order the author wrote.
    """
    if source is None:
        return runtime
    normalized = _normalize_type_text(source)
    if normalized is None or normalized == runtime:
        return runtime
    if _normalize_type_text(normalized, sort_unions=True) == _normalize_type_text(runtime, sort_unions=True):
        return normalized
    return runtime


def normalize_expression(text: str) -> str:
    """One-line canonical spelling of a source expression (no comments or line breaks)."""
    try:
        return ast.unparse(ast.parse(text.strip(), mode="eval"))
    except SyntaxError:
        return " ".join(text.split())


ENUM_COLLISIONS: list[str] = []


def collect_enums(tp: Any, out: dict[str, list[Any]]) -> None:
    """Record every Enum class referenced by a type annotation (by qualified class name)."""
    if isinstance(tp, type) and issubclass(tp, enum.Enum) and not is_stub(tp):
        values = [_json_scalar(m.value) for m in tp]
        if tp.__qualname__ in out and out[tp.__qualname__] != values:
            ENUM_COLLISIONS.append(f"{tp.__module__}.{tp.__qualname__}: {values} vs {out[tp.__qualname__]}")
        out[tp.__qualname__] = values
        return
    for arg in typing.get_args(tp):
        if isinstance(arg, list):
            for a in arg:
                collect_enums(a, out)
        else:
            collect_enums(arg, out)


def _json_scalar(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


# ---------------------------------------------------------------- source locations of PassConfigParam(...) calls

_AST_CACHE: dict[str, ast.Module] = {}
_SOURCE_CACHE: dict[str, str] = {}


def _call_at(filename: str, line: int) -> ast.Call | None:
    """Innermost `...PassConfigParam(...)` call spanning `line` in `filename`."""
    if filename not in _AST_CACHE:
        try:
            _SOURCE_CACHE[filename] = Path(filename).read_text(encoding="utf-8")
            _AST_CACHE[filename] = ast.parse(_SOURCE_CACHE[filename])
        except (OSError, SyntaxError, ValueError):
            return None
    best: ast.Call | None = None
    for node in ast.walk(_AST_CACHE[filename]):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if not name.endswith("ConfigParam"):
            continue
        end = node.end_lineno or node.lineno
        if node.lineno <= line <= end and (best is None or end - node.lineno < (best.end_lineno or 0) - best.lineno):
            best = node
    return best


def source_of_keyword(filename: str, line: int, keywords: Iterable[str]) -> str | None:
    call = _call_at(filename, line)
    if call is None:
        return None
    for kw in call.keywords:
        if kw.arg is not None and kw.arg in keywords:
            if isinstance(kw.value, ast.Name):  # `device = accelerator_spec.accelerator_type` ... default_value=device
                assigned = _local_assignment(filename, call, kw.value.id)
                if assigned is not None:
                    return normalize_expression(assigned)
            return normalize_expression(ast.get_source_segment(_SOURCE_CACHE[filename], kw.value) or "")
    return None


def _raw_keyword_source(filename: str, line: int, keyword: str) -> str | None:
    call = _call_at(filename, line)
    for kw in call.keywords if call is not None else ():
        if kw.arg == keyword:
            return ast.get_source_segment(_SOURCE_CACHE[filename], kw.value)
    return None


def _local_assignment(filename: str, call: ast.Call, name: str) -> str | None:
    """Source of the last `name = <expr>` before `call` in the function that contains it."""
    functions = [
        node
        for node in ast.walk(_AST_CACHE[filename])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.lineno <= call.lineno <= (node.end_lineno or node.lineno)
    ]
    if not functions:
        return None
    function = max(functions, key=lambda f: f.lineno)
    value: ast.expr | None = None
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Assign)
            and node.lineno < call.lineno
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == name
            and (value is None or node.lineno > value.lineno)
        ):
            value = node.value
    return ast.get_source_segment(_SOURCE_CACHE[filename], value) if value is not None else None


def _is_literal(source: str) -> bool:
    try:
        ast.literal_eval(source)
    except (ValueError, SyntaxError):
        return False
    return True


def install_param_tracking(param_class: Any) -> dict[int, tuple[str, int]]:
    """Remember where each PassConfigParam was constructed (survives deepcopy)."""
    origins: dict[int, tuple[str, int]] = {}
    keep_alive: list[Any] = []
    original_init = param_class.__init__
    original_deepcopy = param_class.__dict__.get("__deepcopy__") or getattr(param_class, "__deepcopy__", None)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        frame: types.FrameType | None = sys._getframe(1)
        while frame is not None and frame.f_code.co_name == "__init__" and "self" in frame.f_locals:
            frame = frame.f_back  # skip subclass __init__ chains
        if frame is not None:
            origins[id(self)] = (frame.f_code.co_filename, frame.f_lineno)
            keep_alive.append(self)

    def __deepcopy__(self: Any, memo: dict[int, Any]) -> Any:
        import copy

        if original_deepcopy is not None:
            new = original_deepcopy(self, memo)
        else:
            new = copy._reconstruct(self, memo, *self.__reduce_ex__(4))  # type: ignore[attr-defined]
        if id(self) in origins:
            origins[id(new)] = origins[id(self)]
            keep_alive.append(new)
        return new

    param_class.__init__ = __init__
    param_class.__deepcopy__ = __deepcopy__
    return origins


# ---------------------------------------------------------------- fact collection


class Worker:
    def __init__(self, src: Path) -> None:
        self.src = src
        self.errors: list[str] = []
        self.enums: dict[str, list[Any]] = {}
        self.non_passes: list[str] = []
        self.origins: dict[int, tuple[str, int]] = {}
        self.finder = _StubFinder()

    def setup(self) -> None:
        os.environ.setdefault("OLIVE_DISABLE_TELEMETRY", "1")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        sys.meta_path.append(self.finder)
        sys.meta_path.insert(0, _AfterImportHook("olive.passes.pass_config", self._track_params))
        sys.path.insert(0, str(self.src))
        import logging

        logging.disable(logging.CRITICAL)

    def _track_params(self, module: types.ModuleType) -> None:
        self.origins = install_param_tracking(module.PassConfigParam)

    # ---------------- passes

    def pass_registry(self) -> dict[str, str]:
        """Pass name (as users write it) -> 'module.Class'."""
        config_file = self.src / "olive" / "olive_config.json"
        if config_file.exists():
            passes = json.loads(config_file.read_text(encoding="utf-8"))["passes"]
            return {name: entry["module_path"] for name, entry in passes.items()}
        # before olive_config.json: `import olive.passes` registers every non-abstract Pass subclass
        from olive.passes import Pass

        for module in pkgutil.walk_packages(importlib.import_module("olive.passes").__path__, "olive.passes."):
            try:
                importlib.import_module(module.name)
            except Exception as exc:
                self.errors.append(f"import {module.name}: {type(exc).__name__}: {exc}")
        return {cls.__name__: f"{cls.__module__}.{cls.__name__}" for cls in Pass.registry.values()}

    def accelerator_specs(self) -> list[Any]:
        from olive.hardware.accelerator import AcceleratorSpec, Device

        return [
            AcceleratorSpec(accelerator_type=Device(device), execution_provider=ep) for device, ep in ACCELERATOR_SPECS
        ]

    def passes(self) -> dict[str, Any]:
        import olive.passes.pass_config  # noqa: F401  (runs _track_params)

        origins = self.origins
        specs = self.accelerator_specs()
        from olive.passes.olive_pass import Pass

        result: dict[str, Any] = {}
        for name, module_path in sorted(self.pass_registry().items()):
            module_name, class_name = module_path.rsplit(".", 1)
            try:
                cls: Any = getattr(importlib.import_module(module_name), class_name)
            except Exception as exc:
                self.errors.append(f"pass {name}: import failed: {type(exc).__name__}: {exc}")
                result[name] = {"module": module_path, "params": None}
                continue
            if not (inspect.isclass(cls) and issubclass(cls, Pass)):
                self.non_passes.append(name)  # olive_config.json entries that are not passes (helpers of a pass)
                continue
            per_spec: list[dict[str, Any]] = []
            for spec in specs:
                try:
                    per_spec.append(getattr(cls, "default_config")(spec))  # noqa: B009  (classmethod on every Pass)
                except Exception as exc:
                    self.errors.append(f"pass {name} @ {spec}: default_config failed: {type(exc).__name__}: {exc}")
            if not per_spec:
                result[name] = {"module": module_path, "params": None}
                continue
            result[name] = {"module": module_path, "params": self._merge_specs(name, per_spec, origins)}
        return result

    def _merge_specs(
        self, pass_name: str, per_spec: list[dict[str, Any]], origins: dict[int, tuple[str, int]]
    ) -> dict[str, Any]:
        params: dict[str, Any] = {}
        names: list[str] = []
        for config in per_spec:
            names += [n for n in config if n not in names]
        for pname in names:
            present = [config[pname] for config in per_spec if pname in config]
            first = present[0]
            collect_enums(first.type_, self.enums)
            origin = origins.get(id(first))
            type_source = _raw_keyword_source(*origin, "type_") if origin else None
            entry: dict[str, Any] = {
                "type": choose_type_string(format_type(first.type_), type_source),
                "required": bool(first.required),
            }
            dependent: list[str] = []
            if len(present) < len(per_spec):
                dependent.append("presence")
            entry["default"] = self._value_string(
                [p.default_value for p in present], origin, ("default_value",), "default", dependent
            )
            search = [getattr(p, "search_defaults", None) or getattr(p, "searchable_values", None) for p in present]
            if any(s is not None for s in search):
                entry["search_defaults"] = self._value_string(
                    search, origin, ("search_defaults", "searchable_values"), "search_defaults", dependent
                )
            if dependent:
                entry["accelerator_dependent"] = dependent
            params[pname] = entry
        return params

    def _value_string(
        self,
        values: list[Any],
        origin: tuple[str, int] | None,
        keywords: tuple[str, ...],
        aspect: str,
        dependent: list[str],
    ) -> str:
        """One string for a value seen under every accelerator spec.

        The runtime value as a literal when it is the same for all specs; otherwise the source expression of the
        PassConfigParam(...) keyword when it is an expression (e.g. `accelerator_spec.accelerator_type`); otherwise
        the value for the first (CPU) spec, and `aspect` is listed as accelerator-dependent.
        """
        rendered: list[str | None] = []
        for value in values:
            try:
                rendered.append(format_value(value))
            except Unrepresentable:
                rendered.append(None)
        if rendered[0] is not None and all(r == rendered[0] for r in rendered):
            return rendered[0]
        source = source_of_keyword(*origin, keywords) if origin else None
        if source is not None and not _is_literal(source):
            return source
        if len(set(rendered)) > 1:
            dependent.append(aspect)
        if rendered[0] is not None:
            return rendered[0]
        self.errors.append(f"no literal or source for {aspect} value {values[0]!r}")
        return repr(values[0])

    # ---------------- model types

    def model_types(self) -> tuple[list[str], dict[str, dict[str, Any]]]:
        try:
            from olive.model.config.registry import REGISTRY  # 0.5+
        except ImportError:
            from olive.model import REGISTRY  # 0.4
        import olive.model  # noqa: F401  (registers the handlers)

        registered = self._registered_model_names()
        names: list[str] = []
        params: dict[str, dict[str, Any]] = {}
        for key, cls in REGISTRY.items():
            name = registered.get(key, cls.__name__)
            names.append(name)
            params[name] = self._signature_params(cls.__init__)
        return sorted(names), params

    def _registered_model_names(self) -> dict[str, str]:
        """lower-case registry key -> name as written in `@model_handler_registry("...")`."""
        out: dict[str, str] = {}
        for path in (self.src / "olive" / "model").rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", "")) == "model_handler_registry"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    out[node.args[0].value.lower()] = node.args[0].value
        return out

    def _signature_params(self, func: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        try:
            hints = typing.get_type_hints(func)
        except Exception:
            hints = {}
        for p in inspect.signature(func).parameters.values():
            if p.name == "self":
                continue
            if p.kind is inspect.Parameter.VAR_KEYWORD:
                out["**" + p.name] = {"type": "Any", "required": False, "default": "{}"}
                continue
            if p.kind is inspect.Parameter.VAR_POSITIONAL:
                continue
            annotation = hints.get(p.name, p.annotation)
            entry: dict[str, Any] = {
                "type": "Any" if annotation is inspect.Parameter.empty else format_type(annotation),
                "required": p.default is inspect.Parameter.empty,
                "default": None,
            }
            if p.default is not inspect.Parameter.empty:
                try:
                    entry["default"] = format_value(p.default)
                except Unrepresentable:
                    entry["default"] = repr(p.default)
            if annotation is not inspect.Parameter.empty:
                collect_enums(annotation, self.enums)
            out[p.name] = entry
        return out

    # ---------------- systems

    def system_types(self) -> list[str]:
        from olive.systems.common import SystemType

        return sorted(member.value for member in SystemType)

    # ---------------- data containers / components

    def data_registry(self) -> tuple[list[str], dict[str, list[str]], dict[str, dict[str, Any]]]:
        for package in ("olive.data.component", "olive.data.container"):
            pkg = importlib.import_module(package)
            for module in pkgutil.walk_packages(pkg.__path__, package + "."):
                try:
                    importlib.import_module(module.name)
                except Exception as exc:
                    self.errors.append(f"import {module.name}: {type(exc).__name__}: {exc}")
        from olive.data.registry import Registry

        def name_of(key: str, obj: Any) -> str:
            own = getattr(obj, "__name__", key)
            return own if own.lower() == key.lower() else key

        containers: list[str] = []
        components: dict[str, list[str]] = {}
        params: dict[str, dict[str, Any]] = {}
        for kind, entries in Registry._REGISTRY.items():
            names = sorted(name_of(k, v) for k, v in entries.items())
            if kind == "data_container":
                containers = names
                continue
            components[kind] = names
            for key, component in entries.items():
                function = getattr(component, "__init__") if isinstance(component, type) else component  # noqa: B009
                try:
                    signature = self._signature_params(function)
                    if kind != "load_dataset":  # the first parameter receives the previous stage's output
                        signature = dict(list(signature.items())[1:])
                    params.setdefault(kind, {})[name_of(key, component)] = signature
                except (TypeError, ValueError) as exc:
                    self.errors.append(f"data component {kind}/{key}: {exc}")
        return containers, components, params

    # ---------------- RunConfig / EngineConfig

    def run_config_keys(self) -> dict[str, Any]:
        from olive.workflows.run.config import RunConfig

        run_fields = _model_fields(RunConfig)
        engine_cls = _field_class(RunConfig, "engine")
        engine_fields = _model_fields(engine_cls)
        nested = getattr(RunConfig, "_nested_field_name", None)
        nested_name = getattr(nested, "default", nested)  # pydantic v2 wraps private attributes
        return {
            "top_level_keys": list(run_fields),
            "engine_keys": list(engine_fields),
            "engine_keys_at_top_level": nested_name == "engine",
            "run_config_extra": _extra_policy(RunConfig),
            "engine_extra": _extra_policy(engine_cls),
        }

    # ---------------- all

    def collect(self) -> dict[str, Any]:
        self.setup()
        facts: dict[str, Any] = {}
        steps = {
            "passes": self.passes,
            "run_config": self.run_config_keys,
            "systems": self.system_types,
            "models": self.model_types,
            "data": self.data_registry,
        }
        for key, step in steps.items():
            try:
                facts[key] = step()
            except Exception as exc:
                import traceback

                self.errors.append(f"{key}: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}")
                facts[key] = None
        facts["enums"] = self.enums
        self.errors += [f"enum name collision: {c}" for c in ENUM_COLLISIONS]
        facts["non_pass_registry_entries"] = self.non_passes
        facts["stubbed_modules"] = sorted(self.finder.stubbed)
        facts["errors"] = self.errors
        return facts


def _model_fields(cls: Any) -> dict[str, Any]:
    if hasattr(cls, "model_fields"):
        return dict(cls.model_fields)
    return dict(cls.__fields__)


def _field_class(cls: Any, name: str) -> Any:
    field = _model_fields(cls)[name]
    tp = getattr(field, "annotation", None) or getattr(field, "outer_type_", None)
    for candidate in (tp, *typing.get_args(tp)):
        if isinstance(candidate, type):
            return candidate
    raise TypeError(f"cannot resolve class of {cls.__name__}.{name}")


def _extra_policy(cls: Any) -> str:
    config = getattr(cls, "model_config", None)
    if isinstance(config, dict):
        return str(config.get("extra", "ignore"))
    extra = getattr(getattr(cls, "__config__", None), "extra", "ignore")  # pydantic v1
    return str(getattr(extra, "value", extra))


def worker_main(src: Path) -> None:
    facts = Worker(src).collect()
    json.dump(facts, sys.stdout, indent=1, sort_keys=True, default=str)


# ====================================================================================================================
# Driver side: download, environments, merge into ranges
# ====================================================================================================================


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def fetch_release(version: str, cache: Path) -> Path:
    """Download and unzip the wheel of one release; return the unpacked directory."""
    wheel_dir = cache / "wheels" / version
    src_dir = cache / "src" / version
    if (src_dir / "olive").is_dir():
        return src_dir
    wheel_dir.mkdir(parents=True, exist_ok=True)
    if not list(wheel_dir.glob("*.whl")):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", f"olive-ai=={version}", "-d", str(wheel_dir)],
            check=True,
        )
    (wheel,) = wheel_dir.glob("olive_ai-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(src_dir)
    return src_dir


def environment_for(src: Path) -> str:
    """pydantic1 if the release pins pydantic<2, else pydantic2."""
    (metadata,) = src.glob("olive_ai-*.dist-info/METADATA")
    for line in metadata.read_text(encoding="utf-8").splitlines():
        requirement = line.replace(" ", "")
        if requirement.startswith("Requires-Dist:pydantic") and "extra==" not in requirement and "<2" in requirement:
            return "pydantic1"
    return "pydantic2"


def ensure_environment(name: str, cache: Path) -> Path:
    venv = cache / f"venv-{name}"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *ENVIRONMENTS[name]], check=True)
    return python


def extract_release(version: str, cache: Path, refresh: bool) -> dict[str, Any]:
    raw = cache / "raw" / f"{version}.json"
    if raw.exists() and not refresh:
        facts: dict[str, Any] = json.loads(raw.read_text(encoding="utf-8"))
        return facts
    src = fetch_release(version, cache)
    python = ensure_environment(environment_for(src), cache)
    proc = subprocess.run(
        [str(python), str(Path(__file__).resolve()), "--worker", str(src)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=str(cache),
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker for {version} failed:\n{proc.stderr[-4000:]}")
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(proc.stdout, encoding="utf-8")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


# ---------------------------------------------------------------- ranges

Range = list[str | None]  # [from, to): to=None means "still there in the newest release"


def to_ranges(present: Iterable[str], versions: list[str]) -> list[Range]:
    """Half-open ranges [first version with it, first version without it) over the ordered release list."""
    have = set(present)
    ranges: list[Range] = []
    start: str | None = None
    for v in versions:
        if v in have and start is None:
            start = v
        elif v not in have and start is not None:
            ranges.append([start, v])
            start = None
    if start is not None:
        ranges.append([start, None])
    return ranges


def ranges_of(per_version: dict[str, Iterable[str]], versions: list[str]) -> dict[str, list[Range]]:
    """{version: names} -> {name: ranges}, names sorted case-insensitively."""
    seen: dict[str, list[str]] = {}
    for v in versions:
        for name in per_version.get(v) or ():
            seen.setdefault(name, []).append(v)
    return {name: to_ranges(seen[name], versions) for name in sorted(seen, key=lambda s: (s.lower(), s))}


def value_history(per_version: dict[str, Any], versions: list[str], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """{version: entry dict} -> one record per distinct combination of `fields`, each with its version ranges."""
    groups: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for v in versions:
        if v not in per_version:
            continue
        entry = {f: per_version[v][f] for f in fields if f in per_version[v]}
        key = json.dumps(entry, sort_keys=True)
        groups.setdefault(key, (entry, []))[1].append(v)
    records = [{"versions": to_ranges(vs, versions), **entry} for entry, vs in groups.values()]
    return sorted(records, key=lambda r: _version_key(r["versions"][0][0]))


PARAM_FIELDS = ("type", "default", "required", "search_defaults", "accelerator_dependent")


def merge(raw: dict[str, dict[str, Any]], versions: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"versions": versions}

    # passes
    pass_versions: dict[str, list[str]] = {}
    for v in versions:
        for name in raw[v]["passes"] or {}:
            pass_versions.setdefault(name, []).append(v)
    passes: dict[str, Any] = {}
    for name in sorted(pass_versions, key=str.lower):
        newest = pass_versions[name][-1]
        entry: dict[str, Any] = {
            "module": raw[newest]["passes"][name]["module"],
            "versions": to_ranges(pass_versions[name], versions),
        }
        param_versions: dict[str, dict[str, Any]] = {}
        for v in pass_versions[name]:
            for pname, pentry in (raw[v]["passes"][name]["params"] or {}).items():
                param_versions.setdefault(pname, {})[v] = pentry
        entry["params"] = {pname: value_history(pv, versions, PARAM_FIELDS) for pname, pv in param_versions.items()}
        passes[name] = entry
    out["passes"] = passes

    # enums
    enum_versions: dict[str, dict[str, Any]] = {}
    for v in versions:
        for name, values in raw[v]["enums"].items():
            enum_versions.setdefault(name, {})[v] = {"values": values}
    out["enums"] = {
        name: value_history(ev, versions, ("values",)) for name, ev in sorted(enum_versions.items(), key=lambda i: i[0])
    }

    out["input_model_types"] = ranges_of({v: (raw[v]["models"] or [[]])[0] for v in versions}, versions)
    out["system_types"] = ranges_of({v: raw[v]["systems"] or [] for v in versions}, versions)
    out["data_containers"] = ranges_of({v: (raw[v]["data"] or [[]])[0] for v in versions}, versions)
    kinds = ("load_dataset", "pre_process_data", "post_process_data", "dataloader")
    out["data_components"] = {
        kind: ranges_of({v: ((raw[v]["data"] or [None, {}])[1]).get(kind, []) for v in versions}, versions)
        for kind in kinds
    }

    component_params: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for v in versions:
        data = raw[v]["data"] or [None, None, {}]
        for kind, entries in (data[2] if len(data) > 2 else {}).items():
            for cname, params in entries.items():
                for pname, pentry in params.items():
                    component_params.setdefault(kind, {}).setdefault(cname, {}).setdefault(pname, {})[v] = pentry
    out["data_component_params"] = {
        kind: {
            cname: {
                pname: value_history(pv, versions, ("type", "default", "required")) for pname, pv in cparams.items()
            }
            for cname, cparams in sorted(entries.items())
        }
        for kind, entries in component_params.items()
    }

    def top_level(v: str) -> list[str]:
        rc = raw[v]["run_config"] or {}
        keys = list(rc.get("top_level_keys", []))
        if rc.get("engine_keys_at_top_level"):
            keys += [k for k in rc.get("engine_keys", []) if k not in keys]
        return keys

    out["top_level_keys"] = ranges_of({v: top_level(v) for v in versions}, versions)
    out["engine_keys"] = ranges_of({v: (raw[v]["run_config"] or {}).get("engine_keys", []) for v in versions}, versions)

    model_params: dict[str, dict[str, dict[str, Any]]] = {}
    for v in versions:
        for mtype, params in ((raw[v]["models"] or [None, {}])[1]).items():
            for pname, pentry in params.items():
                model_params.setdefault(mtype, {}).setdefault(pname, {})[v] = pentry
    out["input_model_params"] = {
        mtype: {pname: value_history(pv, versions, ("type", "default", "required")) for pname, pv in params.items()}
        for mtype, params in sorted(model_params.items(), key=lambda i: i[0].lower())
    }
    out["notes"] = NOTES
    return out


def dump_json(value: Any, indent: int = 0, lead: int = 0, width: int = 120) -> str:
    """2-space-indented JSON that keeps any list/object fitting in `width` columns on one line.

    `lead` is the column where the value starts (after its key); nested blocks indent by 2 from `indent`.
    """
    flat = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, (list, dict)) or not value or lead + len(flat) <= width:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, list):
        items = [pad + dump_json(v, indent + 2, indent + 2, width) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    items = []
    for k, v in value.items():
        key = f"{pad}{json.dumps(k, ensure_ascii=False)}: "
        items.append(key + dump_json(v, indent + 2, len(key), width))
    return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"


NOTES: dict[str, str] = {}  # filled in by notes.json next to this file (facts decided by hand)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="download/venv/raw-facts cache directory")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="catalog file to write")
    parser.add_argument("--refresh", action="store_true", help="re-run the workers even if raw facts are cached")
    parser.add_argument("--only", nargs="*", help="extract only these releases (debugging; no catalog written)")
    args = parser.parse_args()

    if args.worker:
        worker_main(args.worker)
        return

    args.cache.mkdir(parents=True, exist_ok=True)
    selected = args.only or VERSIONS
    raw: dict[str, dict[str, Any]] = {}
    for version in selected:
        raw[version] = extract_release(version, args.cache, args.refresh)
        n_params = sum(len(p["params"] or {}) for p in raw[version]["passes"].values())
        print(f"{version}: {len(raw[version]['passes'])} passes, {n_params} params, "
              f"{len(raw[version]['errors'])} errors", file=sys.stderr)  # fmt: skip
    if args.only:
        return
    NOTES.update(json.loads((Path(__file__).with_name("notes.json")).read_text(encoding="utf-8")))
    catalog = merge(raw, VERSIONS)
    args.out.write_text(dump_json(catalog) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
