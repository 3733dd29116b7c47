"""Site photos with Pillow: read the EXIF time (DateTimeOriginal) and GPS position, make the thumbnail,
and make the copy that leaves GovWorks (export, public page) without any EXIF. Also draws the demo's
photos, with EXIF written in, so the checks have something real to read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from io import BytesIO

from PIL import ExifTags, Image, ImageDraw, ImageOps, UnidentifiedImageError

from govworks.core.errors import DomainError

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 60_000_000
THUMB_SIZE = (360, 270)
FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
TAG_DATETIME_ORIGINAL = 36867
TAG_DATETIME = 306


@dataclass(frozen=True)
class PhotoInfo:
    taken_at: dt.datetime | None  # wall-clock time of the camera (no zone in EXIF)
    latitude: Decimal | None
    longitude: Decimal | None
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    if len(data) > MAX_BYTES:
        raise DomainError("construction.photo_size", f"照片不能超过{MAX_BYTES // 1024 // 1024}MB", field="photos")
    try:
        image = Image.open(BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise DomainError("construction.photo_pixels", "照片像素过大", field="photos")
        if image.format not in FORMATS:
            raise DomainError("construction.photo_format", f"不支持的图片格式{image.format}，请上传JPEG或PNG照片", field="photos")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError) as err:
        raise DomainError("construction.photo_invalid", "文件不是有效的照片", field="photos") from err
    return image


def _dms(value: object, ref: object) -> Decimal | None:
    try:
        d, m, s = (float(x) for x in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    deg = d + m / 60 + s / 3600
    if str(ref).upper() in ("S", "W"):
        deg = -deg
    return Decimal(str(round(deg, 6)))


def read_photo(data: bytes) -> PhotoInfo:
    """The EXIF facts of a photo; missing or unreadable tags give None."""
    image = _open(data)
    exif = image.getexif()
    taken: dt.datetime | None = None
    raw = exif.get_ifd(ExifTags.IFD.Exif).get(TAG_DATETIME_ORIGINAL) or exif.get(TAG_DATETIME)
    if raw:
        try:
            taken = dt.datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            taken = None
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    lat = _dms(gps.get(2), gps.get(1)) if gps.get(2) else None
    lon = _dms(gps.get(4), gps.get(3)) if gps.get(4) else None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    return PhotoInfo(taken, lat, lon, image.width, image.height)


def _upright_rgb(data: bytes) -> Image.Image:
    image = ImageOps.exif_transpose(_open(data))
    return image.convert("RGB")


def thumbnail(data: bytes) -> bytes:
    """A JPEG thumbnail, turned upright, without EXIF."""
    image = _upright_rgb(data)
    image.thumbnail(THUMB_SIZE)
    out = BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def stripped(data: bytes) -> bytes:
    """The full-size copy for export and public pages: upright, re-encoded, no EXIF (no time, no GPS)."""
    image = _upright_rgb(data)
    out = BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _rational_dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round((value - d - m / 60) * 3600, 2)
    return Fraction(d), Fraction(m), Fraction(s).limit_denominator(100)


def demo_photo(
    text: str,
    *,
    taken_at: dt.datetime | None,
    position: tuple[float, float] | None,
    colour: tuple[int, int, int] = (120, 144, 156),
) -> bytes:
    """A generated 800×600 site photo carrying the given EXIF time and GPS position."""
    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 800, 40):
        draw.line([(i, 420), (i + 60, 600)], fill=(90, 90, 90), width=3)
    draw.rectangle([120, 140, 680, 420], outline=(250, 250, 250), width=6)
    for y in range(170, 410, 40):
        draw.line([(120, y), (680, y)], fill=(220, 220, 220), width=2)
    draw.text((30, 30), text, fill=(255, 255, 255))
    exif = Image.Exif()
    exif[0x010F] = "GovWorks Demo"
    exif[0x0110] = "SiteCam"
    if taken_at is not None:
        stamp = taken_at.strftime("%Y:%m:%d %H:%M:%S")
        exif[TAG_DATETIME] = stamp
        exif.get_ifd(ExifTags.IFD.Exif)[TAG_DATETIME_ORIGINAL] = stamp
    if position is not None:
        lat, lon = position
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[1] = "N" if lat >= 0 else "S"
        gps[2] = _rational_dms(lat)
        gps[3] = "E" if lon >= 0 else "W"
        gps[4] = _rational_dms(lon)
    out = BytesIO()
    image.save(out, "JPEG", quality=75, exif=exif)
    return out.getvalue()


def has_exif(data: bytes) -> bool:
    """True when the image carries any EXIF tag (used by tests and the export check)."""
    image = Image.open(BytesIO(data))
    return bool(image.getexif()) or "exif" in image.info
