"""Generate Python code from proto/ into the one generated package, syncwatch.proto.

protoc writes modules named after the proto file paths (``syncwatch/common/v1/error_pb2.py`` importing
``syncwatch.common.v1``). Those names would collide with our service packages (``syncwatch.auth``),
so the files are generated in a scratch directory, moved under ``syncwatch/proto/`` and their imports
rewritten to match. ``--check`` regenerates into a scratch tree and fails when the committed code
differs, so stale generated code cannot land.
"""

from __future__ import annotations

import argparse
import filecmp
import re
import shutil
import sys
import tempfile
from pathlib import Path

from grpc_tools import protoc

ROOT = Path(__file__).resolve().parent.parent
PROTO_ROOT = ROOT / "proto"
TARGET = ROOT / "libs" / "proto" / "src" / "syncwatch" / "proto"
BIN = Path(sys.executable).parent
HEADER = "# Generated from proto/ by scripts/gen_proto.py. Do not edit.\n"
IMPORT = re.compile(r"^(from|import) syncwatch\.(?!proto\.)", re.MULTILINE)


def generate(out: Path) -> None:
    """Write the generated package (with __init__ files and .pyi stubs) into ``out``."""
    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.rglob("*.proto"))
    if not protos:
        raise SystemExit("no .proto files under proto/")
    with tempfile.TemporaryDirectory() as scratch:
        include = Path(protoc.__file__).parent / "_proto"
        code = protoc.main(
            [
                "grpc_tools.protoc",
                f"-I{PROTO_ROOT}",
                f"-I{include}",
                f"--python_out={scratch}",
                f"--grpc_python_out={scratch}",
                # The mypy-protobuf plugins sit beside this interpreter, maybe not on PATH.
                f"--plugin=protoc-gen-mypy={BIN / 'protoc-gen-mypy'}",
                f"--plugin=protoc-gen-mypy_grpc={BIN / 'protoc-gen-mypy_grpc'}",
                f"--mypy_out={scratch}",
                f"--mypy_grpc_out={scratch}",
                *protos,
            ]
        )
        if code != 0:
            raise SystemExit(f"protoc failed with exit code {code}")
        generated = Path(scratch) / "syncwatch"
        out.mkdir(parents=True, exist_ok=True)
        for path in sorted(generated.rglob("*")):
            if path.is_dir():
                continue
            dest = out / path.relative_to(generated)
            dest.parent.mkdir(parents=True, exist_ok=True)
            text = IMPORT.sub(r"\1 syncwatch.proto.", path.read_text(encoding="utf-8"))
            dest.write_text(HEADER + text, encoding="utf-8")
    for directory in [out, *(d for d in out.rglob("*") if d.is_dir())]:
        init = directory / "__init__.py"
        if not init.exists():
            init.write_text(HEADER, encoding="utf-8")
    (out / "py.typed").write_text("", encoding="utf-8")


def same_tree(a: Path, b: Path) -> bool:
    """True when both trees hold the same files with the same bytes."""
    files_a = {
        p.relative_to(a) for p in a.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }
    files_b = {
        p.relative_to(b) for p in b.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }
    if files_a != files_b:
        return False
    return all(filecmp.cmp(a / f, b / f, shallow=False) for f in files_a)


def main() -> int:
    """Generate, or with --check verify that the committed code is current."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if generated code is stale")
    args = parser.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as fresh:
            generate(Path(fresh))
            if not TARGET.exists() or not same_tree(Path(fresh), TARGET):
                print("generated code in libs/proto is stale: run `make proto`", file=sys.stderr)
                return 1
        print("generated code is up to date")
        return 0
    if TARGET.exists():
        shutil.rmtree(TARGET)
    generate(TARGET)
    print(f"generated {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
