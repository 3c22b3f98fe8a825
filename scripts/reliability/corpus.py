"""Builders of hostile (and control) files: minimal XLSX workbooks written by hand with
zipfile (so a cell can sit at XFD1048576 and a part can be a zip bomb), PNG files whose header
lies or whose pixels inflate to hundreds of megabytes, big CSVs."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

CSV_HEADER = "code,name,chain_code,format,address,kelurahan_code,lat,lon,local_facings"

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _col(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xlsx(cells: dict[tuple[int, int], str], shared_bomb_bytes: int = 0,
         dimension: str | None = None) -> bytes:
    """A workbook whose sheet holds `cells` ((row, col) 0-based -> text, all shared strings).
    With `shared_bomb_bytes`, sharedStrings.xml also carries one string of that many bytes
    (deflated, so the file stays tiny)."""
    strings = list(dict.fromkeys(cells.values()))
    index = {s: i for i, s in enumerate(strings)}
    rows: dict[int, list[tuple[int, str]]] = {}
    for (r, c), v in sorted(cells.items()):
        rows.setdefault(r, []).append((c, v))
    sheet = io.StringIO()
    sheet.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {_NS}>')
    if dimension:
        sheet.write(f'<dimension ref="{dimension}"/>')
    sheet.write("<sheetData>")
    for r, cs in rows.items():
        sheet.write(f'<row r="{r + 1}">')
        for c, v in cs:
            sheet.write(f'<c r="{_col(c)}{r + 1}" t="s"><v>{index[v]}</v></c>')
        sheet.write("</row>")
    sheet.write("</sheetData></worksheet>")

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet.getvalue())
        count = len(strings) + (1 if shared_bomb_bytes else 0)
        head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<sst {_NS} count="{count}" uniqueCount="{count}">')
        body = "".join(f"<si><t>{_xml_escape(s)}</t></si>" for s in strings)
        if not shared_bomb_bytes:
            z.writestr("xl/sharedStrings.xml", head + body + "</sst>")
        else:
            info = zipfile.ZipInfo("xl/sharedStrings.xml")
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as f:
                f.write((head + body + "<si><t>").encode())
                chunk = b"a" * (1 << 20)
                left = shared_bomb_bytes
                while left > 0:
                    n = min(left, len(chunk))
                    f.write(chunk[:n])
                    left -= n
                f.write(b"</t></si></sst>")
    return buf.getvalue()


def xlsx_a1_and_xfd() -> bytes:
    """Only two cells: A1 and XFD1048576 (a dense range would be ~17 billion cells)."""
    return xlsx({(0, 0): "code", (1_048_575, 16_383): "x"}, dimension="A1:XFD1048576")


def xlsx_control(rows: list[list[str]]) -> bytes:
    cells = {}
    for c, h in enumerate(CSV_HEADER.split(",")):
        cells[(0, c)] = h
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v != "":
                cells[(r, c)] = v
    return xlsx(cells)


def csv_rows(n: int, prefix: str = "G") -> bytes:
    lines = [CSV_HEADER]
    lines += [f"{prefix}-{i},T{i},,minimarket,J{i},36.73.01.1001,,,1" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


# ---- PNG -----------------------------------------------------------------------------------

def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width×height RGBA but carries almost no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def png_bomb(width: int, height: int, color_type: int = 0) -> bytes:
    """A valid PNG of width×height black pixels: a tiny file that inflates to
    width*height*channels bytes."""
    channels = {0: 1, 2: 3, 6: 4}[color_type]
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + width * channels)
    out = []
    for _ in range(height):
        out.append(comp.compress(row))
    out.append(comp.flush())
    idat = b"".join(out)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def png_small(width: int = 800, height: int = 600, seed: int = 0) -> bytes:
    """A small valid RGB PNG with some structure (a gradient), distinct per seed."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        r = (y * 255 // max(1, height - 1) + seed * 37) % 256
        for x in range(width):
            raw += bytes(((r + x) % 256, (x * 255 // max(1, width - 1)) % 256, (seed * 91 + x * y) % 256))
    idat = zlib.compress(bytes(raw), 6)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def jpeg_header_only(width: int, height: int) -> bytes:
    """A JPEG start (SOI, SOF0 declaring width×height) and nothing else worth decoding."""
    sof = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
    return (b"\xff\xd8" + b"\xff\xc0" + struct.pack(">H", len(sof) + 2) + sof
            + b"\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00" + b"\x00" * 64 + b"\xff\xd9")
