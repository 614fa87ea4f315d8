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
from decimal import Decimal, InvalidOperation
from typing import IO, Any, BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from motcua.catalog.actions import RowError
from motcua.catalog.schemas import EXCHANGE_FORMAT
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
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CatalogFileError([RowError(
            "JSON", "", "bad_json", f"Tệp không phải JSON hợp lệ: {exc}", f"The file is not valid JSON: {exc}",
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


def _bool(text: str) -> bool:
    value = fold(text)
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError("Phải là «Có» hoặc «Không» / must be yes or no")


_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def _int(text: str) -> int:
    """A whole number; "50.000" and "50,000" are read as fifty thousand, as Vietnamese officers write them."""
    cleaned = re.sub(r"[.,]", "", text) if _GROUPED.match(text) else text
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError("Phải là số nguyên / must be a whole number") from exc
    if value != value.to_integral_value():
        raise ValueError("Phải là số nguyên / must be a whole number")
    return int(value)


def _decimal_text(text: str) -> str:
    try:
        return format(Decimal(text.replace(",", ".")).normalize(), "f")
    except InvalidOperation as exc:
        raise ValueError("Phải là một số / must be a number") from exc


def _date_text(text: str) -> str:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError("Phải là ngày dạng dd/mm/yyyy / must be a date dd/mm/yyyy")


def _json_object(text: str) -> Any:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"JSON không hợp lệ / invalid JSON: {exc.msg}") from exc
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
]
SHEETS: list[tuple[str, list[Column]]] = [
    ("Thủ tục", PROCEDURE_COLUMNS),
    ("Thành phần hồ sơ", DOCUMENT_COLUMNS),
    ("Phí lệ phí", FEE_COLUMNS),
    ("Quy trình", STEP_COLUMNS),
]
_OPTIONAL_EMPTY = {"code", "unit", "note", "maximum", "exempt", "kind", "time_rule", "source_url", "online_amount",
                   "statutory_unit", "min_assurance_level"}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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
            if key == "competent_agencies":
                value = ", ".join(value)
            elif key == "legal_basis":
                value = "\n".join(value)
            elif key == "eform_schema":
                value = json.dumps(value, ensure_ascii=False) if value else ""
            row.append(value)
        sheets["Thủ tục"].append(row)
        for document in record.get("required_documents", []):
            sheets["Thành phần hồ sơ"].append([
                code, document.get("code", ""), document["name"], document["form"], document["quantity"],
                "Có" if document.get("mandatory", True) else "Không",
                "Có" if document.get("reusable", False) else "Không", document.get("note", ""),
            ])
        for fee in record.get("fees", []):
            sheets["Phí lệ phí"].append([
                code, fee["name"], fee.get("kind", "fixed"), fee["amount"], fee.get("online_amount", ""),
                fee.get("unit", ""),
                fee.get("maximum", ""), "\n".join(fee.get("exempt", [])), fee.get("note", ""),
            ])
        for step in record["process_definition"]["steps"]:
            sheets["Quy trình"].append([
                code, step["key"], step["name"], step["agency"], step["role"], step["days"], ", ".join(step["actions"]),
            ])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _read_sheet(
    sheet: Worksheet, columns: list[Column], errors: list[RowError]
) -> list[tuple[int, dict[str, Any]]]:
    """Rows of SHEET as (row number, {key: parsed value}); a second header row of English keys is skipped."""
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return []
    wanted = {fold(label): key for key, label, _p in columns} | {key: key for key, _l, _p in columns}
    header = [wanted.get(fold(_cell_text(cell)).replace(" ", "_")) or wanted.get(fold(_cell_text(cell)))
              for cell in rows[0]]
    parsers = {key: parse for key, _label, parse in columns}
    missing = [label for key, label, _p in columns if key not in header and key not in _OPTIONAL_EMPTY]
    if missing:
        errors.append(RowError(
            f"Trang «{sheet.title}» / sheet “{sheet.title}”, dòng 1", ", ".join(missing), "missing_column",
            "Thiếu cột: " + ", ".join(missing), "Missing column(s): " + ", ".join(missing),
        ))
        return []
    result: list[tuple[int, dict[str, Any]]] = []
    for number, cells in enumerate(rows[1:], start=2):
        texts = [_cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        if all(text == (key or "") for text, key in zip(texts, header, strict=False) if text):
            continue  # the row of English keys under the labels
        record: dict[str, Any] = {}
        for key, text in zip(header, texts, strict=False):
            if key is None or (text == "" and key in _OPTIONAL_EMPTY):
                continue
            try:
                record[key] = parsers[key](text)
            except ValueError as exc:
                errors.append(RowError(
                    f"Trang «{sheet.title}» / sheet “{sheet.title}”, dòng / row {number}", key, "bad_cell",
                    f"Ô không hợp lệ: {exc}", f"Invalid cell: {exc}",
                ))
        result.append((number, record))
    return result


Locate = Callable[[int, dict[str, Any], str], tuple[str, str]]


def read_workbook(stream: BinaryIO | IO[bytes] | Any) -> tuple[list[dict[str, Any]], Locate]:
    """Records from an Excel workbook, and a locator that turns a record path back into sheet and row."""
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        raise CatalogFileError([RowError(
            "Excel", "", "bad_workbook", "Tệp không phải sổ tính Excel (.xlsx) hợp lệ.",
            f"The file is not a valid Excel (.xlsx) workbook ({type(exc).__name__}).",
        )]) from exc
    errors: list[RowError] = []
    parsed: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for name, columns in SHEETS:
        if name not in book.sheetnames:
            errors.append(RowError(
                f"Trang «{name}» / sheet “{name}”", "", "missing_sheet",
                f"Thiếu trang «{name}».", f"The sheet “{name}” is missing.",
            ))
            continue
        parsed[name] = _read_sheet(book[name], columns, errors)
    if errors:
        raise CatalogFileError(errors)

    records: list[dict[str, Any]] = []
    where: list[dict[str, tuple[str, int]]] = []
    by_code: dict[str, int] = {}
    for number, row in parsed["Thủ tục"]:
        row.setdefault("competent_agencies", [])
        row.setdefault("legal_basis", [])
        row.update(required_documents=[], fees=[], process_definition={"steps": []})
        by_code.setdefault(row.get("national_code", ""), len(records))
        records.append(row)
        where.append({"": ("Thủ tục", number)})
    for sheet_name, target in (("Thành phần hồ sơ", "required_documents"), ("Phí lệ phí", "fees"),
                               ("Quy trình", "steps")):
        for number, row in parsed[sheet_name]:
            code = row.pop("national_code", "")
            if code not in by_code:
                errors.append(RowError(
                    f"Trang «{sheet_name}» / sheet “{sheet_name}”, dòng / row {number}", "national_code",
                    "unknown_procedure", f"Mã thủ tục «{code}» không có trong trang «Thủ tục».",
                    f"Procedure code “{code}” is not on the sheet “Thủ tục”.",
                ))
                continue
            index = by_code[code]
            items = (records[index]["process_definition"]["steps"] if target == "steps"
                     else records[index][target])
            prefix = "process_definition/steps" if target == "steps" else target
            where[index][f"{prefix}/{len(items)}"] = (sheet_name, number)
            items.append(row)
    if errors:
        raise CatalogFileError(errors)

    def locate(index: int, record: dict[str, Any], path: str) -> tuple[str, str]:
        places = where[index]
        best = max((p for p in places if p == "" or path == p or path.startswith(p + "/")), key=len)
        sheet, row_number = places[best]
        rest = path[len(best):].lstrip("/")
        return f"Trang «{sheet}» / sheet “{sheet}”, dòng / row {row_number}", rest

    return records, locate
