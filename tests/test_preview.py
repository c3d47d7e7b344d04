"""The preview cutoff rules, on the plain-Python core."""

from pathlib import Path

import pytest

from courseforge.core.loader import Loader
from courseforge.core.model import Lesson
from courseforge.core.preview import Settings, view

SETTINGS = Settings(words_per_minute=100, preview_minutes=1)


def words(count: int, prefix: str = "w") -> str:
    return " ".join(f"{prefix}{i}" for i in range(count))


def lesson_from(tmp_path: Path, body: str, **front) -> Lesson:
    course = tmp_path / "docs" / "c"
    course.mkdir(parents=True, exist_ok=True)
    (course / "index.md").write_text("---\ntitle: C\nsummary: S\n---\n")
    lines = ["title: L", "summary: S", *(f"{k}: {v}" for k, v in front.items())]
    (course / "l.md").write_text("---\n" + "\n".join(lines) + "\n---\n" + body)
    loader = Loader(tmp_path / "docs", tmp_path / "exercises", tmp_path)
    catalog = loader.load()
    assert loader.problems == []
    return catalog.lessons()[0]


def visible_text(lesson_view) -> str:
    return "\n\n".join(s.text for s in lesson_view.visible)


def test_marker_ends_the_preview_exactly_there(tmp_path):
    lesson = lesson_from(tmp_path, "free part\n\n<!-- pro -->\n\nlocked part\n", preview=30)
    public = view(lesson, "public", SETTINGS)
    assert visible_text(public) == "free part"
    assert [s.text for s in public.locked] == ["locked part"]


def test_first_pro_section_heading_ends_the_preview(tmp_path):
    body = "intro\n\n## Open\n\nopen text\n\n## Secret\n\nsecret text\n\n## Later\n\nlater\n"
    lesson = lesson_from(tmp_path, body, preview=30, pro_sections="[secret]")
    public = view(lesson, "public", SETTINGS)
    assert visible_text(public) == "intro\n\n## Open\n\nopen text"
    assert [item.title for item in public.outline] == ["Secret", "Later"]


def test_minutes_cut_at_the_block_boundary_where_time_is_reached(tmp_path):
    # 100 words per minute, 1 minute of preview: the second paragraph reaches it.
    body = f"{words(60, 'a')}\n\n{words(60, 'b')}\n\n{words(60, 'c')}\n"
    public = view(lesson_from(tmp_path, body), "public", SETTINGS)
    assert visible_text(public) == f"{words(60, 'a')}\n\n{words(60, 'b')}"
    assert public.preview_minutes == 1


@pytest.mark.parametrize("block", [
    "- item\n- item\n\n- " + words(200, "l"),
    "| a |\n|---|\n| " + words(200, "t") + " |",
    "```python\n" + words(200, "c") + "\n\nmore\n```",
    "!!! note\n    " + words(200, "n") + "\n\n    " + words(10, "m"),
    "/// key-steps\n" + words(200, "k") + "\n\n- step\n///",
    "```mermaid\nflowchart TD\n  accTitle: T\n  A --> B\n\n  B --> C\n```",
])
def test_never_splits_a_block(tmp_path, block):
    # The 1-minute limit is reached inside `block`: the preview takes it whole.
    public = view(lesson_from(tmp_path, f"{words(95)}\n\n{block}\n\n{words(300, 'r')}\n"), "public", SETTINGS)
    assert [s.text for s in public.visible] == [words(95), block]
    assert [s.text for s in public.locked] == [words(300, "r")]


def test_never_ends_on_a_bare_heading(tmp_path):
    body = f"{words(100)}\n\n## Next section\n\n{words(50, 'z')}\n"
    # The limit is reached exactly at the first paragraph: the heading goes with its section.
    public = view(lesson_from(tmp_path, body), "public", SETTINGS)
    assert visible_text(public) == words(100)
    body = f"{words(10)}\n\n## Heading then marker\n\n<!-- pro -->\n\nlocked\n"
    public = view(lesson_from(tmp_path, body, preview=30), "public", SETTINGS)
    assert visible_text(public) == words(10)
    assert public.outline[0].title == "Heading then marker"


def test_free_lessons_and_the_pro_edition_show_everything(tmp_path):
    body = "a\n\n<!-- pro -->\n\nb\n"
    for lesson, edition in [(lesson_from(tmp_path / "1", body, access="free"), "public"),
                            (lesson_from(tmp_path / "2", body), "pro")]:
        shown = view(lesson, edition, SETTINGS)
        assert not shown.is_locked
        assert visible_text(shown) == "a\n\nb"  # the marker itself is never shown


def test_preview_zero_locks_everything(tmp_path):
    public = view(lesson_from(tmp_path, "only paragraph\n", preview=0), "public", SETTINGS)
    assert public.visible == [] and public.is_locked


def test_footnotes_follow_their_references(tmp_path):
    body = "open[^a]\n\n<!-- pro -->\n\nclosed[^b]\n\n[^a]: public note\n[^b]: locked note\n"
    public = view(lesson_from(tmp_path, body, preview=30), "public", SETTINGS)
    assert [d.key for d in public.definitions] == ["^a"]
    assert [d.key for d in public.locked_definitions] == ["^b"]


def test_locked_minutes_and_counts_cover_parts(tmp_path):
    body = f"{words(100)}\n\n## Locked\n\n{words(400, 'k')}\n\n```mermaid\nflowchart TD\n  accTitle: x\n  A-->B\n```\n"
    public = view(lesson_from(tmp_path, body), "public", SETTINGS)
    assert public.locked_minutes == 4  # 400 words at 100 wpm plus 12 s for the diagram, rounded
    assert public.locked_sections == 1 and public.locked_diagrams == 1
    assert public.total_minutes == 5
