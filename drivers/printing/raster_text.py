"""Draw text lines as a 1-bit image, for printers that have no Chinese font.

The image is what ``GS v 0`` prints: black text on white, exactly the paper width in dots. Drawing Chinese
needs a CJK font on this computer; ``find_cjk_font`` looks in the usual places and ``load_cjk_font`` raises
``CjkFontMissing`` naming the packages to install when there is none, instead of printing empty boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from drivers.errors import CjkFontMissing

FONT_CANDIDATES = (
    # Debian/Ubuntu: fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei, fonts-arphic-uming, fonts-droid
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    # Fedora
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    # Windows
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    # macOS
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
)

INSTALL_HINT = "install a Chinese font, e.g. `apt install fonts-noto-cjk` or `apt install fonts-wqy-microhei`"


def find_cjk_font(candidates: tuple[str, ...] = FONT_CANDIDATES, *, fontconfig: bool = True) -> str | None:
    """The path of an installed font that has Chinese glyphs, or None.

    Looks at ``candidates`` first, then asks fontconfig (``fc-match :lang=zh-cn``) when it is installed.
    """
    for path in candidates:
        if os.path.isfile(path):
            return path
    return _fontconfig_match() if fontconfig else None


def _fontconfig_match() -> str | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{lang}", ":lang=zh-cn"], capture_output=True, text=True, timeout=2, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, langs = found.partition("\n")
    # fc-match always answers with *some* font; only trust it when that font really covers Chinese
    if path and "zh-cn" in langs.split("|") and os.path.isfile(path):
        return path
    return None


def load_cjk_font(size: int = 24, path: str | None = None) -> ImageFont.FreeTypeFont:
    """A Pillow font of ``size`` pixels from ``path`` or from ``find_cjk_font``; ``CjkFontMissing`` if none."""
    if path is not None and not os.path.isfile(path):
        # Pillow would look for a file of that name in the system's font folders instead: a configured font
        # that is not there is a configuration error to report, not a reason to pick another font
        raise CjkFontMissing(f"the font file {path} does not exist")
    path = path or find_cjk_font()
    if path is None:
        raise CjkFontMissing(f"no Chinese (CJK) font found on this computer: {INSTALL_HINT}")
    try:
        return ImageFont.truetype(path, size)
    except OSError as exc:
        raise CjkFontMissing(f"cannot load font {Path(path).name}: {exc}") from exc


def render_lines(
    lines: list[str],
    *,
    width_px: int,
    font: ImageFont.ImageFont | ImageFont.FreeTypeFont,
    line_height: int | None = None,
    align: str = "left",
) -> Image.Image:
    """A mode "1" image ``width_px`` wide, one band of ``line_height`` dots per line, black (0) on white (1).

    Text wider than the paper is clipped at the right edge: wrap it by columns first.
    """
    ascent, descent = _metrics(font)
    band = line_height or (ascent + descent + 2)
    image = Image.new("1", (width_px, max(band * len(lines), 1)), 1)
    draw = ImageDraw.Draw(image)
    for row, text in enumerate(lines):
        if not text:
            continue
        x = 0
        if align != "left":
            text_w = int(draw.textlength(text, font=font))
            x = max(0, (width_px - text_w) // (2 if align == "center" else 1))
        draw.text((x, row * band + 1), text, font=font, fill=0)
    return image


def _metrics(font: ImageFont.ImageFont | ImageFont.FreeTypeFont) -> tuple[int, int]:
    if hasattr(font, "getmetrics"):
        return font.getmetrics()
    bottom = font.getbbox("Ag")[3]
    return bottom, 0
