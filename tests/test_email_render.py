"""The HTML email as a person sees it: rendered by headless Chromium (installed by `make test`)."""

import shutil
import struct
import subprocess
import zlib

import pytest

from summarize.deliver.mail import to_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

BRIEF = """# Mayor Park tours start-up hubs in Shenzhen and Hong Kong

**박원순 시장, 중국 선전.홍콩 '혁신창업 현장' 집중 방문**

세계뉴스 · 권태옥 · 2019-01-31 18:46 · `seed.txt`

## Summary

1. Cyberport has a site area of 260,000 square meters.{BR}
   _Korean:_ ‘사이버포트’는 부지면적 26만㎡, 총 10만㎡ 규모의 대규모 혁신창업 단지다.

## Key figures

| Korean | English | Context |
|---|---|---|
| 26만㎡ | 260,000 m² | ‘사이버포트’는 부지면적 26만㎡, 총 10만㎡ 규모의… |
| 2조원 | 2 trillion won | 시가총액 2조원의 전자제품 전자상거래 기업인… |

## Quotes

> “Seoul is a city full of talent”{BR}
> — Park Won-soon (박원순)
>
> “서울은 인재가 밀집된 도시이고, 중국은 드넓은 시장을 보유하고 있다.”
""".replace("{BR}", "  ")  # two spaces: a Markdown line break


def png_pixels(path):
    """Width, height and the grey level of every pixel of a Chromium screenshot (8-bit RGB or RGBA)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([sum(line[x * channels:x * channels + 3]) // 3 for x in range(width)])
        prev = line
    return width, height, rows


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")
def test_html_email_lays_out_in_a_browser(tmp_path):
    page = tmp_path / "email.html"
    page.write_text(to_html(BRIEF, "brief"), encoding="utf-8")
    shot = tmp_path / "email.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", "--window-size=640,900",
                    f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=60)
    width, height, rows = png_pixels(shot)
    assert (width, height) == (640, 900)
    ink = [sum(1 for v in row if v < 160) for row in rows]
    inked_rows = [y for y, n in enumerate(ink) if n]
    assert inked_rows and inked_rows[-1] < 880, "the brief runs off the bottom of the window"
    right = max(x for row in rows for x, v in enumerate(row) if v < 160)
    assert right < width - 8, "text runs off the right edge"
    # the table draws its grid: a long horizontal line of mid-grey pixels
    assert any(sum(1 for v in row if 180 <= v <= 225) > width * 0.6 for row in rows)
    # Korean glyphs, not empty boxes: a Hangul line is dense with ink
    assert max(ink) > 60
