"""Write ``src/quotetrack/data/names/genders.txt`` from the nomquamgender name data.

nomquamgender (MIT, Ian Van Buskirk et al.) gives, for about 720,000 given names, how many
people bore them and what share of them were women, pooled from many national and
publication sources. The extractor needs far less: the given names that almost always mark
one gender, to keep "she" from resolving to Donald Trump. Loading the package's 22 MB table
costs 1.5 s and 280 MB in every worker, so this script keeps the confident, common entries
(about 47,000 names, 0.4 MB) once.

usage:
    pip install nomquamgender        # only to regenerate; quotetrack does not need it
    python scripts/build_given_genders.py [--min-count 100] [--out PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
from pathlib import Path

# nomquamgender's own default: a name is gendered when p(female) is at most .1 or at least .9
CONFIDENT = 0.1
NAME = re.compile(r"[a-z]{2,}")  # name parts as quotetrack.names splits them: no hyphen, no accent
HEADER = """\
# Given names that almost always mark one gender: name<TAB>m|f.
# Derived by scripts/build_given_genders.py from nomquamgender {version} (MIT; see SOURCES.md):
# names borne at least {min_count} times, with p(female) <= {low} (m) or >= {high} (f).
"""


def package_dir() -> Path:
    """The installed nomquamgender package, found without importing it (it imports pandas)."""
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("nomquamgender is not installed: pip install nomquamgender")
    return Path(next(iter(spec.submodule_search_locations)))


def confident_names(data: dict[str, list], min_count: int) -> dict[str, str]:
    """name -> "m" or "f" for the common names of one clear gender."""
    out = {}
    for name, (_sources, count, p_female, *_rest) in data.items():
        if count < min_count or not NAME.fullmatch(name):
            continue
        if p_female <= CONFIDENT:
            out[name] = "m"
        elif p_female >= 1 - CONFIDENT:
            out[name] = "f"
    return out


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-count", type=int, default=100)
    ap.add_argument("--out", type=Path, default=root / "src/quotetrack/data/names/genders.txt")
    args = ap.parse_args()
    where = package_dir()
    data = json.loads((where / "name_data.json").read_text("utf-8"))
    version = next(where.parent.glob("nomquamgender-*.dist-info")).name.split("-")[1].removesuffix(".dist")
    names = confident_names(data, args.min_count)
    header = HEADER.format(version=version, min_count=args.min_count, low=CONFIDENT, high=1 - CONFIDENT)
    body = "".join(f"{name}\t{gender}\n" for name, gender in sorted(names.items()))
    args.out.write_text(header + body, "utf-8")
    print(f"{len(names):,} names ({sum(g == 'f' for g in names.values()):,} f) -> {args.out}")


if __name__ == "__main__":
    main()
