"""docs/configuration.md lists every environment variable the code reads, and its links lead somewhere."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
READS = re.compile(r"(?:env_(?:str|bool|int|list|secret)\(|os\.environ\.get\(|os\.getenv\(|os\.environ\[)"
                   r"""\s*["']([A-Z][A-Z0-9_]+)["']""")


def variables_read() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "motcua").rglob("*.py"):
        if "tests" not in path.parts:
            names |= set(READS.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_variable_read_is_listed():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    names = variables_read()
    assert len(names) > 100  # the pattern still finds the settings
    assert sorted(name for name in names if f"`{name}`" not in doc) == []


def test_the_links_lead_to_pages_that_name_the_variable():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for row in re.findall(r"^\| `([A-Z0-9_]+)` \| (.+) \|$", doc, flags=re.M):
        name, links = row
        for target in re.findall(r"\]\(([^)]+)\)", links):
            page = (ROOT / "docs" / target).resolve()
            assert page.is_file(), target
            assert named(name, page.read_text(encoding="utf-8")), (name, target)


def named(name: str, text: str) -> bool:
    """NAME is in TEXT, or abbreviated after a sibling as pages do: "`MOTCUA_X_ATTEMPTS`, `…_BACKOFF_SECONDS`"."""
    parts = name.split("_")
    tails = ["…_" + "_".join(parts[i:]) for i in range(2, len(parts))]
    return name in text or ("_".join(parts[:3]) in text and any(tail in text for tail in tails))
