"""Byte-for-byte reproducible zip and DOCX building blocks for the generated corpus.

DOCX files are written from WordprocessingML strings rather than through python-docx so that every
part a test needs (tracked deletions, hidden runs, VML fallbacks, custom properties) can be placed
exactly, and so that no library stamps the current time into the package.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

FIXED_TIME = (2024, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*")
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CT = {
    "document": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "header": "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "footer": "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "footnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "endnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
    "comments": "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
}
# a 1x1 grey PNG
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU\x00\x00"
       b"\x00\nIDATx\x9cc\xb8\x0b\x00\x00\x8a\x00\x89\xa6\x8dP\xf8\x00\x00\x00\x00IEND\xaeB`\x82")


def zip_bytes(members: list[tuple[str, bytes]], *, level: int = 6) -> bytes:
    """A zip of ``members`` in the given order with a fixed timestamp on every entry."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a library-written package with fixed timestamps (same member order).

    openpyxl stamps the save time into ``dcterms:modified`` whatever the workbook says; it is reset here.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(i.filename, archive.read(i)) for i in archive.infolist()]
    return zip_bytes([(name, _MODIFIED.sub(rb"\g<1>2024-01-01T00:00:00Z", body) if name == "docProps/core.xml" else body)
                      for name, body in members])


def p(text: str = "", *, runs: str = "") -> str:
    """A paragraph of one plain run (or of the given run XML)."""
    return f"<w:p>{runs or run(text)}</w:p>"


def run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def docx(body: str, *, header: str | None = None, footer: str | None = None, first_header: str | None = None,
         even_footer: str | None = None,
         footnote: str | None = None, endnote: str | None = None, comment: str | None = None,
         title: str = "通知", custom: dict[str, str] | None = None, image: bool = False,
         embedded: dict[str, bytes] | None = None) -> bytes:
    """A DOCX whose ``body`` is WordprocessingML paragraph/table XML; optional parts hold one paragraph each."""
    rels: list[tuple[str, str, str]] = []  # (id, type, target)
    parts: list[tuple[str, str, str]] = []  # (member, content-type key, xml)
    refs = ""
    stories = (  # (text, relationship id, kind, part number, reference type)
        (header, "rIdH1", "header", 1, "default"),
        (first_header, "rIdH2", "header", 2, "first"),
        (footer, "rIdF1", "footer", 1, "default"),
        (even_footer, "rIdF2", "footer", 2, "even"),
    )
    for text, rid, kind, number, reference in stories:
        if text is None:
            continue
        root = "w:hdr" if kind == "header" else "w:ftr"
        rels.append((rid, kind, f"{kind}{number}.xml"))
        parts.append((f"word/{kind}{number}.xml", kind, f"<{root} {NS}>{p(text)}</{root}>"))
        refs += f'<w:{kind}Reference w:type="{reference}" r:id="{rid}"/>'
    for key, tag, text in (("footnotes", "footnote", footnote), ("endnotes", "endnote", endnote)):
        if text is not None:
            rels.append((f"rId{key}", key, f"{key}.xml"))
            separator = f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
            parts.append((f"word/{key}.xml", key,
                          f'<w:{key} {NS}>{separator}<w:{tag} w:id="1">{p(text)}</w:{tag}></w:{key}>'))
    if comment is not None:
        rels.append(("rIdC", "comments", "comments.xml"))
        parts.append(("word/comments.xml", "comments",
                      f'<w:comments {NS}><w:comment w:id="0" w:author="审核人">{p(comment)}</w:comment></w:comments>'))
    if image:
        rels.append(("rIdImg", "image", "media/image1.png"))
    for index, name in enumerate(embedded or {}):
        rels.append((f"rIdE{index}", "package", f"embeddings/{name}"))
    title_page = "<w:titlePg/>" if first_header is not None else ""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NS}><w:body>{body}'
                f'<w:sectPr>{refs}<w:pgSz w:w="11906" w:h="16838"/>{title_page}</w:sectPr></w:body></w:document>')
    members = [
        ("[Content_Types].xml", _content_types(parts, custom is not None).encode()),
        ("_rels/.rels", _package_rels(custom is not None).encode()),
        ("docProps/core.xml", _core(title).encode()),
        ("word/document.xml", document.encode()),
        ("word/_rels/document.xml.rels", _rels(rels).encode()),
    ]
    members += [(member, xml.encode()) for member, _, xml in parts]
    if custom is not None:
        members.append(("docProps/custom.xml", _custom(custom).encode()))
    if image:
        members.append(("word/media/image1.png", PNG))
    members += [(f"word/embeddings/{name}", data) for name, data in (embedded or {}).items()]
    return zip_bytes(members)


def picture(rel_id: str = "rIdImg") -> str:
    """An inline DrawingML picture paragraph pointing at ``rel_id``."""
    return (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="5000000" cy="7000000"/><wp:docPr id="1" name="扫描件"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        f'<pic:nvPicPr><pic:cNvPr id="1" name="scan.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
        f'<a:blip r:embed="{rel_id}"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>'
        '</wp:inline></w:drawing></w:r></w:p>'
    )


def text_box(text: str) -> str:
    """A paragraph anchoring a DrawingML text box with its VML fallback (as Word writes it)."""
    content = f"<w:txbxContent>{p(text)}</w:txbxContent>"
    return (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="2" name="文本框"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
        f'</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r></w:p>'
    )


def _content_types(parts: list[tuple[str, str, str]], custom: bool) -> str:
    overrides = "".join(f'<Override PartName="/{m}" ContentType="{_CT[k]}"/>' for m, k, _ in parts)
    if custom:
        overrides += ('<Override PartName="/docProps/custom.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
        f'<Override PartName="/word/document.xml" ContentType="{_CT["document"]}"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        f"{overrides}</Types>"
    )


def _package_rels(custom: bool) -> str:
    extra = (f'<Relationship Id="rId3" Type="{_REL}custom-properties" Target="docProps/custom.xml"/>'
             if custom else "")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        f'core-properties" Target="docProps/core.xml"/>{extra}</Relationships>'
    )


def _rels(rels: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{_REL}{t}" Target="{target}"/>' for i, t, target in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>')


def _core(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:title>{title}</dc:title><dc:creator>办公室</dc:creator>'
        '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created>'
        '</cp:coreProperties>'
    )


def _custom(properties: dict[str, str]) -> str:
    body = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{name}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), 2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{body}</Properties>'
    )


def encrypted_zip(name: str, data: bytes, password: bytes = b"123456") -> bytes:
    """A one-member zip encrypted with traditional PKWARE encryption (stored, so it is easy to verify)."""
    crc = zlib.crc32(data) & 0xFFFFFFFF
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc_byte(value: int, byte: int) -> int:
        return zlib.crc32(bytes([byte]), value ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def update(byte: int) -> None:
        keys[0] = crc_byte(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc_byte(keys[2], keys[1] >> 24)

    def encrypt(plain: bytes) -> bytes:
        out = bytearray()
        for byte in plain:
            temp = (keys[2] | 2) & 0xFFFF
            out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
            update(byte)
        return bytes(out)

    for byte in password:
        update(byte)
    payload = encrypt(bytes(range(11)) + bytes([crc >> 24])) + encrypt(data)
    return raw_zip(name, payload, size=len(data), crc=crc, flags=0x1)


def raw_zip(name: str, payload: bytes, *, size: int, crc: int, flags: int = 0, method: int = 0,
            encoding: str = "utf-8") -> bytes:
    """A one-member zip around an already compressed or encrypted ``payload``; GBK names as Chinese Windows writes them."""
    encoded = name.encode(encoding)
    dos_time, dos_date = 0, (2024 - 1980) << 9 | 1 << 5 | 1
    if encoding == "utf-8":
        flags |= 0x800  # the name is UTF-8
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, dos_time, dos_date, crc, len(payload), size,
                        len(encoded), 0) + encoded
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, dos_time, dos_date, crc,
                          len(payload), size, len(encoded), 0, 0, 0, 0, 0, 0) + encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(payload), 0)
    return local + payload + central + end


def ofd(lines: list[str], *, custom: dict[str, str] | None = None, image_only: bool = False) -> bytes:
    """A one-page OFD (GB/T 33190): each line a TextObject 10 mm below the previous, from the top."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    datas = "".join(f'<ofd:CustomData Name="{k}">{v}</ofd:CustomData>' for k, v in (custom or {}).items())
    info = (f'<ofd:DocInfo><ofd:DocID>0001</ofd:DocID><ofd:Title>通知</ofd:Title>'
            f'<ofd:CustomDatas>{datas}</ofd:CustomDatas></ofd:DocInfo>')
    root = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD"><ofd:DocBody>{info}'
            '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
    document = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>99'
                '</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                '</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
                '</ofd:Document>')
    objects = "".join(
        f'<ofd:TextObject ID="{10 + i}" Boundary="25 {30 + 10 * i} 160 8" Font="1" Size="5">'
        f'<ofd:TextCode X="0" Y="6">{line}</ofd:TextCode></ofd:TextObject>'
        for i, line in enumerate(lines)
    )
    if image_only:
        objects = '<ofd:ImageObject ID="5" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="6"/>'
    page = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="2">{objects}'
            '</ofd:Layer></ofd:Content></ofd:Page>')
    return zip_bytes([("OFD.xml", root.encode()), ("Doc_0/Document.xml", document.encode()),
                      ("Doc_0/Pages/Page_0/Content.xml", page.encode())])
