"""Catalog files: JSON and Excel (openpyxl) readers and writers around the exchange record.

The workbook has four sheets — procedures, required documents, fees, process steps — joined by the procedure
code, so that an officer can edit it in Excel or LibreOffice. Headers may be the Vietnamese label or the
English key. Cell problems and record problems are both reported with their sheet and row.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any, BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from motcua.catalog.actions import ImportReport, Place, RowError, import_catalog
from motcua.catalog.schemas import EXCHANGE_FORMAT, Problem
from motcua.core.spreadsheet import safe_row, unescape_text
from motcua.core.text import fold


class CatalogFileError(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s) in the file")
        self.errors = errors


# --- JSON ---------------------------------------------------------------------------------------------

def dump_json(records: list[dict[str, Any]]) -> str:
    document = {"format": EXCHANGE_FORMAT, "exported_at": dt.datetime.now(dt.UTC).isoformat(), "procedures": records}
    return json.dumps(document, ensure_ascii=False, indent=2)


def load_json(data: bytes | str) -> list[dict[str, Any]]:
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise CatalogFileError([RowError(
            "JSON", "", "bad_json",
            f"Tệp không phải JSON hợp lệ (lỗi ở dòng {exc.lineno}, cột {exc.colno}). Hãy sửa chỗ đó, hoặc xuất lại "
            "tệp từ hệ thống.",
            f"The file is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}). Please correct it, "
            "or export the file again.",
        )]) from exc
    except UnicodeDecodeError as exc:
        raise CatalogFileError([RowError(
            "JSON", "", "bad_encoding", "Tệp không được mã hoá UTF-8. Hãy lưu lại tệp với mã hoá UTF-8.",
            "The file is not UTF-8 encoded. Please save it again as UTF-8.",
        )]) from exc
    if isinstance(document, dict) and document.get("format") == EXCHANGE_FORMAT:
        procedures = document.get("procedures")
    elif isinstance(document, list):
        procedures = document
    else:
        procedures = None
    if not isinstance(procedures, list):
        raise CatalogFileError([RowError(
            "JSON", "", "bad_format",
            f"Tệp phải là danh sách thủ tục hoặc có \"format\": \"{EXCHANGE_FORMAT}\".",
            f"The file must be a list of procedures or declare \"format\": \"{EXCHANGE_FORMAT}\".",
        )])
    return procedures


# --- Excel -------------------------------------------------------------------------------------------

def _list(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


_YES = {"co", "x", "yes", "true", "1"}
_NO = {"khong", "no", "false", "0", ""}


class CellError(ValueError):
    """A cell that cannot be read as its column's kind of value, said in both languages with the fix."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en


def _bool(text: str) -> bool:
    value = fold(text)
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise CellError(f"«{text}» không phải «Có» hoặc «Không». Hãy ghi «Có» hoặc «Không».",
                    f"“{text}” is not yes or no. Please write «Có» (yes) or «Không» (no).")


_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def _int(text: str) -> int:
    """A whole number; "50.000" and "50,000" are read as fifty thousand, as Vietnamese officers write them."""
    cleaned = re.sub(r"[.,]", "", text) if _GROUPED.match(text) else text
    problem = CellError(f"«{text}» không phải số nguyên. Hãy ghi một số nguyên, ví dụ 1 hoặc 50.000.",
                        f"“{text}” is not a whole number. Please write a whole number such as 1 or 50000.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise problem from exc
    if not value.is_finite() or value != value.to_integral_value():
        raise problem
    return int(value)


def _decimal_text(text: str) -> str:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise CellError(f"«{text}» không phải là số. Hãy ghi một số ngày, ví dụ 15 hoặc 0,5.",
                        f"“{text}” is not a number. Please write a number of days such as 15 or 0.5.")
    return format(value.normalize(), "f")


def _date_text(text: str) -> str:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise CellError(f"«{text}» không phải là ngày. Hãy ghi ngày dạng ngày/tháng/năm, ví dụ 01/07/2025.",
                    f"“{text}” is not a date. Please write it as day/month/year, e.g. 01/07/2025.")


def _json_object(text: str) -> Any:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CellError(f"Nội dung không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}). Hãy sửa lại, hoặc "
                        "để trống nếu không có biểu mẫu điện tử.", f"Not valid JSON ({exc.msg}, line {exc.lineno}, "
                        f"column {exc.colno}). Please correct it, or leave it empty if there is no e-form.") from exc
    return value


Column = tuple[str, str, Callable[[str], Any]]  # key, Vietnamese label, parser

PROCEDURE_COLUMNS: list[Column] = [
    ("national_code", "Mã thủ tục", str),
    ("name", "Tên thủ tục", str),
    ("field_code", "Mã lĩnh vực", str),
    ("field_name", "Lĩnh vực", str),
    ("level", "Cấp thực hiện", str),
    ("service_level", "Mức độ DVC trực tuyến", str),
    ("competent_authority", "Cơ quan có thẩm quyền", str),
    ("competent_agencies", "Mã định danh cơ quan thực hiện", _list),
    ("statutory_days", "Thời hạn giải quyết (ngày)", _decimal_text),
    ("statutory_unit", "Đơn vị thời hạn", str),
    ("time_rule", "Thời hạn theo quyết định công bố", str),
    ("result_type", "Kết quả", str),
    ("legal_basis", "Căn cứ pháp lý", _lines),
    ("source_url", "Nguồn", str),
    ("effective_from", "Ngày hiệu lực", _date_text),
    ("min_assurance_level", "Mức định danh điện tử tối thiểu", _int),
    ("eform_schema", "Biểu mẫu điện tử (JSON Schema)", _json_object),
    ("keywords", "Từ khoá tìm kiếm", _list),  # last, so older workbooks keep their column letters
]
DOCUMENT_COLUMNS: list[Column] = [
    ("national_code", "Mã thủ tục", str),
    ("code", "Mã giấy tờ", str),
    ("name", "Tên giấy tờ", str),
    ("form", "Loại bản", str),
    ("quantity", "Số lượng", _int),
    ("mandatory", "Bắt buộc", _bool),
    ("reusable", "Tái sử dụng từ kho dữ liệu", _bool),
    ("note", "Ghi chú", str),
]
FEE_COLUMNS: list[Column] = [
    ("national_code", "Mã thủ tục", str),
    ("name", "Tên phí, lệ phí", str),
    ("kind", "Cách tính", str),
    ("amount", "Mức thu (đồng)", _int),
    ("online_amount", "Mức thu trực tuyến (đồng)", _int),
    ("unit", "Đơn vị tính", str),
    ("maximum", "Mức thu tối đa (đồng)", _int),
    ("exempt", "Đối tượng miễn", _lines),
    ("note", "Ghi chú", str),
]
STEP_COLUMNS: list[Column] = [
    ("national_code", "Mã thủ tục", str),
    ("key", "Mã bước", str),
    ("name", "Tên bước", str),
    ("agency", "Cơ quan thực hiện", str),
    ("role", "Vai trò", str),
    ("days", "Số ngày", _decimal_text),
    ("actions", "Thao tác được phép", _list),
    # Optional (an older workbook without them: every step internal): docs/catalog-format.md, "Step kinds".
    ("kind", "Loại bước", str),
    ("system", "Hệ thống kết nối", str),
    ("fallback_after_hours", "Chuyển xử lý thủ công sau (giờ)", _decimal_text),
    ("automatic", "Tự động", str),  # optional, last: older workbooks keep their column letters
]
SHEETS: list[tuple[str, list[Column]]] = [
    ("Thủ tục", PROCEDURE_COLUMNS),
    ("Thành phần hồ sơ", DOCUMENT_COLUMNS),
    ("Phí lệ phí", FEE_COLUMNS),
    ("Quy trình", STEP_COLUMNS),
]
_SCALARS: set[Callable[[str], Any]] = {str, _int, _decimal_text, _date_text}
_OPTIONAL_EMPTY = {"keywords", "code", "unit", "note", "maximum", "exempt", "kind", "time_rule", "source_url",
                   "online_amount", "statutory_unit", "min_assurance_level", "system", "fallback_after_hours",
                   "automatic"}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unescape_text(str(value).strip())  # the apostrophe `write_workbook` put before formula-like text


def write_workbook(records: list[dict[str, Any]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    sheets = {name: book.create_sheet(name) for name, _columns in SHEETS}
    for name, columns in SHEETS:
        sheet = sheets[name]
        sheet.append([label for _key, label, _parse in columns])
        sheet.append([key for key, _label, _parse in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="777777")
    for record in records:
        code = record["national_code"]
        row: list[Any] = []
        for key, _label, _parse in PROCEDURE_COLUMNS:
            value = record.get(key, "")
            if key in ("competent_agencies", "keywords"):
                value = ", ".join(value)
            elif key == "legal_basis":
                value = "\n".join(value)
            elif key == "eform_schema":
                value = json.dumps(value, ensure_ascii=False) if value else ""
            row.append(value)
        sheets["Thủ tục"].append(safe_row(row))
        for document in record.get("required_documents", []):
            sheets["Thành phần hồ sơ"].append(safe_row([
                code, document.get("code", ""), document["name"], document["form"], document["quantity"],
                "Có" if document.get("mandatory", True) else "Không",
                "Có" if document.get("reusable", False) else "Không", document.get("note", ""),
            ]))
        for fee in record.get("fees", []):
            sheets["Phí lệ phí"].append(safe_row([
                code, fee["name"], fee.get("kind", "fixed"), fee["amount"], fee.get("online_amount", ""),
                fee.get("unit", ""),
                fee.get("maximum", ""), "\n".join(fee.get("exempt", [])), fee.get("note", ""),
            ]))
        for step in record["process_definition"]["steps"]:
            sheets["Quy trình"].append(safe_row([
                code, step["key"], step["name"], step["agency"], step["role"], step["days"], ", ".join(step["actions"]),
                step.get("kind", ""), step.get("system", ""), step.get("fallback_after_hours", ""),
                step.get("automatic", ""),
            ]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_place(sheet: str, row: int | None = None) -> tuple[str, str]:
    if row is None:
        return f"Trang «{sheet}»", f"Sheet “{sheet}”"
    return f"Trang «{sheet}», dòng {row}", f"Sheet “{sheet}”, row {row}"


@dataclass
class _SheetRow:
    number: int
    values: dict[str, Any]
    bad_cells: list[tuple[str, CellError]]


@dataclass
class _Sheet:
    title: str
    rows: list[_SheetRow]
    columns: dict[str, tuple[str, str]]  # key -> (column letter, Vietnamese label)


def _read_sheet(sheet: Worksheet, columns: list[Column], errors: list[RowError]) -> _Sheet:
    """The rows of SHEET, parsed; a second header row of English keys is skipped.

    A cell that cannot be parsed is left out of its row's values and kept in `bad_cells`, so that reading goes
    on and the rest of the file is still checked. An empty cell is left out too: the record check then says
    the value is required (or takes the default when it is optional).
    """
    rows = list(sheet.iter_rows(values_only=True))
    result = _Sheet(sheet.title, [], {})
    if not rows:
        return result
    wanted = {fold(label): key for key, label, _p in columns} | {key: key for key, _l, _p in columns}
    header = [wanted.get(fold(_cell_text(cell)).replace(" ", "_")) or wanted.get(fold(_cell_text(cell)))
              for cell in rows[0]]
    parsers = {key: parse for key, _label, parse in columns}
    labels = {key: label for key, label, _parse in columns}
    result.columns = {key: (get_column_letter(i + 1), labels[key]) for i, key in enumerate(header) if key}
    missing = [label for key, label, _p in columns if key not in header and key not in _OPTIONAL_EMPTY]
    if missing:
        vi, en = _sheet_place(sheet.title, 1)
        errors.append(RowError(
            vi, ", ".join(missing), "missing_column",
            "Thiếu cột: " + ", ".join(missing) + ". Hãy thêm cột với đúng tiêu đề này ở dòng 1.",
            "Missing column(s): " + ", ".join(missing) + ". Please add them with exactly this heading in row 1.",
            en,
        ))
        return result
    for number, cells in enumerate(rows[1:], start=2):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        if all(text == (key or "") for text, key in zip(texts, header, strict=False) if text):
            continue  # the row of English keys under the labels
        row = _SheetRow(number, {}, [])
        for key, text in zip(header, texts, strict=False):
            parse = parsers.get(key or "")
            if key is None or parse is None or (text == "" and (key in _OPTIONAL_EMPTY or parse in _SCALARS)):
                continue
            try:
                row.values[key] = parse(text)
            except CellError as exc:
                row.bad_cells.append((key, exc))
        result.rows.append(row)
    return result


# Parts of a record that a workbook keeps on a sheet of their own.
_RECORD_PARTS = {"process_definition": "Quy trình", "required_documents": "Thành phần hồ sơ", "fees": "Phí lệ phí"}


@dataclass
class CatalogWorkbook:
    """What a workbook holds, ready for `import_catalog` (see `import_workbook`).

    `problems` are the unreadable cells of each record, `errors` the rows that belong to no record.
    """

    records: list[dict[str, Any]]
    locate: Callable[[int, dict[str, Any], str], Place]
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def read_workbook(stream: BinaryIO | IO[bytes] | Any) -> CatalogWorkbook:
    """Records from an Excel workbook, with a locator that turns a record path back into sheet, row and column.

    Only a file that cannot be read at all (not a workbook, a sheet or column missing) raises CatalogFileError;
    problems of single cells and rows are returned, to be reported together with the records' own problems.
    """
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        raise CatalogFileError([RowError(
            "Excel", "", "bad_workbook", "Tệp không phải sổ tính Excel (.xlsx) hợp lệ.",
            f"The file is not a valid Excel (.xlsx) workbook ({type(exc).__name__}).",
        )]) from exc
    errors: list[RowError] = []
    parsed: dict[str, _Sheet] = {}
    for name, columns in SHEETS:
        if name not in book.sheetnames:
            vi, en = _sheet_place(name)
            errors.append(RowError(
                vi, "", "missing_sheet", f"Thiếu trang «{name}». Hãy thêm trang này (có thể để trống).",
                f"The sheet “{name}” is missing. Please add it (it may be empty).", en,
            ))
            continue
        parsed[name] = _read_sheet(book[name], columns, errors)
    if errors:
        raise CatalogFileError(errors)

    records: list[dict[str, Any]] = []
    where: list[dict[str, tuple[str, int]]] = []
    problems: dict[int, list[Problem]] = {}
    by_code: dict[str, int] = {}

    def note_bad_cells(index: int, prefix: str, row: _SheetRow) -> None:
        for key, exc in row.bad_cells:
            path = f"{prefix}/{key}" if prefix else key
            problems.setdefault(index, []).append(Problem(path, "bad_cell", exc.message_vi, exc.message_en))

    for row in parsed["Thủ tục"].rows:
        record = row.values
        record.setdefault("competent_agencies", [])
        if "keywords" in parsed["Thủ tục"].columns:  # a workbook without the column leaves keywords alone
            record.setdefault("keywords", [])
        record.setdefault("legal_basis", [])
        record.update(required_documents=[], fees=[], process_definition={"steps": []})
        by_code.setdefault(record.get("national_code", ""), len(records))
        note_bad_cells(len(records), "", row)
        records.append(record)
        where.append({"": ("Thủ tục", row.number)})
    for sheet_name, target in (("Thành phần hồ sơ", "required_documents"), ("Phí lệ phí", "fees"),
                               ("Quy trình", "steps")):
        for row in parsed[sheet_name].rows:
            code = row.values.pop("national_code", "")
            if code not in by_code:
                vi, en = _sheet_place(sheet_name, row.number)
                letter, label = parsed[sheet_name].columns["national_code"]
                errors.append(RowError(
                    vi, "national_code", "unknown_procedure",
                    f"Mã thủ tục «{code}» không có trong trang «Thủ tục». Hãy sửa mã, hoặc thêm thủ tục đó vào "
                    "trang «Thủ tục».",
                    f"Procedure code “{code}” is not on the sheet “Thủ tục”. Please correct the code, or add the "
                    "procedure to that sheet.",
                    en, f"cột {letter} «{label}»", f"column {letter} (national_code)",
                ))
                continue
            index = by_code[code]
            items = (records[index]["process_definition"]["steps"] if target == "steps"
                     else records[index][target])
            prefix = f"{'process_definition/steps' if target == 'steps' else target}/{len(items)}"
            where[index][prefix] = (sheet_name, row.number)
            note_bad_cells(index, prefix, row)
            items.append(row.values)

    def locate(index: int, record: dict[str, Any], path: str) -> Place:
        places = where[index]
        best = max((p for p in places if p == "" or path == p or path.startswith(p + "/")), key=len)
        sheet, row_number = places[best]
        rest = path[len(best):].lstrip("/")
        vi, en = _sheet_place(sheet, row_number)
        column = parsed[sheet].columns.get(rest.split("/")[0]) if rest else None
        if column is None and rest in _RECORD_PARTS:  # e.g. the steps' days do not add up to the time limit
            part = _RECORD_PARTS[rest]
            return Place(vi, en, rest, f"trang «{part}»", f"sheet “{part}”")
        if column is None:
            return Place(vi, en, rest)
        letter, label = column
        return Place(vi, en, rest, f"cột {letter} «{label}»", f"column {letter} ({rest.split('/')[0]})")

    return CatalogWorkbook(records, locate, problems, errors)


def import_workbook(stream: BinaryIO | IO[bytes] | Any) -> ImportReport:
    """Import a workbook: every problem of every sheet reported in one pass, nothing imported if any."""
    book = read_workbook(stream)
    return import_catalog(book.records, locate=book.locate, known_problems=book.problems, file_errors=book.errors)
