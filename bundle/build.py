"""Build the MCP Bundle (.mcpb) that installs the server in Claude Desktop with a double-click.

    python bundle/build.py            # -> dist/ninjahire-mcp-<version>.mcpb, its SHA-256 written to server.json
    python bundle/build.py --check    # the same build; fails if server.json holds another SHA-256 (CI)

The bundle is a `uv` server (manifest 0.4): it carries the package's source and pyproject.toml, and the
host's uv installs the dependencies on first start, on whatever platform the user has. The official CLI
(`@anthropic-ai/mcpb`, pinned below) validates the manifest, packs the staged folder, and reads the result
back (`info`, `unpack`).

`mcpb pack` stamps every entry with the time of packing, so two packs of one tree differ; server.json must
carry the SHA-256 that anyone rebuilding the committed tree gets. So its archive is written again here with
the same entries, in name order, with a fixed timestamp and mode, and stored, not deflated: the bytes of a
deflate stream depend on the zlib build (zlib-ng differs from zlib), stored bytes on nothing but the files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import tomllib
import zipfile
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MCPB = ("npx", "--yes", "@anthropic-ai/mcpb@2.1.2")
RELEASES = "https://github.com/ninjahire/ninjahire-mcp/releases/download"
# What uv needs to build and install the project: hatchling reads the readme and licence, and force-includes
# prompts/ (pyproject.toml).
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "ninjahire_mcp", "prompts")
SKIPPED = ("__pycache__", ".pyc", ".pyo", ".so")
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the ZIP epoch: the archive says nothing of when it was built
FILE_MODE = 0o100644


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the MCP Bundle (.mcpb) for Claude Desktop.")
    parser.add_argument("--output", type=Path, default=ROOT / "dist", help="folder for the .mcpb (default: dist/)")
    parser.add_argument("--check", action="store_true", help="fail if server.json has another SHA-256")
    args = parser.parse_args(argv)
    bundle = build(args.output)
    digest = hashlib.sha256(bundle.read_bytes()).hexdigest()
    # A script's report on stdout (ruff's T20 is for the package, where stdout is the protocol).
    sys.stdout.write(f"{bundle} ({bundle.stat().st_size} bytes)\nsha256 {digest}\n")
    text = (ROOT / "server.json").read_text("utf-8")
    wanted = registry_entry(digest)
    entry = next((p for p in json.loads(text)["packages"] if p["registryType"] == "mcpb"), None)
    if entry is None or {**entry, "fileSha256": digest} != wanted:
        sys.stderr.write(f"server.json needs this package (version and identifier by hand):\n{json.dumps(wanted)}\n")
        return 1
    if entry != wanted and args.check:
        sys.stderr.write(
            f"server.json's mcpb fileSha256 is {entry['fileSha256']}, this build's is {digest}: the bundle's "
            "files changed; run `python bundle/build.py` and commit server.json.\n"
        )
        return 1
    # Only the digest's line is rewritten: the file keeps its hand-made layout.
    (ROOT / "server.json").write_text(re.sub(r'"fileSha256": "[0-9a-f]*"', f'"fileSha256": "{digest}"', text), "utf-8")
    return 0


def version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"])


def bundle_name() -> str:
    return f"ninjahire-mcp-{version()}.mcpb"


def registry_entry(digest: str) -> dict[str, Any]:
    """server.json's package for the bundle: a GitHub release asset, checked by its SHA-256."""
    return {
        "registryType": "mcpb",
        "identifier": f"{RELEASES}/v{version()}/{bundle_name()}",
        "version": version(),
        "fileSha256": digest,
        "transport": {"type": "stdio"},
    }


def build(output: Path) -> Path:
    output.mkdir(parents=True, exist_ok=True)
    final = output / bundle_name()
    with tempfile.TemporaryDirectory(prefix="ninjahire-mcpb-") as work:
        staging, packed, unpacked = Path(work) / "ninjahire-mcp", Path(work) / "packed.mcpb", Path(work) / "unpacked"
        stage(staging)
        mcpb("validate", str(staging / "manifest.json"))
        mcpb("pack", str(staging), str(packed))
        repack(packed, final)
        mcpb("info", str(final))
        mcpb("unpack", str(final), str(unpacked))
        differences = compare(staging, unpacked)
        if differences:
            raise SystemExit(f"the unpacked bundle differs from what was staged: {differences}")
    return final


def stage(staging: Path) -> None:
    """The bundle's files, each written with the same mode whatever the umask. In a git checkout only the
    files git tracks: a stray file in the package (a scratch module, an editor's backup) must not change
    what a clean clone builds."""
    tracked = _tracked()
    for name in SOURCES:
        source = ROOT / name
        paths = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for path in paths:
            relative = path.relative_to(ROOT)
            if tracked is not None and relative.as_posix() not in tracked:
                continue
            if any(part == "__pycache__" for part in relative.parts) or path.name.endswith(SKIPPED):
                continue
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (staging / "manifest.json").write_text(json.dumps(manifest(), indent=2, ensure_ascii=False) + "\n", "utf-8")
    (staging / "icon.png").write_bytes(icon_png())
    for path in staging.rglob("*"):
        path.chmod(0o755 if path.is_dir() else FILE_MODE & 0o777)


def _tracked() -> set[str] | None:
    """The paths git tracks under ROOT, or None outside a git checkout (an unpacked source archive)."""
    if not (ROOT / ".git").exists():
        return None
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return set(listed.stdout.decode("utf-8").split("\0")) - {""}


def mcpb(*args: str) -> str:
    done = subprocess.run([*MCPB, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"mcpb {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def repack(packed: Path, final: Path) -> None:
    """mcpb's archive again, byte for byte the same from the same files (see the module's docstring)."""
    with zipfile.ZipFile(packed) as source:
        entries = sorted((info.filename, source.read(info)) for info in source.infolist() if not info.is_dir())
    with zipfile.ZipFile(final, "w", zipfile.ZIP_STORED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.create_system = 3  # Unix, so that the mode below is read
            info.external_attr = FILE_MODE << 16
            target.writestr(info, data)


def compare(staging: Path, unpacked: Path) -> list[str]:
    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    staged, found = files(staging), files(unpacked)
    return sorted(name for name in staged.keys() | found.keys() if staged.get(name) != found.get(name))


# ---- the manifest --------------------------------------------------------------------------------------


def manifest() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from ninjahire_mcp.config import ALL_TOOLSETS, DEFAULT_TOOLSETS, Settings
    from ninjahire_mcp.tools import select_specs

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    default_toolsets = ",".join(name for name in ALL_TOOLSETS if name in DEFAULT_TOOLSETS)
    return {
        "manifest_version": "0.4",
        "name": "ninjahire-mcp",
        "display_name": "Ninjahire",
        "version": project["version"],
        "description": project["description"],
        "long_description": (
            "Jobs, candidates, applications, screening questions and AI phone-screening calls of your Ninjahire "
            "tenant, as tools Claude uses in plain language. Real-world actions (a phone call, where candidate "
            "data is sent) wait for your confirmation.\n\n**Sandbox mode** is on when you install: an embedded "
            "emulator with fictional data, no key, and nobody is phoned. To work on your tenant, enter your API "
            "key and turn Sandbox mode off."
        ),
        "author": {"name": "Ninjahire", "url": "https://github.com/ninjahire"},
        "repository": {"type": "git", "url": "https://github.com/ninjahire/ninjahire-mcp"},
        "homepage": "https://github.com/ninjahire/ninjahire-mcp",
        "documentation": "https://github.com/ninjahire/ninjahire-mcp#readme",
        "support": "https://github.com/ninjahire/ninjahire-mcp/issues",
        "icon": "icon.png",
        "server": {
            "type": "uv",
            # Shown by hosts; what runs is mcp_config: the console script in the environment uv makes from
            # pyproject.toml beside it.
            "entry_point": "ninjahire_mcp/__main__.py",
            "mcp_config": {
                "command": "uv",
                "args": ["run", "--directory", "${__dirname}", "--no-dev", "ninjahire-mcp"],
                "env": {
                    "NINJAHIRE_API_KEY": "${user_config.api_key}",
                    "NINJAHIRE_SANDBOX": "${user_config.sandbox}",
                    "NINJAHIRE_TOOLSETS": "${user_config.toolsets}",
                },
            },
        },
        # The tools a default install serves; toolsets adds others (webhooks, research), hence tools_generated.
        "tools": [
            {"name": spec.name, "description": first_sentence(spec.handler.__doc__ or spec.title)}
            for spec in select_specs(Settings())
        ],
        "tools_generated": True,
        "prompts_generated": True,
        "keywords": list(project["keywords"]),
        "license": project["license"],
        "privacy_policies": ["https://ninjahire.co/privacy"],
        "compatibility": {
            "platforms": ["darwin", "win32", "linux"],
            "runtimes": {"python": project["requires-python"]},
        },
        # Every optional field has a default: a host passes an unset field's placeholder through verbatim,
        # and "" reaches the server as unset (config.py ignores blank variables).
        "user_config": {
            "api_key": {
                "type": "string",
                "title": "Ninjahire API key",
                "description": "Your tenant's API key. Not needed in Sandbox mode; turn Sandbox mode off to use it.",
                "sensitive": True,
                "required": False,
                "default": "",
            },
            "sandbox": {
                "type": "boolean",
                "title": "Sandbox mode",
                "description": "Serve an embedded emulator with fictional data instead of your tenant: no key, "
                "nobody is phoned. Turn off to work on your tenant with your API key.",
                "required": False,
                "default": True,
            },
            "toolsets": {
                "type": "string",
                "title": "Toolsets",
                "description": f"Comma-separated toolsets to serve: {', '.join(ALL_TOOLSETS)}, or all.",
                "required": False,
                "default": default_toolsets,
            },
        },
    }


def first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end == -1 else flat[: end + 1]


# ---- the icon ------------------------------------------------------------------------------------------

ICON_SIZE = 128
BLUE, WHITE = (0x2B, 0x59, 0xC3, 0xFF), (0xFF, 0xFF, 0xFF, 0xFF)
CLEAR = (0, 0, 0, 0)


def icon_pixel(x: float, y: float) -> tuple[int, int, int, int]:
    """The server icon (toolkit/_icons.py: a person), white on a blue rounded square, on a 24-unit grid."""
    corner = 5.0
    dx, dy = max(abs(x - 12) - (12 - corner), 0), max(abs(y - 12) - (12 - corner), 0)
    if dx * dx + dy * dy > corner * corner:
        return CLEAR
    head = (x - 12) ** 2 + (y - 8.5) ** 2 <= 4.2**2
    shoulders = y >= 14.5 and y <= 20 and ((x - 12) / 7.5) ** 2 + ((y - 21) / 6.5) ** 2 <= 1
    return WHITE if head or shoulders else BLUE


def icon_png() -> bytes:
    """A 128x128 PNG written without zlib's deflate (stored blocks), so that its bytes are the same anywhere."""
    scale = 24 / ICON_SIZE
    rows = b"".join(
        b"\x00" + b"".join(bytes(icon_pixel((x + 0.5) * scale, (y + 0.5) * scale)) for x in range(ICON_SIZE))
        for y in range(ICON_SIZE)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", ICON_SIZE, ICON_SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", stored_zlib(rows)) + chunk(b"IEND", b"")


def stored_zlib(data: bytes) -> bytes:
    """A zlib stream of stored (uncompressed) deflate blocks."""
    blocks = [data[start : start + 65_535] for start in range(0, len(data), 65_535)] or [b""]
    body = b"".join(
        struct.pack("<BHH", int(n == len(blocks) - 1), len(block), len(block) ^ 0xFFFF) + block
        for n, block in enumerate(blocks)
    )
    return b"\x78\x01" + body + struct.pack(">I", zlib.adler32(data))


if __name__ == "__main__":
    sys.exit(main())
