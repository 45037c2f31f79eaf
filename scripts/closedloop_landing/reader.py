"""Reads one landing file the way Python's `csv` module reads it, and says what is wrong with it.

The rules (docs/feed-contract.md, docs/architecture.md):
- UTF-8 (a BOM is dropped); anything else quarantines the file (`invalid_encoding`).
- The delimiter is the most frequent of comma, tab and pipe on the first physical line.
- RFC 4180 quoting: double quotes, doubled inside; CR, LF or CRLF end a record, and either may
  stand inside a quoted field.
- The header: names are stripped of surrounding spaces; one that matches a contract column up
  to case is that column. An empty name, two columns with one name, or no key column
  quarantines the file. A header-only file is read: zero rows.
- Row-level damage stays row-level: a record whose field count differs from the header's is
  `malformed_row`, a quote that is never closed is `unterminated_quote`, a record longer than
  `max_record_chars` is `line_too_long`. A damaged record that spans several physical lines
  (a stray quote that swallowed the lines after it) is cut back to its first line, which is
  rejected, and reading resumes on the next line. A quoted field whose continuation line is on
  its own a complete, quote-free row of the header's width is taken for such damage too: the
  lines after a stray quote are never carried inside another row's field. Nothing is swallowed
  silently: every physical line is either part of a read row or counted as blank.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

DELIMITERS = (",", "\t", "|")
# A rejected line longer than this is kept cut to this length in its raw JSON.
RAW_LINE_CHARS = 10_000


@dataclass
class Row:
    row_number: int          # 1-based data row (header excluded), in file order
    line_number: int         # physical line where the row starts (header = line 1)
    line_count: int          # physical lines the row spans
    values: dict             # contract column -> text or None (empty string is None)
    raw: str                 # the row as JSON text: original header names, or {"_line": text}
    custom_attributes: str | None
    reject_reason: str | None = None
    reject_column: str | None = None
    extra_fields: int = 0    # fields beyond the header's


@dataclass
class FileResult:
    status: str                        # 'loaded' or 'quarantined'
    reason: str | None = None          # quarantine reason code
    detail: str | None = None          # human-readable detail of the quarantine
    delimiter: str = ","
    header: list = field(default_factory=list)
    physical_lines: int = 0            # lines after the header
    blank_lines: int = 0               # empty lines after the header (skipped, counted)
    rows: list = field(default_factory=list)


def detect_delimiter(first_line: str) -> str:
    best = DELIMITERS[0]  # a tie goes to the comma
    for d in DELIMITERS[1:]:
        if first_line.count(d) > first_line.count(best):
            best = d
    return best


# One encoder for every row: json.dumps with non-default options builds a new one per call.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _quarantine(reason: str, detail: str, **kw) -> FileResult:
    return FileResult(status="quarantined", reason=reason, detail=detail, **kw)


def map_header(names: list[str], contract_columns: list[str]) -> list[str]:
    """Header names as the project uses them: stripped, contract columns matched up to case."""
    by_lower = {c.lower(): c for c in contract_columns}
    return [by_lower.get(n.strip().lower(), n.strip()) for n in names]


def read_file(data: bytes, contract_columns: list[str], key_column: str,
              max_record_chars: int = 1_000_000) -> FileResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return _quarantine("invalid_encoding", f"not UTF-8: byte {e.start} (line {line})")
    lines = list(io.StringIO(text, newline=""))
    if not lines or not lines[0].strip():
        return _quarantine("no_header", "the file is empty or its first line is blank")
    delimiter = detect_delimiter(lines[0])
    dialect = dict(delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    csv.field_size_limit(max(max_record_chars * 2, 131072))

    header_reader = csv.reader(iter(lines), **dialect)
    try:
        raw_header = next(header_reader)
    except csv.Error as e:
        return _quarantine("no_header", f"the header cannot be parsed: {e}", delimiter=delimiter)
    first_data = header_reader.line_num
    header = map_header(raw_header, contract_columns)
    delivered = [n.strip() for n in raw_header]   # names as delivered, for the raw JSON
    if any(n == "" for n in header):
        return _quarantine("no_header", "the header has an empty column name",
                           delimiter=delimiter, header=header)
    if len(set(header)) != len(header):
        dup = sorted({n for n in header if header.count(n) > 1})
        return _quarantine("duplicate_column", "columns named twice (contract columns up to case): " + ", ".join(dup),
                           delimiter=delimiter, header=header)
    if key_column not in header:
        return _quarantine("no_header", f"no key column {key_column} in the header",
                           delimiter=delimiter, header=header)

    result = FileResult(status="loaded", delimiter=delimiter, header=header,
                        physical_lines=len(lines) - first_data)
    custom = sorted(n for n in header if n not in contract_columns)
    width = len(header)
    pos = first_data            # index into `lines` of the next unread line
    while pos < len(lines):
        reader = csv.reader(iter(lines[pos:]), **dialect)
        start = pos
        try:
            for record in reader:
                end = pos + reader.line_num
                first, count = start, end - start
                start = end
                if not record:
                    result.blank_lines += count
                    continue
                text = "".join(lines[first:end])
                reason = column = None
                if len(text) > max_record_chars:
                    reason = "line_too_long"
                elif count > 1 and (len(record) != width or _swallows_rows(lines[first + 1:end], dialect, width)):
                    # A damaged record that swallowed the lines after it (a stray or unclosed
                    # quote): reject its first line only and read on from the next one.
                    raise _Resync(first)
                elif len(record) != width:
                    reason = "malformed_row"
                    column = header[len(record)] if len(record) < width else "_extra_field_1"
                result.rows.append(_row(result, record, header, delivered, custom, contract_columns,
                                        first, count, text, reason, column))
            pos = len(lines)
        except _Resync as r:
            # An odd number of quotes on the line: a quote opened there and was never closed on it.
            reason = "unterminated_quote" if lines[r.line].count('"') % 2 else "malformed_row"
            result.rows.append(_damaged(result, lines, r.line, reason))
            pos = r.line + 1
        except csv.Error as e:
            # strict mode: a quote inside an unquoted field, text after a closing quote, or a
            # quote still open at the end of the file.
            reason = "unterminated_quote" if "end of data" in str(e) or "EOF" in str(e) else "malformed_row"
            result.rows.append(_damaged(result, lines, start, reason))
            pos = start + 1
    return result


def _swallows_rows(continuation: list[str], dialect: dict, width: int) -> bool:
    """True when a line inside a quoted multi-line field is, on its own, a complete row of the
    header's width without any quote: the mark of a quote that swallowed the rows after it
    (a real multi-line value - an address, a message body - does not hold a whole row)."""
    if width < 2:
        return False
    for line in continuation:
        if '"' in line:
            continue
        try:
            fields = next(csv.reader([line], **dialect), [])
        except csv.Error:
            continue
        if len(fields) == width:
            return True
    return False


class _Resync(Exception):
    def __init__(self, line: int):
        self.line = line


def _row(result, record, header, delivered, custom, contract_columns, first, count, text,
         reason, column) -> Row:
    number = len(result.rows) + 1
    if reason == "line_too_long":
        # Kept for the audit, cut to a size a table cell can hold.
        return Row(number, first + 1, count, {}, _json({"_line": text[:RAW_LINE_CHARS]}), None,
                   reason, None)
    raw = {n: (v if v != "" else None) for n, v in zip(delivered, record)}
    for i, v in enumerate(record[len(header):], start=1):
        raw[f"_extra_field_{i}"] = v if v != "" else None
    if reason is not None:
        # A malformed row: kept as delivered, no value of it is read.
        return Row(number, first + 1, count, {}, _json(raw), None, reason, column,
                   max(0, len(record) - len(header)))
    # the names as matched differ from the delivered ones only when a header was mapped
    cells = raw if delivered == header else {n: (v if v != "" else None) for n, v in zip(header, record)}
    values = {c: cells.get(c) for c in contract_columns}
    customs = {k: cells[k] for k in custom if cells.get(k) is not None}
    return Row(number, first + 1, count, values, _json(raw),
               _json(customs) if customs else None, None, None)


def _damaged(result, lines, index, reason) -> Row:
    text = lines[index]
    return Row(len(result.rows) + 1, index + 1, 1, {}, _json({"_line": text[:RAW_LINE_CHARS]}),
               None, reason, None)
