"""Re-encoding the JPEG images of evidence at a lower quality, for an edition
that has to fit a size limit (an ``ImageHook`` for the writer)."""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import threading

from PIL import Image

from pdpacket.pdf.images import ImageStream, a85decode

log = logging.getLogger("pdpacket.editions")

MAX_LONG_SIDE = 3300  # pixels: 11 inches at 300 dpi, the most a letter page shows


class JpegRecoder:
    """An ``ImageHook``: a JPEG image (gray or RGB, 8 bits) saved again at
    ``quality``, and reduced to ``MAX_LONG_SIDE`` pixels on its long side when it
    has more (never less: 300 dpi across the long side of a letter page).  Kept
    only when at least 10 % smaller.  Results are cached by content, so an image
    is re-encoded once however often it is measured and written."""

    def __init__(self, quality: int) -> None:
        self.quality = quality
        self._cache: dict[bytes, tuple[bytes, int, int] | None] = {}
        self._lock = threading.Lock()
        self.recoded = 0
        self.downsampled = 0
        self.saved = 0

    def __call__(self, image: ImageStream) -> tuple[bytes, int, int] | None:
        if (
            image.filters not in (("/DCTDecode",), ("/ASCII85Decode", "/DCTDecode"))
            or image.colorspace not in ("/DeviceRGB", "/DeviceGray")
            or image.bits != 8
            or image.decode
            or image.width <= 0
            or image.height <= 0
        ):
            return None
        key = hashlib.sha256(image.data).digest()
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        result = self._recode(image)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = result
                if result is not None:
                    self.recoded += 1
                    self.saved += len(image.data) - len(result[0])
                    if (result[1], result[2]) != (image.width, image.height):
                        self.downsampled += 1
        return result

    def _recode(self, image: ImageStream) -> tuple[bytes, int, int] | None:
        jpeg = bytes(image.data)
        try:
            if image.filters[0] == "/ASCII85Decode":  # as reportlab writes images
                jpeg = a85decode(jpeg)
            with Image.open(io.BytesIO(jpeg)) as im:
                if im.format != "JPEG" or im.size != (image.width, image.height):
                    return None
                if im.mode not in ("RGB", "L"):
                    return None
                long_side = max(im.size)
                if long_side > MAX_LONG_SIDE:
                    k = MAX_LONG_SIDE / long_side
                    size = (max(1, round(im.width * k)), max(1, round(im.height * k)))
                    im.draft(im.mode, size)
                    work = im.convert(im.mode).resize(size, Image.Resampling.LANCZOS)
                else:
                    work = im.convert(im.mode)
                buf = io.BytesIO()
                work.save(buf, "JPEG", quality=self.quality, optimize=True)
        except (
            OSError,
            ValueError,
            SyntaxError,
            struct.error,
            Image.DecompressionBombError,
        ) as exc:
            log.info("image kept as it is (%s)", exc)
            return None
        data = buf.getvalue()
        if len(data) > len(image.data) * 0.9:
            return None
        return data, work.width, work.height
