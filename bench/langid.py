"""Language identification accuracy: test sentences by length, and whole documents.

Sentences: the Lingua test sentences (1,000 per language) for nl, fr, de, en, es and it,
bucketed by length in characters, plus Lingua's word pairs and single words for nl, fr, de
and en. Each is classified on its own, with no declared language. "accuracy" counts `und`
as wrong; "decided" is the share not given `und`; "precision" is accuracy among decided.

Documents:
- the pages of both extraction sets, fetched and extracted by our path (as in
  bench/extraction.py), language from the extracted text plus the page's declared
  language. The reference is langdetect (seeded) on the set's gold text: AEB's articleBody,
  the trafilatura set's segments that must appear (as its MANIFEST's `lang_detected`). Those
  segments are often a few words, so a page counts as one "whose language is known" when its
  gold text has at least 100 letters (sentences that long are classified >= 99 % right), or,
  separately, when the page's declared language (html lang / og:locale) agrees with it.
- documents of 10 consecutive test sentences of one language (one sentence per line, 100 per
  language): accuracy and how many were wrongly split into several languages;
- mixed documents of 5 Dutch then 5 French sentences (100): whether both languages are found
  and where the switch lands.

Screen: how often the function-word screen (`nlp.langid.looks_like`) vouches for paragraphs
and documents of the page's language, and wrongly for those of other languages.

Usage: .venv/bin/python bench/langid.py
"""

from __future__ import annotations

from collections import Counter, defaultdict

from evalsets import LINGUA, Page, aeb_pages, lingua_sentences, trafilatura_pages
from extraction import Output, ours
from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException

from nlp.langid import (
    UNDETERMINED,
    LanguageReport,
    identify,
    looks_like,
    normalise_declared,
)

LANGS = ("nl", "fr", "de", "en", "es", "it")
# A gold text with at least this many letters gives a reliable reference language.
KNOWN_LETTERS = 100
BUCKETS = ((0, 30), (30, 60), (60, 100), (100, 200), (200, 100_000))

DetectorFactory.seed = 0


def _code(lang: str | None) -> str | None:
    """Primary subtag: zh-cn -> zh."""
    return lang.split("-")[0].lower() if lang else None


def _bucket_label(low: int, high: int) -> str:
    return f"{low}-{high - 1} chars" if high < 100_000 else f">={low} chars"


def _bucket(text: str) -> str:
    return next(_bucket_label(lo, hi) for lo, hi in BUCKETS if lo <= len(text) < hi)


def _report(title: str, results: dict[str, list[str | None]], labels: dict[str, str]) -> None:
    """results: group -> predicted codes; labels: group -> the right code."""
    print(title)
    print(f"  {'':<18}{'n':>6}{'accuracy':>10}{'decided':>9}{'precision':>11}")
    for group, predicted in results.items():
        n = len(predicted)
        right = sum(p == labels[group] for p in predicted)
        decided = sum(p != UNDETERMINED for p in predicted)
        precision = right / decided if decided else 0.0
        print(f"  {group:<18}{n:>6}{right / n:>10.4f}{decided / n:>9.4f}{precision:>11.4f}")


def sentences() -> None:
    """Print language-identification accuracy by text length."""
    by_lang: dict[str, list[str | None]] = defaultdict(list)
    by_bucket: dict[str, list[str | None]] = defaultdict(list)
    bucket_labels: dict[str, str] = {}
    per_bucket_lang: dict[str, Counter[str]] = defaultdict(Counter)
    for lang in LANGS:
        for sentence in lingua_sentences(lang):
            guess = identify(sentence).lang
            by_lang[lang].append(guess)
            key = f"{lang} {_bucket(sentence)}"
            by_bucket[key].append(guess)
            bucket_labels[key] = lang
            per_bucket_lang[_bucket(sentence)][str(guess == lang)] += 1
    _report("Sentences (Lingua test data), per language", by_lang, {k: k for k in by_lang})
    print("  all languages by length:")
    for low, high in BUCKETS:
        counts = per_bucket_lang[_bucket_label(low, high)]
        total = counts["True"] + counts["False"]
        print(
            f"    {_bucket_label(low, high):<16}{total:>6}  accuracy {counts['True'] / total:.4f}"
        )
    ordered = {
        key: by_bucket[key]
        for lang in LANGS
        for low, high in BUCKETS
        if (key := f"{lang} {_bucket_label(low, high)}") in by_bucket
    }
    _report("Sentences per language and length", ordered, bucket_labels)
    short: dict[str, list[str | None]] = {}
    labels: dict[str, str] = {}
    for kind in ("word-pairs", "single-words"):
        for lang in ("nl", "fr", "de", "en"):
            path = LINGUA / kind / f"{lang}.txt"
            words = [line.strip() for line in path.read_text("utf-8").split("\n") if line.strip()]
            short[f"{lang} {kind}"] = [identify(word).lang for word in words]
            labels[f"{lang} {kind}"] = lang
    _report("Word pairs and single words (too short: `und` expected)", short, labels)


def _gold_reference(gold: str) -> tuple[str, int]:
    """langdetect (seeded) on the gold text, and how many letters that text has."""
    letters = sum(ch.isalpha() for ch in gold)
    try:
        return _code(detect(gold)) or "", letters
    except LangDetectException:
        return "", letters


def _page_documents(name: str, pages: list[Page], golds: list[str]) -> None:
    outputs: list[Output] = ours(pages)
    rows = []
    for page, output, gold in zip(pages, outputs, golds, strict=True):
        reference, letters = _gold_reference(gold)
        if not output.text or not reference:
            continue
        report = identify(output.text, output.declared)
        declared = normalise_declared(output.declared)
        rows.append((page, reference, letters, report, declared))

    def accuracy(subset: list[tuple[Page, str, int, LanguageReport, str | None]]) -> str:
        right = sum(_code(row[3].lang) == row[1] for row in subset)
        return f"{len(subset):>4} documents, accuracy {right / max(1, len(subset)):.4f}"

    known = [row for row in rows if row[2] >= KNOWN_LETTERS]
    confirmed = [row for row in rows if row[4] == row[1]]
    print(f"  {name}")
    print(f"    all pages with a gold text:                        {accuracy(rows)}")
    print(f"    language known (gold text >= {KNOWN_LETTERS} letters):         {accuracy(known)}")
    print(f"    language known (declared language = gold's):        {accuracy(confirmed)}")
    print(
        f"    und {sum(row[3].lang == UNDETERMINED for row in rows)}, "
        f"split into several languages {sum(row[3].mixed for row in rows)}"
    )
    for page, reference, letters, report, declared in rows:
        if _code(report.lang) != reference:
            print(
                f"    differs: {page.url[:64]} gold text {reference} ({letters} letters), ours "
                f"{report.lang} (detected {report.detected} {report.detected_confidence}, "
                f"declared {declared})"
            )


def documents() -> None:
    """Print language-identification accuracy on whole documents."""
    print("Whole documents from the extraction sets (our fetch + extract + language id)")
    aeb = aeb_pages()
    _page_documents("AEB", aeb, [page.gold_text for page in aeb])
    traf = trafilatura_pages()
    _page_documents("trafilatura set", traf, ["\n".join(page.must_have) for page in traf])

    results: dict[str, list[str | None]] = {}
    split = Counter()
    for lang in LANGS:
        lines = lingua_sentences(lang)
        results[lang] = []
        for start in range(0, 1000, 10):
            report = identify("\n".join(lines[start : start + 10]))
            results[lang].append(report.lang)
            split[lang] += report.mixed
    _report(
        "Documents of 10 test sentences, one per line (100 per language)",
        results,
        {k: k for k in results},
    )
    print("  split into several languages: " + ", ".join(f"{k} {v}" for k, v in split.items()))

    nl, fr = lingua_sentences("nl"), lingua_sentences("fr")
    found_both = switch_right = 0
    for start in range(0, 500, 5):
        dutch, french = nl[start : start + 5], fr[start : start + 5]
        text = "\n".join(dutch + french)
        boundary = len("\n".join(dutch)) + 1
        report = identify(text)
        langs = [span.lang for span in report.spans]
        if langs == ["nl", "fr"]:
            found_both += 1
            switch_right += abs(report.spans[1].start - boundary) <= 1
    print(
        f"Mixed documents (5 nl then 5 fr sentences, 100): nl then fr found {found_both}, "
        f"switch at the right line {switch_right}"
    )


def screen() -> None:
    """How often the function-word screen vouches for a language: for paragraphs and
    documents in it (langdetect is then skipped) and, wrongly, for paragraphs and
    documents of every other Lingua language. A document is screened for its declared
    language only, so a wrong vouch there needs a page that declares a language it is not
    written in."""
    paragraphs, documents = {}, {}
    for path in sorted((LINGUA / "sentences").glob("*.txt")):
        lines = lingua_sentences(path.stem)
        pairs = [f"{lines[i]} {lines[i + 1]}" for i in range(0, len(lines) - 1, 2)]
        paragraphs[path.stem] = [p for p in pairs if sum(map(str.isalpha, p)) >= 60]
        documents[path.stem] = ["\n".join(lines[i : i + 10]) for i in range(0, len(lines), 10)]
    for label, texts in (
        ("Paragraph screen (two test sentences per paragraph, 60+ letters)", paragraphs),
        ("Document screen (10 test sentences, declared in the page's language)", documents),
    ):
        print(label)
        for page in LANGS:
            own = texts[page]
            accepted = sum(looks_like(text, page) for text in own) / len(own)
            wrong = sorted(
                (
                    (sum(looks_like(text, page) for text in others) / len(others), lang)
                    for lang, others in texts.items()
                    if lang != page and others
                ),
                reverse=True,
            )
            worst = ", ".join(f"{lang} {share:.3f}" for share, lang in wrong[:4] if share)
            print(
                f"  {page} page: own vouched for {accepted:.3f}; "
                f"other languages wrongly vouched for: {worst or 'none'}"
            )


if __name__ == "__main__":
    sentences()
    print()
    documents()
    print()
    screen()
