"""The HTML email as a person sees it: rendered by headless Chromium (installed by `make test`)."""

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from summarize.deliver.mail import to_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

BRIEF = """# Mayor Park tours start-up hubs in Shenzhen and Hong Kong

**박원순 시장, 중국 선전.홍콩 '혁신창업 현장' 집중 방문**

**세계뉴스** · 권태옥 · 2019-01-31 18:46 +09:00 (Korea time: the page gives no zone) · `seed.txt`

**In brief:** Mayor Park spent two days visiting start-up sites in Shenzhen and Hong Kong. Cyberport has a site area \
of 260,000 square meters.

**People:** Park Won-soon (박원순) · **Places:** Shenzhen (선전), Hong Kong (홍콩)

## Sentence by sentence

1. Mayor Park spent two days visiting start-up sites in Shenzhen and Hong Kong.
   > 박원순 시장이 중국 선전과 홍콩 양 도시의 혁신창업 현장을 1박2일간 방문했다.

2. Cyberport has a site area of 260,000 square meters.{BR}
   ⚠️ figure-restored: the model dropped or changed 10만㎡; restored from the source
   > ‘사이버포트’는 부지면적 26만㎡, 총 10만㎡ 규모의 대규모 혁신창업 단지다.

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
""".replace("{BR}", "  ").replace("\\\n", "")  # two spaces: a Markdown line break


def chromium(tmp_path, page, *args):
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={tmp_path / 'profile'}", "--hide-scrollbars", *args, page.as_uri()],
                          check=True, capture_output=True, timeout=60)


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
    chromium(tmp_path, page, "--window-size=640,900", f"--screenshot={shot}")
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


# What the page reports of its own layout: where the English paragraph, the first sentence, its Korean source and
# the first heading stand, and how the Korean source is set apart (written into the page for --dump-dom to read)
PROBE = """<script>
const box = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
  return {top: r.top, left: r.left, right: r.right, size: parseFloat(s.fontSize), color: s.color,
          border: s.borderLeftWidth}; };
const gist = [...document.querySelectorAll('p')].find(p => p.textContent.startsWith('In brief:'));
const li = document.querySelector('ol > li');
const source = li.querySelector('blockquote');
const h2 = document.querySelector('h2');
const first = [...document.body.querySelectorAll('p, li, blockquote, table, h2')].find(
  e => /[A-Za-z]{4}/.test(e.textContent) && !e.textContent.includes('Korea time'));
const out = document.createElement('pre'); out.id = 'probe';
out.textContent = JSON.stringify({gist: box(gist), li: box(li), source: box(source), h2: box(h2),
  firstIsGist: first === gist, sourceLang: source.getAttribute('lang'), width: innerWidth});
document.body.appendChild(out);
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")
def test_the_english_paragraph_comes_first_and_the_korean_is_set_apart(tmp_path):
    import html
    import json
    import re

    page = tmp_path / "email.html"
    page.write_text(to_html(BRIEF, "brief").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, page, "--window-size=640,900", "--dump-dom").stdout.decode("utf-8")
    probe = json.loads(html.unescape(re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S).group(1)))
    gist, li, source, h2 = probe["gist"], probe["li"], probe["source"], probe["h2"]
    assert probe["firstIsGist"]  # the first English text after the headline and its source line
    assert gist["top"] < h2["top"] < li["top"] < source["top"]  # the paragraph, then the sentences, each over its Korean
    assert gist["size"] > source["size"]  # the Korean source smaller than the English
    assert source["left"] >= li["left"] and float(source["border"].removesuffix("px")) > 0  # under it, a rule beside it
    assert source["color"] != "rgb(34, 34, 34)" and probe["sourceLang"] == "ko"  # quieter than the text, marked Korean
    for b in (gist, li, source):
        assert b["right"] <= probe["width"]


def make_preview(out_png: Path) -> None:
    """docs/email-preview.png: the brief of samples/seed_shenzhen_hongkong.txt as the e-mail shows it, with English
    written by hand in place of the model's (one figure left out on purpose, to show the guard)."""
    import tempfile

    from conftest import SAMPLES, FakeTranslator, default_english

    from summarize import BriefOptions, run
    from summarize.records import ModelInfo

    english = [
        ("박원순 시장, 중국", "Mayor Park Won-soon tours 'innovation and start-up sites' in Shenzhen and Hong Kong, China"),
        ("‘경제’와", "Mayor Park Won-soon, on his first overseas trip of the year with the economy and start-ups as its "
                   "themes, spent two days and one night at innovation and start-up sites in Shenzhen and Hong Kong."),
        ("순방 첫 날인", "On the 30th, the first day of the trip, he toured Shenzhen's leading start-ups, their incubators "
                    "and prototype workshops from morning to evening: Dagongfang, Yingdan, Kinco, Shenzhen Bay "
                    "Entrepreneurship Plaza and the Tencent accelerator centre."),
        ("이른 아침", "Arriving in Hong Kong early on the 31st by high-speed train, he began the day at Cyberport, a "
                  "large innovation and start-up hub."),
        ("대공방 코리아는", "Dagongfang Korea has been an overseas partner of Seoul Startup Hub, helping the start-ups "
                     "based there expand into China."),
        ("아울러", "At Shenzhen Bay Entrepreneurship Plaza he also met the chairman of the company that runs it and "
                "heard how Shenzhen built its start-up ecosystem."),
        ("박원순 시장은", "\"Seoul is full of talent and China has a vast market,\" Mayor Park Won-soon said, adding that "
                   "the two cities would now work together more closely."),
        ("서울은 인재가", "Seoul is a city full of talent, and China has a vast market. As both Seoul and Shenzhen lead in "
                    "innovative start-ups, working together and combining our strengths will bring results that "
                    "benefit both"),
        ("이번 방문을", "We will use this visit to cooperate more closely and work out how"),
    ]

    names = {"박원순": "Park Won-soon", "서울창업허브": "Seoul Startup Hub", "대공방": "Dagongfang",
             "사이버포트": "Cyberport", "선전만창업광장": "Shenzhen Bay Entrepreneurship Plaza"}

    def by_hand(ko: str) -> str:
        """The hand-written English of a unit, also of its retranslation (the names written out in it)."""
        plain = ko
        for name_ko, name_en in names.items():
            plain = plain.replace(name_en, name_ko)
        return next((en for start, en in english if plain.startswith(start)), default_english(ko))

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        inbox = tmp_path / "in"
        inbox.mkdir()
        (inbox / "seed_shenzhen_hongkong.txt").write_bytes((SAMPLES / "seed_shenzhen_hongkong.txt").read_bytes())
        options = BriefOptions(model="quickmt/quickmt-ko-en", glossary=names)
        info = ModelInfo("quickmt/quickmt-ko-en", None, {"num_beams": 4, "max_new_tokens": 256}, "ct2", "int8")
        run(inbox, tmp_path / "out", options, translator_factory=lambda s, o: FakeTranslator(fn=by_hand, info=info))
        markdown = (tmp_path / "out" / "seed_shenzhen_hongkong.md").read_text(encoding="utf-8")
        page = tmp_path / "email.html"
        page.write_text(to_html(markdown, "brief"), encoding="utf-8")
        chromium(tmp_path, page, "--window-size=760,1150", f"--screenshot={out_png}")
    print(markdown)


if __name__ == "__main__":  # python tests/test_email_render.py docs/email-preview.png
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    make_preview(Path(sys.argv[1]).resolve())
