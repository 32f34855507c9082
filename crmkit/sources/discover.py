"""Which files of a data folder hold companies, contacts and tickets — by name, then by content.

Analysts' folders hold ``Contacts_export_2024.csv``, ``Customer list (Q3 2024).xlsx``, a
Salesforce export's ``Account.csv`` … ``Lead.csv``, a Zendesk export's ``users.json``. Each file
(each visible sheet of a workbook with several) is placed by, in order:

1. ``--companies/--contacts/--tickets FILE`` (repeatable): always win;
2. a known export name (Salesforce's object files, Zendesk's collections);
3. the words of its name (``organisations.csv``, ``Contacts_export_2024.csv``);
4. its headers: ``crmkit.mapping.auto_map`` against each object type, scored by how much of the
   file it maps with confidence and whether the upsert key's column is there.

Every decision is a line a person reads before the plan ("contacts ← Customer list (Q3
2024).xlsx, sheet Customers: headers look like contacts (0.92)") and goes into report.json; a
file that cannot be placed is named with the reason. A file that looks like CRM data but fits
two object types equally, or a folder where nothing can be placed, is a ``SourcesError`` that
asks for the options.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmkit import OBJECT_TYPES
from crmkit.errors import ConfigError, CsvError, ExportFileError, SourcesError
from crmkit.sources.jsonrecords import JSON_SUFFIXES
from crmkit.sources.names import (
    ZENDESK,
    KnownFile,
    names_owners,
    salesforce_file,
    types_named,
)
from crmkit.sources.score import best_fit

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
Overrides = Mapping[str, Sequence[str | Path]]
"""``{"contacts": ["a.csv", "b.xlsx:Sheet 2"]}`` from ``--contacts`` and friends."""


@dataclass(frozen=True)
class Source:
    """One file (or sheet) placed as one object type's rows, or as owners / notes."""

    role: str  # companies | contacts | tickets | owners | notes
    path: Path
    sheet: str | None = None
    reason: str = ""
    system: str | None = None  # "salesforce" | "zendesk" when the file is theirs

    @property
    def label(self) -> str:
        return self.path.name if self.sheet is None else f"{self.path.name}, sheet {self.sheet}"

    @property
    def spec(self) -> str:
        return str(self.path) if self.sheet is None else f"{self.path}:{self.sheet}"

    def line(self) -> str:
        return f"{self.role} ← {self.label}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "file": self.path.name,
            "sheet": self.sheet,
            "reason": self.reason,
            "system": self.system,
        }


@dataclass(frozen=True)
class Unplaced:
    file: str
    reason: str
    ambiguous: bool = False

    def line(self) -> str:
        return f"not imported: {self.file}: {self.reason}"


@dataclass
class Discovery:
    """What was found: sources per role, in order, and the files left out with why."""

    folder: Path
    sources: list[Source] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)

    def of(self, role: str) -> list[Source]:
        return [s for s in self.sources if s.role == role]

    def object_types(self) -> list[str]:
        return [t for t in OBJECT_TYPES if self.of(t)]

    def system(self) -> str | None:
        systems = {s.system for s in self.sources if s.system}
        return systems.pop() if len(systems) == 1 else None

    def lines(self) -> list[str]:
        """The decisions, one per line, as printed before the plan."""
        order = [*OBJECT_TYPES, "owners", "notes"]
        placed = sorted(self.sources, key=lambda s: order.index(s.role))
        return [s.line() for s in placed] + [u.line() for u in self.unplaced]

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": [s.to_dict() for s in self.sources],
            "unplaced": [{"file": u.file, "reason": u.reason} for u in self.unplaced],
        }


def discover(data_dir: str | Path | None, overrides: Overrides | None = None) -> Discovery:
    """Place every file of ``data_dir`` (a folder, or an export's zip) and the overrides."""
    overrides = {t: list(v) for t, v in (overrides or {}).items() if v}
    for role in overrides:
        if role not in OBJECT_TYPES:
            raise ConfigError(f"unknown object type {role!r} for a source file")
    folder = _folder(data_dir, overrides)
    found = Discovery(folder)
    named: set[Path] = set()
    for role, specs in overrides.items():
        for spec in specs:
            path, sheet = _resolve(folder, spec)
            named.add(path.resolve())
            found.sources.append(Source(role, path, sheet, f"--{role} {Path(spec).name}"))
    for path in _entries(data_dir, folder):
        if path.resolve() in named:
            continue
        _place(path, found, taken=set(overrides))
    _check(found, overridden=bool(overrides))
    return found


def _folder(data_dir: str | Path | None, overrides: Overrides) -> Path:
    if data_dir is None:
        if not overrides:
            raise ConfigError("--data DIR is required (or --companies/--contacts/--tickets FILE)")
        first = next(iter(next(iter(overrides.values()))))
        return Path(first).parent
    folder = Path(data_dir)
    if folder.is_file() and folder.suffix.lower() == ".zip":
        return unzip(folder)
    if folder.is_file():  # --data book.xlsx: a folder of that one file
        return folder.parent
    if not folder.is_dir():
        raise ConfigError(f"data folder {folder} does not exist")
    return folder


def _entries(data_dir: str | Path | None, folder: Path) -> list[Path]:
    """What to place: the folder's entries; one file given as --data; none without --data."""
    if data_dir is None:
        return []  # only the --companies/--contacts/--tickets files
    given = Path(data_dir)
    if given.is_file() and given.suffix.lower() != ".zip":
        return [given]
    return _listing(folder)


def unzip(archive: Path) -> Path:
    """An export's zip (Salesforce sends one) into a private temporary folder."""
    target = Path(tempfile.mkdtemp(prefix="crmkit-export-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)  # the plan holds what it sends
    try:
        with zipfile.ZipFile(archive) as zf:
            for member in zf.infolist():
                name = Path(member.filename)
                if member.is_dir() or name.is_absolute() or ".." in name.parts:
                    continue
                out = target / name.name  # exports are flat; a nested folder's files join
                with zf.open(member) as src, out.open("wb") as dst:
                    dst.write(src.read())
    except zipfile.BadZipFile as exc:
        raise ExportFileError(
            f"not a readable zip ({exc})", file=str(archive), kind="corrupt"
        ) from None
    return target


def _resolve(folder: Path, spec: str | Path) -> tuple[Path, str | None]:
    from crmkit.io import split_sheet

    path, sheet = split_sheet(spec)
    if not path.is_absolute() and not path.exists() and (folder / path).exists():
        path = folder / path
    if not path.is_file():
        raise ConfigError(f"source file {path} does not exist")
    return path, sheet


def _listing(folder: Path) -> list[Path]:
    """Every entry of the folder in name order; an export's zip inside it is unpacked."""
    out: list[Path] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name.lower()):
        if path.is_file() and path.suffix.lower() == ".zip":
            out.extend(_listing(unzip(path)))
        else:
            out.append(path)
    return out


def _place(path: Path, found: Discovery, *, taken: set[str]) -> None:
    name, stem, suffix = path.name, path.stem, path.suffix.lower()
    if path.is_dir():
        found.unplaced.append(Unplaced(name, "a folder: crmkit reads the files of --data only"))
        return
    if name.startswith((".", "~$")):
        found.unplaced.append(Unplaced(name, "a hidden or lock file"))
        return
    if suffix not in TABLE_SUFFIXES + JSON_SUFFIXES:
        found.unplaced.append(
            Unplaced(name, f"not a CSV, Excel or JSON file ({suffix or 'no suffix'})")
        )
        return
    known = _known(stem, suffix)
    if known is not None:
        if not known.role:
            why = known.why if "not imported" in known.why else f"{known.why}: not imported"
            found.unplaced.append(
                Unplaced(name, f"{why} (crmkit imports companies, contacts and tickets)")
            )
        elif known.role in taken:
            found.unplaced.append(Unplaced(name, f"--{known.role} names the {known.role} files"))
        else:
            found.sources.append(Source(known.role, path, None, known.why, known.system))
        return
    if suffix in (".xlsx", ".xlsm", ".xls"):
        _place_workbook(path, found, taken)
        return
    _place_one(path, None, stem, found, taken)


def _known(stem: str, suffix: str) -> KnownFile | None:
    if suffix == ".csv":
        return salesforce_file(stem)
    if suffix in JSON_SUFFIXES:
        return ZENDESK.get(stem.lower())
    return None


def _place_workbook(path: Path, found: Discovery, taken: set[str]) -> None:
    """One sheet: placed as the file. Several: each by its own name, else its headers."""
    from crmkit.io import sheet_names

    try:
        sheets = sheet_names(path)
    except CsvError as exc:
        named = types_named(path.stem)
        if len(named) == 1 and named[0] not in taken:  # the user's file: reading says why
            found.sources.append(Source(named[0], path, None, f"the name says {named[0]}"))
        else:
            found.unplaced.append(
                Unplaced(path.name, exc.message.partition(": ")[2] or exc.message)
            )
        return
    if len(sheets) <= 1:
        _place_one(path, sheets[0] if sheets else None, path.stem, found, taken, only=True)
        return
    for sheet in sheets:
        _place_one(path, sheet, sheet, found, taken, book=path.stem)


def _place_one(
    path: Path,
    sheet: str | None,
    stem: str,
    found: Discovery,
    taken: set[str],
    *,
    only: bool = False,
    book: str | None = None,
) -> None:
    label = path.name if sheet is None else f"{path.name}, sheet {sheet}"
    named = types_named(stem) or (types_named(book) if book else [])
    if only and not named and sheet:
        named = types_named(sheet)
    if len(named) == 1:
        role = named[0]
        if role in taken:
            found.unplaced.append(Unplaced(label, f"--{role} names the {role} files"))
        else:
            found.sources.append(Source(role, path, sheet, f"the name says {role}"))
        return
    if not named and names_owners(stem):
        found.sources.append(Source("owners", path, sheet, "the name says owners"))
        return
    fit = best_fit(path, sheet, [t for t in OBJECT_TYPES if t not in taken])
    if fit.error:
        found.unplaced.append(Unplaced(label, fit.error))
    elif fit.role:
        found.sources.append(Source(fit.role, path, sheet, fit.why))
    else:
        found.unplaced.append(Unplaced(label, fit.why, ambiguous=fit.ambiguous))


def _check(found: Discovery, *, overridden: bool) -> None:
    """A folder with nothing placed, or a data file that fits two types, needs the options."""
    unsure = [u for u in found.unplaced if u.ambiguous]
    if found.object_types() and (overridden or not unsure):
        return
    listed = "; ".join(f"{u.file}: {u.reason}" for u in found.unplaced) or "no files"
    what = "cannot tell" if unsure else "found no companies, contacts or tickets among"
    raise SourcesError(
        f"{found.folder}: crmkit {what} the files ({listed}). Name them with "
        "--companies FILE --contacts FILE --tickets FILE (each may be repeated)",
        unplaced=[(u.file, u.reason) for u in found.unplaced],
    )
