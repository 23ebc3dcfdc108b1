"""Reading: encodings, rejects, HTML extraction, Markdown."""

import codecs

import pytest

from summarize.errors import Rejected
from summarize.stages.reading import decode, find_inputs, read_source

KO = "서울시는 30일 스타트업 1,200개가 입주한 단지를 방문했다고 밝혔다.\n두 번째 문단이다.\n"

ENCODINGS = [
    ("utf-8", KO.encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", codecs.BOM_UTF8 + KO.encode("utf-8"), "utf-8-sig"),
    ("utf-16 le with BOM", codecs.BOM_UTF16_LE + KO.encode("utf-16-le"), "utf-16"),
    ("utf-16 be with BOM", codecs.BOM_UTF16_BE + KO.encode("utf-16-be"), "utf-16"),
    ("utf-16 le without BOM", KO.encode("utf-16-le"), "utf-16-le"),
    ("cp949", KO.encode("cp949"), "cp949"),
    ("euc-kr", KO.encode("euc-kr"), "cp949"),
]


@pytest.mark.parametrize("name,data,encoding", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_decodes_korean_encodings(name, data, encoding):
    text, enc = decode(data)
    assert text.replace("\ufeff", "") == KO
    assert enc == encoding


def test_cp949_only_characters_decode():
    text = "똠방각하 뷁 햏: 28℃, 80㎜"  # 똠, 뷁, 햏 are outside EUC-KR but in CP949
    assert decode(text.encode("cp949"))[0] == text


@pytest.mark.parametrize(
    "data,reason",
    [(b"", "empty"), (b"   \n\t\n", "empty"), (bytes(range(256)) * 20, "binary"),
     (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300), "binary")],
)
def test_rejects_empty_and_binary(data, reason):
    with pytest.raises(Rejected, match=reason):
        decode(data)


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text(KO * 100, encoding="utf-8")
    with pytest.raises(Rejected, match="over the"):
        read_source(p, tmp_path, max_bytes=1000)


def test_find_inputs_recurses_and_skips_hidden_and_output(tmp_path):
    for rel in ["a.txt", "sub/b.html", "sub/c.htm", "d.md", "e.json", ".hidden.txt", "out/f.txt", "g.TXT"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(KO, encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in find_inputs(tmp_path, exclude=(tmp_path / "out",))]
    assert found == ["a.txt", "d.md", "g.TXT", "sub/b.html", "sub/c.htm"]


def test_html_goes_through_the_extractor_with_metadata(tmp_path):
    html = """<html><head><meta charset="euc-kr"><title>기사 제목이 여기에 있다 - 한빛일보</title>
    <meta property="og:site_name" content="한빛일보"><meta property="article:published_time" content="2024-03-05T10:00:00+09:00">
    </head><body><nav>홈 정치 경제 사회</nav><article><h1>기사 제목이 여기에 있다</h1>
    <p>한국은행이 기준금리를 3.50%로 동결했다고 밝혔다. 이는 시장 예상과 일치하는 결정이다.</p>
    <p>소비자물가 상승률은 2.8%를 기록해 두 달 연속 둔화했다고 통계청이 밝혔다.</p></article>
    <footer>회사소개 개인정보처리방침</footer></body></html>"""
    p = tmp_path / "page.html"
    p.write_bytes(html.encode("cp949"))
    src = read_source(p, tmp_path)
    assert src.kind == "html" and src.encoding == "cp949"
    # every visible line, in order, each with what the markup says of it
    lines = dict(zip(src.text.split("\n"), src.zones, strict=True))
    assert lines["홈 정치 경제 사회"] == "nav" and lines["회사소개 개인정보처리방침"] == "footer"
    assert lines["소비자물가 상승률은 2.8%를 기록해 두 달 연속 둔화했다고 통계청이 밝혔다."] == "*"  # main content
    assert src.meta.outlet == "한빛일보" and src.meta.published == "2024-03-05T10:00:00+09:00"
    assert src.title.startswith("기사 제목")


def test_markdown_title_and_inline_markup(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("# 제목입니다 여기\n\n**굵은** 본문에 [링크](http://x.y)와 ![그림](a.png)이 있다.\n", encoding="utf-8")
    src = read_source(p, tmp_path)
    assert src.title == "제목입니다 여기"
    assert "굵은 본문에 링크와 이 있다." in src.text
