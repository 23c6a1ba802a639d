"""Generate a realistic synthetic corpus for benchmarks.

    python benchmarks/generate.py OUT --articles 1000

Writes OUT/corpus/ (healthinfo's authoring format) and OUT/pandoc/ (the same text
as pandoc Markdown, one file per article). Each article is shaped like the seed
article: about 2,500 words in 8 sections, a bulleted list, a note, a figure, about
10 sources and 5 glossary terms. The text is deterministic (seeded), so every run
measures the same input.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ["treatment", "patients", "doctor", "therapy", "cancer", "care", "symptoms", "effects", "quality", "life", "body", "health", "medication", "appointment", "support", "family", "options", "decision", "trial", "study", "information", "hospital", "pain", "relief", "nurse", "team", "chemotherapy", "hormone", "radiation", "surgery", "tumor", "growth", "diagnosis", "program", "insurance", "counseling", "exercise", "fatigue", "depression", "rehabilitation", "palliative"]
GLOSSARY = 20
SOURCES = 200


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def article(rng: random.Random, number: int) -> tuple[str, str]:
    """The article in healthinfo's format and in pandoc Markdown."""
    sources = sorted(rng.sample(range(SOURCES), 10))
    terms = rng.sample(range(GLOSSARY), 5)
    ours = [
        "---",
        f"title: Synthetic article {number}",
        "topic: Benchmark topic",
        "lang: en",
        "updated: 2024-01-23",
        "next_update: 2027",
        "sources: [" + ", ".join(f"src{s:03}" for s in sources) + "]",
        "---",
        "",
        ":::{figure} images/figure.png",
        ":alt: An illustration for the benchmark",
        "A caption for the figure",
        ":::",
        "",
    ]
    theirs = [
        "---",
        f"title: Synthetic article {number}",
        "lang: en",
        "date: 2024-01-23",
        "---",
        "",
        '![An illustration for the benchmark](images/figure.png "A caption for the figure")',
        "",
    ]
    lead = [paragraph(rng), paragraph(rng)]
    ours += [lead[0], "", lead[1], ""]
    theirs += [lead[0], "", lead[1], ""]
    for section in range(8):
        title = f"Question {section + 1} about {rng.choice(WORDS)}?"
        ours += [f"## {title} {{#q{section + 1}}}", ""]
        theirs += [f"## {title} {{#q{section + 1}}}", ""]
        for _ in range(3):
            text = paragraph(rng, 6)
            if section < 5 and _ == 0:
                term = terms[section]
                ours += [text + f" It can cause {{term}}`term{term:02}`.", ""]
                theirs += [text + f" It can cause term{term:02}.", ""]
            else:
                ours += [text, ""]
                theirs += [text, ""]
        if section == 3:
            items = [sentence(rng) for _ in range(4)]
            ours += [f"- {item}" for item in items] + [""]
            theirs += [f"- {item}" for item in items] + [""]
            note = sentence(rng)
            ours += [":::{note}", ":region: DE", note, ":::", ""]
            theirs += ["::: note", note, ":::", ""]
    theirs += ["## Sources", ""]
    theirs += [f"{n + 1}. Author{s:03} A. Title of source {s}. J Bench. 2020;{s}(1):1-10." for n, s in enumerate(sources)]
    return "\n".join(ours) + "\n", "\n".join(theirs) + "\n"


def generate(out: Path, articles: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    corpus = out / "corpus"
    pandoc = out / "pandoc"
    if out.exists():
        shutil.rmtree(out)
    for folder in (corpus / "articles", corpus / "images", pandoc / "images"):
        folder.mkdir(parents=True)
    figure = (ROOT / "corpus" / "images" / "infusion.png").read_bytes()
    (corpus / "images" / "figure.png").write_bytes(figure)
    (pandoc / "images" / "figure.png").write_bytes(figure)
    (corpus / "healthinfo.yaml").write_text(
        "name: Benchmark corpus\nlang: en\nrights: Benchmark\npublishers:\n"
        "  - {id: bench, name: Benchmark Institute, short_name: BI, country: DE}\n",
        encoding="utf-8",
    )
    (corpus / "glossary.yaml").write_text(
        "".join(f"term{n:02}:\n  term: Term {n}\n  definition: {sentence(rng)}\n" for n in range(GLOSSARY)),
        encoding="utf-8",
    )
    (corpus / "references.yaml").write_text(
        "".join(
            f"- id: src{n:03}\n  type: article-journal\n  author: [{{family: Author{n:03}, given: A}}]\n"
            f"  title: Title of source {n}\n  container-title: J Bench\n  issued: {n % 30 + 1990}\n"
            f"  volume: '{n}'\n  issue: '1'\n  page: 1-10\n"
            for n in range(SOURCES)
        ),
        encoding="utf-8",
    )
    for number in range(1, articles + 1):
        ours, theirs = article(rng, number)
        (corpus / "articles" / f"a-{number:04}.md").write_text(ours, encoding="utf-8")
        (pandoc / f"a-{number:04}.md").write_text(theirs, encoding="utf-8")
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    arguments = parser.parse_args()
    generate(arguments.out, arguments.articles)
    print(f"wrote {arguments.articles} articles to {arguments.out}")


if __name__ == "__main__":
    main()
