"""Quotes: every direct quote, verbatim, with who said it.

Double quotes (“…”, "…", 「…」, 『…』) hold speech; single quotes (‘…’) hold speech
only when a quotative follows (‘…다’고 말했다) — otherwise they mark emphasis, names
or years and are not quotes. The speaker is the topic or subject before the quote
(이창용 총재는 … “…”), or after it (“…”라고 박 시장은 말했다); a short form
(박 시장) is resolved to the full name met earlier in the article, and a pronoun (그는) to the
person the article last spoke of: the last named person who was the topic of a sentence, quoting
or not (최 부총리는 국회를 찾았다. 그는 “…”라고 말했다).
"""

from __future__ import annotations

import re

from ._kiwi import Token, tokenize
from .types import Quote, Sentence

__all__ = ["find_quotes", "quote_marks"]

_DOUBLE = {"“": "”", '"': '"', "「": "」", "『": "』"}
_SINGLE = {"‘": "’", "'": "'"}
_QUOTATIVE = re.compile(
    r"^(?:라고|이라고|고|라며|이라며|며|라면서|이라면서|면서|하고|라고도|고도|란|이란|라는\s?(?:말|입장|뜻|얘기|주장|의견)|"
    r"이라는\s?(?:말|입장|뜻|얘기|주장|의견)|라고\s?했|라\s?했|고\s?했)"
)
_NAMING = re.compile(r"^(?:라는|이라는|는|은|이|가|를|을|의|와|과|로|으로|에|도|란)(?:\s|$)")
_PREDICATE_END = re.compile(r"(?:다|요|까|죠|네|자|라|지|군|나|니다|세요)[.!?…]*$")
_SPEECH_VERB = re.compile(r"(?:말했|밝혔|강조했|설명했|덧붙였|전했|주장했|지적했|말한다|밝힌다)(?:다|습니다)")
_PRONOUNS = {"그", "그녀", "이", "그들", "이들", "그는", "그녀는"}
_NOUN_TAGS = {"NNP", "NNG", "NNB", "NP", "SL", "SH", "SN", "XSN", "XPN", "MM", "NR"}
_SUBJECT_TAGS = {"JX", "JKS"}
_TOPIC_FORMS = {"은", "는", "이", "가", "께서", "도"}
# The common Korean surnames: a proper noun that starts with one is more likely a person.
SURNAMES = set("김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예봉경사부")
GENERIC_HEADS = ("관계자", "관계자들", "소식통", "당국자", "측", "관계자는", "고위 인사")
_TIME_WORDS = {"오늘", "어제", "지난", "이날", "당시", "최근", "현재", "이번", "올해", "작년", "내년"}


def quote_marks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, opener) of the text inside each quote pair; nested ‘…’ inside “…” stays inside."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        closer = _DOUBLE.get(ch) or _SINGLE.get(ch)
        if closer is None or (ch in "'‘" and re.match(r"\d{2}(?:년|\b)", text[i + 1:])):
            i += 1
            continue
        j = text.find(closer, i + 1)
        if ch == "'":
            # skip apostrophe years inside when looking for the closer
            while j != -1 and re.match(r"\d{2}(?:년|\b)", text[j + 1:]):
                j = text.find(closer, j + 1)
        if j == -1:
            i += 1
            continue
        out.append((i + 1, j, ch))
        i = j + 1
    return out


def _is_speech(text: str, start: int, end: int, opener: str) -> bool:
    inner = text[start:end]
    after = text[end + 1:end + 12]
    if opener in _DOUBLE:
        m = _QUOTATIVE.match(after)
        if m and not m.group().startswith(("라는", "이라는", "란", "이란")):
            return True
        if m:  # “…”라는 말: speech only if it is a clause, not a term (“K-방역”이라는 말)
            return len(inner) >= 10 and " " in inner
        if _NAMING.match(after) or re.match(r"^[)\]]", after):
            return len(inner) >= 25 and " " in inner and bool(_PREDICATE_END.search(inner))
        return len(inner) >= 10 and " " in inner
    # single quotes: speech only when a quotative follows a full clause
    return bool(_QUOTATIVE.match(after)) and len(inner) >= 10 and " " in inner and bool(_PREDICATE_END.search(inner))


def find_quotes(sentences: list[Sentence], tokens: dict[int, list[Token]] | None = None) -> list[Quote]:
    """Every direct quote in the body, in order, with its speaker where one can be found.
    `tokens`: the morphemes of each sentence by id, where segmenting has them already."""
    tokens = tokens if tokens is not None else {s.id: tokenize(s.ko) for s in sentences}
    names = _name_registry(sentences, tokens)
    quotes: list[Quote] = []
    last_speaker: str | None = None  # who "그" is: the last person the article spoke of
    for s in sentences:
        spans = [(a, b, o) for a, b, o in quote_marks(s.ko) if _is_speech(s.ko, a, b, o)]
        sentence_speaker = None
        for a, b, _ in spans:
            speaker = _speaker_before(s.ko[:a - 1], names) if sentence_speaker is None else sentence_speaker
            if speaker is None:
                speaker = _speaker_after(s.ko, b, spans, names)
            if speaker in _PRONOUNS or speaker is None and _pronoun_before(s.ko[:a - 1]):
                speaker = last_speaker
            sentence_speaker = speaker
            if speaker is None and s.id + 1 < len(sentences) and _SPEECH_VERB.search(sentences[s.id + 1].ko) \
                    and not quote_marks(sentences[s.id + 1].ko):
                # “…” 김 감독은 경기 후 이렇게 말했다: the speaker in the sentence after
                speaker = _speaker_before(sentences[s.id + 1].ko, names)
            if speaker is None and quotes and quotes[-1].sentence == s.id - 1:
                speaker = quotes[-1].speaker  # a quote that goes on from the sentence before
            quotes.append(Quote(ko=s.ko[a:b], speaker=speaker, sentence=s.id, start=a, end=b))
            if speaker:
                last_speaker = speaker
        topic = _topic_person(s.ko, tokens[s.id], names)
        if topic and not spans:
            last_speaker = topic
    return quotes


def _topic_person(text: str, toks, names: dict[str, str]) -> str | None:
    """The person a sentence is about: its first topic (은/는) or subject, if that is a named person."""
    for _tag, phrase, inside in _subject_phrases(toks, text):
        if phrase in _PRONOUNS or phrase.endswith(GENERIC_HEADS):
            return None
        resolved = _resolve(phrase, inside, names)
        return resolved if resolved in names.values() else None
    return None


def _subject_phrases(toks, text: str):
    """(particle tag, noun phrase, its tokens) for each topic or subject particle of `text`, in order."""
    for k, t in enumerate(toks):
        if t.tag in _SUBJECT_TAGS and t.form in _TOPIC_FORMS:
            span = _noun_phrase_before(toks, k, text)
            if span is not None:
                yield t.tag, text[span[0]:span[1]], [x for x in toks if span[0] <= x.start < span[1]]


def _name_registry(sentences: list[Sentence], tokens: dict[int, list]) -> dict[str, str]:
    """Full names met in the article, keyed by surname + title (박 시장) and by surname (박)."""
    reg: dict[str, str] = {}
    for s in sentences:
        toks = tokens[s.id]
        for k, t in enumerate(toks):
            if _name_score(toks, k) >= 4:
                nxt = toks[k + 1] if k + 1 < len(toks) else None
                if nxt is not None and nxt.tag == "NNG" and nxt.start == t.start + t.len + 1:
                    reg.setdefault(f"{t.form[0]} {nxt.form}", t.form)
                    reg.setdefault(t.form[0], t.form)
    return reg


def _noun_phrase_before(toks, k: int, text: str) -> tuple[int, int] | None:
    """Span of the noun phrase that ends right before token k."""
    j = k - 1
    if j < 0 or toks[j].tag not in _NOUN_TAGS or toks[j].start + toks[j].len != toks[k].start:
        return None
    start = toks[j].start
    end = toks[j].start + toks[j].len
    count = 1
    while j - 1 >= 0 and toks[j - 1].tag in _NOUN_TAGS and count < 5:
        gap = text[toks[j - 1].start + toks[j - 1].len:toks[j].start]
        if gap.strip():
            break
        j -= 1
        start = toks[j].start
        count += 1
    return start, end


def _resolve(phrase: str, toks_in_phrase, names: dict[str, str]) -> str:
    """A full name where the phrase holds one or a short form of one; the phrase otherwise."""
    if phrase.endswith(GENERIC_HEADS):
        return phrase  # 중대본 관계자, 정부 소식통: an unnamed person of an organisation
    best = _best_name(toks_in_phrase)
    if best:
        return best
    parts = phrase.split()
    first = toks_in_phrase[0] if toks_in_phrase else None
    if len(parts) >= 2 and len(parts[0]) == 1 and first is not None and first.tag == "NNP":
        full = names.get(f"{parts[0]} {parts[1]}") or names.get(parts[0])  # 박 시장 -> 박원순
        if full:
            return full
    return phrase


def _name_score(toks, k: int) -> int:
    t = toks[k]
    if t.tag != "NNP" or not (2 <= len(t.form) <= 4) or not re.fullmatch(r"[가-힣]+", t.form):
        return -1
    if t.form[0] not in SURNAMES:
        return -1
    followed_by_title = k + 1 < len(toks) and toks[k + 1].tag == "NNG"
    return 2 * (len(t.form) == 3) + 2 * (t.form[0] in SURNAMES) + followed_by_title


def _best_name(toks) -> str | None:
    """The token most likely to be a person's name: three syllables, a common surname, a title after it."""
    scored = [(_name_score(toks, k), k) for k in range(len(toks))]
    scored = [(sc, k) for sc, k in scored if sc >= 3]
    if not scored:
        return None
    return toks[max(scored)[1]].form


def _speaker_before(pre: str, names: dict[str, str]) -> str | None:
    """The topic (은/는) or else the subject (이/가) of the clause before the quote."""
    pre = pre.rstrip()
    if not pre:
        return None
    toks = tokenize(pre)
    candidates = []
    for tag, phrase, inside in _subject_phrases(toks, pre):
        if phrase in _TIME_WORDS or re.fullmatch(r"[\d\s]+", phrase):
            continue
        candidates.append((0 if tag == "JX" else 1, phrase, inside))
    if not candidates:
        return None
    # the first topic, else the last subject
    topics = [c for c in candidates if c[0] == 0]
    _, phrase, inside = topics[0] if topics else candidates[-1]
    if phrase in _PRONOUNS:
        return phrase
    return _resolve(phrase, inside, names)


def _speaker_after(text: str, end: int, spans, names: dict[str, str]) -> str | None:
    """“…”라고 박 시장은 말했다: the subject after the last quote of the sentence."""
    later = [a for a, _, _ in spans if a > end]
    stop = (later[0] - 1) if later else len(text)
    post = text[end + 1:stop]
    m = re.match(r"^(?:라고|이라고|고|라며|이라며|며|면서|라면서)\s+", post)
    if not m:
        return None
    rest = post[m.end():]
    for _tag, phrase, inside in _subject_phrases(tokenize(rest), rest):
        return phrase if phrase in _PRONOUNS else _resolve(phrase, inside, names)
    return None


def _pronoun_before(pre: str) -> bool:
    return bool(re.search(r"(?:^|\s)(?:그|그녀|그들)(?:는|은|가|도)\s", pre + " "))
