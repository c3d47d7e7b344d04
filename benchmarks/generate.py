"""Synthetic courseforge projects for the benchmarks.

`make_project(root, lessons)` writes a course project of `lessons` lessons (20 per course)
and the mkdocs configurations the benchmark compares (see CONFIGS). Every configuration builds
the same set of pages: the project has its own home page (`lessons/index.md`), so courseforge
generates none that plain Material would lack.

Every lesson is ~1,400 words of body text with headings, lists, a table, `/// why-this-matters`
and `/// key-steps` blocks, front-matter examples, a visual, an exercise (exercises/<id>.yml) and a
quiz; one lesson in four has a ```mermaid body diagram inside its free preview, one in three a
download; `preview: 3`; the first lesson of each course is `access: free`.
Content is deterministic (seeded), so runs are comparable.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

LESSONS_PER_COURSE = 20
BODY_WORDS = 1400
SITE_URL = "http://127.0.0.1:8000/"

# --- text ---------------------------------------------------------------------------------

NOUNS = """model data team product metric user feature label baseline pipeline dashboard experiment
prediction threshold segment customer ticket roadmap stakeholder signal outcome launch budget risk
review workflow decision sample error rate dataset owner backlog release survey cohort funnel
engineer scientist designer manager partner vendor contract policy audit incident queue score
precision recall accuracy latency cost revenue churn retention onboarding search ranking
recommendation forecast anomaly fraud support agent interface prototype pilot rollout monitor
drift bias fairness privacy consent storage schema warehouse annotation guideline benchmark""".split()
VERBS = """defines measures tracks improves reduces explains compares reviews ships tests validates
monitors labels trains evaluates deploys prioritises frames estimates predicts ranks flags routes
summarises audits documents questions challenges supports limits changes shapes informs""".split()
ADJECTIVES = """clear small large noisy clean expensive cheap reliable fragile urgent slow fast
accurate biased fair new old shared manual automatic simple complex visible hidden stable risky
useful practical measurable realistic narrow broad early late honest careful""".split()
ADVERBS = """quickly carefully rarely often usually early later openly directly gradually""".split()
CONNECT = """because although while when before after unless so that even though since""".split()
NAMES = """Ana Ben Chen Dara Eli Fatima Gus Hana Ivo Jun Kai Lena Marco Nia Omar Priya""".split()


class Writer:
    def __init__(self, seed: str) -> None:
        self.rng = random.Random(seed)

    def pick(self, words: list[str]) -> str:
        return self.rng.choice(words)

    def phrase(self) -> str:
        r = self.rng
        parts = [r.choice(["the", "a", "every", "each", "our", "this"]), self.pick(ADJECTIVES), self.pick(NOUNS)]
        if r.random() < 0.3:
            parts.insert(2, self.pick(NOUNS))
        return " ".join(parts)

    def sentence(self) -> str:
        r = self.rng
        words = [self.phrase(), self.pick(VERBS), self.phrase()]
        if r.random() < 0.6:
            words += [self.pick(CONNECT), self.phrase(), self.pick(VERBS), self.phrase()]
        if r.random() < 0.3:
            words.insert(1, self.pick(ADVERBS))
        text = " ".join(words)
        if r.random() < 0.15:
            text = text.replace(" the ", f" **{self.pick(NOUNS)}** the ", 1)
        if r.random() < 0.08:
            text += f" with `{self.pick(NOUNS)}_{self.pick(NOUNS)}`"
        if r.random() < 0.08:
            text += f", as {self.pick(NAMES)} put it, *{self.pick(ADJECTIVES)} enough*"
        return text[0].upper() + text[1:] + "."

    def paragraph(self, words: int) -> str:
        out: list[str] = []
        while sum(len(s.split()) for s in out) < words:
            out.append(self.sentence())
        return " ".join(out)

    def title(self, low: int = 3, high: int = 6) -> str:
        n = self.rng.randint(low, high)
        words = [self.pick(ADJECTIVES if i % 2 == 0 else NOUNS) for i in range(n - 1)] + [self.pick(NOUNS)]
        return " ".join(words).capitalize()

    def clause(self, words: int = 10) -> str:
        return self.paragraph(words).rstrip(".")


def words_in(text: str) -> int:
    return len(re.findall(r"[A-Za-z]+", text))


# --- YAML with literal blocks for multi-line strings ----------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


# --- lessons ------------------------------------------------------------------------------

def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def flowchart(w: Writer, direction: str, accessible: bool) -> str:
    nodes = [w.title(1, 3) for _ in range(5)]
    lines = [f"flowchart {direction}"]
    if accessible:
        lines += [f"  accTitle: {w.title(3, 5)}", f"  accDescr: {w.paragraph(20)}"]
    lines += [f"  A[{nodes[0]}] --> B[{nodes[1]}]", f"  B --> C[{nodes[2]}]",
              f"  C -->|{w.pick(ADJECTIVES)}| D[{nodes[3]}]", f"  D --> E[{nodes[4]}]", "  E -->|drift| A"]
    return "\n".join(lines)


def lesson(course_index: int, index: int, course_dir: Path, exercises_dir: Path,
           titles: list[str], files: list[str]) -> str:
    """Write one lesson (and its exercise and download); return its Markdown."""
    w = Writer(f"lesson-{course_index}-{index}")
    number = course_index * LESSONS_PER_COURSE + index
    title = titles[index]
    exercise_id = f"c{course_index + 1:02d}-l{index + 1:02d}-practice"
    meta: dict = {
        "title": title,
        "summary": w.paragraph(28),
        "order": index + 1,
    }
    if index == 0:
        meta["access"] = "free"
    meta["preview"] = 3
    meta["exercises"] = [exercise_id]
    meta["examples"] = [{"title": w.title(), "scenario": w.paragraph(60), "takeaway": w.paragraph(30)}
                        for _ in range(2)]
    meta["visuals"] = [{"title": w.title(), "caption": w.paragraph(18), "diagram": flowchart(w, "LR", False) + "\n"}]
    if number % 3 == 1:
        name = f"{slugify(title)[:40]}-template.txt"
        (course_dir / "downloads").mkdir(exist_ok=True)
        (course_dir / "downloads" / name).write_text(w.paragraph(120) + "\n", encoding="utf-8")
        meta["downloads"] = [{"title": f"{w.title(2, 4)} template", "file": f"downloads/{name}",
                              "description": w.paragraph(16)}]
    meta["quiz"] = [{"question": w.clause(14) + "?", "answers": [
        {"text": w.clause(8), "correct": True, "feedback": w.paragraph(22)},
        {"text": w.clause(8), "feedback": w.paragraph(22)},
        {"text": w.clause(8), "feedback": w.paragraph(22)},
    ]} for _ in range(2)]

    exercises_dir.joinpath(f"{exercise_id}.yml").write_text(dump({
        "title": w.title(),
        "difficulty": w.pick(["easy", "medium", "hard"]),
        "minutes": w.rng.choice([10, 15, 20, 30]),
        "instructions": "\n\n".join([w.paragraph(60), "\n".join(f"{i}. {w.clause(12)}." for i in range(1, 5))]) + "\n",
        "expected_outcome": w.paragraph(30),
        "hints": [w.clause(14) + "." for _ in range(3)],
        "success_criteria": [w.clause(12) + "." for _ in range(3)],
    }), encoding="utf-8")

    blocks: list[str] = []
    link = f"[{titles[index - 1]}]({files[index - 1]})" if index else "[the course overview](index.md)"
    blocks.append(w.paragraph(70))
    blocks.append(f"{w.paragraph(40)} If you skipped it, start with {link}.")
    blocks.append(f"/// why-this-matters\n{w.paragraph(45)}\n///")
    blocks.append(f"## {w.title()}")
    blocks.append(w.paragraph(90))
    blocks.append("\n".join(f"- **{w.pick(NOUNS).capitalize()}**: {w.clause(11)}." for _ in range(5)))
    blocks.append("/// key-steps\n" + "\n".join(f"- **{w.title(1, 2)}**: {w.clause(12)}." for _ in range(5)) + "\n///")
    if number % 4 == 2:  # one lesson in four, inside the free preview
        blocks.append(f"```mermaid\n{flowchart(w, 'TD', True)}\n```")
        blocks.append(w.paragraph(40))
    blocks.append(w.paragraph(70))
    blocks.append(f"## {w.title()}")
    blocks.append(w.paragraph(90))
    blocks.append(f"### {w.title()}")
    blocks.append(w.paragraph(80))
    rows = [f"| {w.title(1, 2)} | {w.clause(7)} | {w.rng.randint(5, 95)}% |" for _ in range(5)]
    blocks.append("| Metric | What it tells you | Typical target |\n|---|---|---|\n" + "\n".join(rows))
    blocks.append(w.paragraph(70))
    section = 0
    while words_in("\n\n".join(blocks)) < BODY_WORDS - 130:
        section += 1
        blocks.append(f"{'##' if section % 2 else '###'} {w.title()}")
        blocks.append(w.paragraph(90))
        if section % 3 == 1:
            blocks.append("\n".join(f"{i}. {w.clause(10)}." for i in range(1, 5)))
        elif section % 3 == 2:
            blocks.append(f"/// tip\n{w.paragraph(30)}\n///")
    blocks.append("## Summary")
    blocks.append("\n".join(f"- {w.clause(9)}." for _ in range(4)))
    return f"---\n{dump(meta)}---\n\n" + "\n\n".join(blocks) + "\n"


def make_lessons(docs: Path, exercises: Path, lessons: int) -> None:
    courses = (lessons + LESSONS_PER_COURSE - 1) // LESSONS_PER_COURSE
    docs.mkdir(parents=True)
    home = Writer("home")
    (docs / "index.md").write_text(f"# Synthetic Courses\n\n{home.paragraph(80)}\n", encoding="utf-8")
    for c in range(courses):
        w = Writer(f"course-{c}")
        course_dir = docs / f"course-{c + 1:02d}"
        course_dir.mkdir(parents=True)
        count = min(LESSONS_PER_COURSE, lessons - c * LESSONS_PER_COURSE)
        titles = [Writer(f"title-{c}-{i}").title(3, 6) for i in range(count)]
        files = [f"l{i + 1:02d}-{slugify(t)[:40]}.md" for i, t in enumerate(titles)]
        course_title = f"Course {c + 1}: {w.title(2, 4)}"
        (course_dir / "index.md").write_text("---\n" + dump({
            "title": course_title,
            "summary": w.paragraph(30),
            "order": c + 1,
            "benefits": [w.clause(8) for _ in range(3)],
        }) + "---\n\n" + w.paragraph(120) + "\n", encoding="utf-8")
        for i in range(count):
            text = lesson(c, i, course_dir, exercises, titles, files)
            (course_dir / files[i]).write_text(text, encoding="utf-8")


# --- configurations -----------------------------------------------------------------------

PALETTE = """  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: indigo
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: indigo
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode
"""

MARKDOWN = """markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - footnotes
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:{fence}
  - pymdownx.blocks.admonition:
      types: [note, tip, warning, example, why-this-matters, key-steps]

validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""

# Mirrors the sample course's mkdocs.yml at the repository root.
COURSEFORGE_FEATURES = ["navigation.instant", "navigation.indexes", "navigation.prune", "navigation.footer",
                        "navigation.top", "search.highlight"]


@dataclass(frozen=True)
class Config:
    """One mkdocs configuration of a generated project."""

    file: str
    label: str

    def site(self, project: Path) -> Path:
        return project / "site" / self.file.removesuffix(".yml")


PUBLIC = Config("mkdocs.yml", "courseforge public")
PRO = Config("mkdocs-pro.yml", "courseforge pro")
PLAIN = Config("mkdocs-plain.yml", "plain Material")
STATIC = Config("mkdocs-static.yml", "courseforge public, diagrams: static")
NODIAGRAM = Config("mkdocs-nodiagram.yml", "courseforge public, diagrams: static, course without diagrams")
CONFIGS = (PUBLIC, PRO, PLAIN, STATIC, NODIAGRAM)


def courseforge_config(docs_dir: str, custom_dir: str, edition: str, diagrams: str | None = None) -> str:
    # `diagrams` is only written when set, so the default configurations build on any courseforge.
    diagrams_option = f"\n      diagrams: {diagrams}" if diagrams else ""
    return f"""site_name: Synthetic Courses
site_description: Generated lessons for courseforge's benchmarks.
site_url: {SITE_URL}
docs_dir: {docs_dir}

theme:
  name: material
  custom_dir: {custom_dir}
  font: false
  features: [{", ".join(COURSEFORGE_FEATURES)}]
{PALETTE}
plugins:
  - search
  - courseforge:
      edition: {edition}
      preview: 3
      words_per_minute: 230
      checkout_url: https://checkout.example.com/synthetic
      pro_site_url: https://pro.example.com/{diagrams_option}
  - mermaid2:
      arguments:
        securityLevel: strict

{MARKDOWN.format(fence="mermaid2.fence_mermaid_custom")}"""


def plain_config() -> str:
    """Plain Material in its fastest configuration, same Markdown, no courseforge, no mermaid2."""
    return f"""site_name: Synthetic Courses
site_description: Generated lessons for courseforge's benchmarks.
site_url: {SITE_URL}
docs_dir: lessons

theme:
  name: material
  font: false
  features: [navigation.prune]
{PALETTE}
plugins:
  - search

{MARKDOWN.format(fence="pymdownx.superfences.fence_code_format")}"""


FENCE = re.compile(r"^```mermaid$", re.MULTILINE)


class GenerateError(RuntimeError):
    """The course cannot be generated as the benchmark needs it."""


def without_diagrams(root: Path, visual_template: Path) -> None:
    """lessons-nodiagram/ and overrides-nodiagram/: the same course, every diagram a `text` fence."""
    shutil.copytree(root / "lessons", root / "lessons-nodiagram")
    for path in (root / "lessons-nodiagram").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(FENCE.sub("```text", text), encoding="utf-8")
    template = visual_template.read_text(encoding="utf-8")
    if "```mermaid" not in template:  # courseforge changed how visuals reach Mermaid: fail, do not mismeasure
        raise GenerateError(f"{visual_template} has no ```mermaid fence to turn into text")
    override = root / "overrides-nodiagram" / "courseforge" / "parts" / "visual.html"
    override.parent.mkdir(parents=True)
    override.write_text(template.replace("```mermaid", "```text"), encoding="utf-8")


def make_project(root: Path, lessons: int, visual_template: Path) -> Path:
    """A project folder with every configuration of CONFIGS; returns it."""
    if root.exists():
        shutil.rmtree(root)
    (root / "exercises").mkdir(parents=True)
    (root / "overrides").mkdir()
    make_lessons(root / "lessons", root / "exercises", lessons)
    without_diagrams(root, visual_template)
    (root / PUBLIC.file).write_text(courseforge_config("lessons", "overrides", "public"))
    (root / PRO.file).write_text(courseforge_config("lessons", "overrides", "pro"))
    (root / PLAIN.file).write_text(plain_config())
    (root / STATIC.file).write_text(courseforge_config("lessons", "overrides", "public", "static"))
    (root / NODIAGRAM.file).write_text(
        courseforge_config("lessons-nodiagram", "overrides-nodiagram", "public", "static"))
    return root
