"""Zip limits checked from the central directory before anything is inflated, and capped reads.

Every zip-based format (ZIP, DOCX, XLSX, PPTX, OFD) is opened through ``open_zip``: the member count,
the total declared inflated size and each large member's compression ratio are checked first, so a
zip bomb is refused without inflating a byte. ``read_member`` then reads in chunks and stops at the
declared size or the byte cap, whichever is smaller (``zipfile`` itself stops at the declared size, so
a lying central directory cannot inflate more than it declared).
"""

from __future__ import annotations

import io
import zipfile

from ..errors import ExtractionError, LimitExceeded
from . import issues
from .base import ExtractContext

#: members smaller than this are never refused for their ratio: a tiny, very compressible XML is harmless
RATIO_FLOOR = 1024 * 1024
_CHUNK = 1024 * 1024
_ENCRYPTED_FLAG = 0x1
_UTF8_FLAG = 0x800
_AES = 99


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it.

    Archivers on Chinese Windows store names in GBK without the UTF-8 flag; ``zipfile`` then decodes
    them as CP437 (mojibake such as ``╗·├▄.docx``), which no file-name rule would match.
    """
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    return bool(info.flag_bits & _ENCRYPTED_FLAG) or info.compress_type == _AES


def open_zip(data: bytes, ctx: ExtractContext) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking its central directory against ``ctx.limits``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ExtractionError(f"压缩结构损坏：{type(error).__name__}", code=issues.UNREADABLE) from error
    try:
        check_directory(archive.infolist(), ctx)
    except ExtractionError:
        archive.close()
        raise
    return archive


def check_directory(members: list[zipfile.ZipInfo], ctx: ExtractContext) -> None:
    limits = ctx.limits
    if len(members) > limits.max_members:
        raise LimitExceeded(f"成员 {len(members)} 个，上限 {limits.max_members} 个")
    total = sum(info.file_size for info in members)
    if total > limits.max_inflated:
        raise LimitExceeded(f"解压后共 {total} 字节，上限 {limits.max_inflated} 字节")
    for info in members:
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise LimitExceeded(f"{info.filename} 压缩比 {ratio:.0f}:1，上限 {limits.max_ratio:.0f}:1")


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: ExtractContext) -> bytes:
    """Inflate one member, refusing encrypted ones and stopping at ``limits.max_bytes``."""
    if is_encrypted(info):
        raise ExtractionError(f"{info.filename} 已加密", code=issues.ENCRYPTED)
    cap = ctx.limits.max_bytes
    if info.file_size > cap:
        raise LimitExceeded(f"{info.filename} 解压后 {info.file_size} 字节，上限 {cap} 字节")
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise LimitExceeded(f"{info.filename} 解压后超过 {cap} 字节")
                chunks.append(chunk)
                ctx.check_time()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise ExtractionError(f"{info.filename} 无法解压：{type(error).__name__}", code=issues.UNREADABLE) from error
    except RuntimeError as error:  # zipfile raises RuntimeError for a password-protected member
        raise ExtractionError(f"{info.filename} 已加密", code=issues.ENCRYPTED) from error
    return b"".join(chunks)


def read_tail(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: ExtractContext, size: int) -> bytes:
    """The last ``size`` bytes of a member, inflated as a stream: what follows a large sheet's cell data."""
    if info.file_size <= size:
        return read_member(archive, info, ctx)
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                tail = (tail + chunk)[-size:]
                ctx.check_time()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
        raise ExtractionError(f"{info.filename} 无法解压：{type(error).__name__}", code=issues.UNREADABLE) from error
    return tail


def read_named(archive: zipfile.ZipFile, name: str, ctx: ExtractContext) -> bytes | None:
    """Read a member by name, or ``None`` when the package has no such member."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    return read_member(archive, info, ctx)


def guard_package(data: bytes, ctx: ExtractContext) -> None:
    """Check a zip-based document's limits before a third-party library opens it."""
    open_zip(data, ctx).close()
