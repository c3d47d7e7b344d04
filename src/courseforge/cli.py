"""The `courseforge` command: scaffold, check, build, link-check and audit a course.

Exit codes: 0 success; 1 problems found (author errors, failed build, broken links, leaks);
2 wrong usage (unknown command, missing mkdocs.yml, existing file for `new`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from .audit import audit
from .core.scaffold import new_course, new_lesson, new_site
from .linkcheck import LinkcheckError, broken_links
from .project import Checked, Project, ProjectError, check_course, find_config, load_project

OK, PROBLEMS, USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.run is _new_site:  # the one command that makes a project rather than reading one
        return _new_site(args)
    try:
        return args.run(load_project(find_config(args.config), getattr(args, "edition", None)), args)
    except ProjectError as error:
        print(f"courseforge: {error}", file=sys.stderr)
        return USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="courseforge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    config_help = "the course's mkdocs.yml (default: mkdocs.yml or properdocs.yml)"
    parser.add_argument("-f", "--config", help=config_help)
    # Also after the command (`courseforge audit site -f other.yml`); absent there, the one before stands.
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("-f", "--config", default=argparse.SUPPRESS, help=config_help)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    new = commands.add_parser("new", help="create a site, course or lesson from a commented template")
    kinds = new.add_subparsers(required=True, metavar="KIND")
    site = kinds.add_parser("site", help="a complete course project in DIR: settings, a first course, CI")
    site.add_argument("dir", type=Path)
    site.add_argument("--title", help="the site's name (default: from DIR)")
    site.set_defaults(run=_new_site)
    course = kinds.add_parser("course", help="lessons/SLUG/index.md", parents=[project])
    course.add_argument("slug")
    course.add_argument("--title")
    course.set_defaults(run=_new_course)
    lesson = kinds.add_parser("lesson", help="lessons/COURSE/<slug of TITLE>.md", parents=[project])
    lesson.add_argument("course")
    lesson.add_argument("title")
    lesson.set_defaults(run=_new_lesson)

    check = commands.add_parser("check", parents=[project],
                                help="validate every lesson, course page and exercise (no build)")
    check.add_argument("--strict", action="store_true", help="treat warnings (likely mistakes) as problems")
    check.set_defaults(run=_check)

    build = commands.add_parser("build", parents=[project],
                                help="build one edition strictly, replacing the site only on success")
    build.add_argument("--edition", choices=("public", "pro"), default=None,
                       help="default: the edition set in mkdocs.yml")
    build.add_argument("--site-dir", type=Path, help="default: site_dir, or site_dir-pro for the pro edition")
    build.add_argument("--linkcheck", action="store_true", help="link-check the built site too")
    build.set_defaults(run=_build)

    links = commands.add_parser("linkcheck", parents=[project],
                                help="check every internal link and anchor of a built site (lychee)")
    links.add_argument("site_dir", nargs="?", type=Path)
    links.add_argument("--external", action="store_true", help="also check links to other sites (needs a network)")
    links.set_defaults(run=_linkcheck)

    gate = commands.add_parser("audit", parents=[project],
                               help="fail if any locked text or file appears in a built public site")
    gate.add_argument("site_dir", type=Path)
    gate.add_argument("--pro", type=Path, metavar="PRO_SITE_DIR",
                      help="the pro edition built from the same sources (default: build it into a temporary folder)")
    gate.set_defaults(run=_audit)
    return parser


def _load(project: Project) -> Checked | None:
    """The course as a build would load it, in every language, or None after printing every author error."""
    try:
        checked = check_course(project)
    except PluginError as error:
        for problem in project.plugin.problems:
            print(problem)
        count = len(project.plugin.problems)
        print(f"{_count(count, 'problem')} found." if count else str(error), file=sys.stderr)
        return None
    for warning in checked.warnings:
        print(f"warning: {warning}")
    return checked


def _new_site(args: argparse.Namespace) -> int:
    try:
        created = new_site(args.dir, args.title)
    except (OSError, ValueError) as error:  # existing files, a folder that is a file, a bad title
        print(f"courseforge: {error}", file=sys.stderr)
        return USAGE
    print(f"created a course project in {args.dir} ({_count(len(created), 'file')}). Next:")
    print(f"  cd {args.dir} && mkdocs serve        # preview on http://127.0.0.1:8000")
    print("  courseforge new lesson first-course \"Your next lesson\"")
    return OK


def _new_course(project: Project, args: argparse.Namespace) -> int:
    return _create(lambda: new_course(project.docs_dir, args.slug, args.title))


def _new_lesson(project: Project, args: argparse.Namespace) -> int:
    return _create(lambda: new_lesson(project.docs_dir, args.course, args.title))


def _create(make) -> int:
    try:
        print(f"created {make()}")
    except (OSError, ValueError) as error:  # existing file, no such course, a bad title or slug
        print(f"courseforge: {error}", file=sys.stderr)
        return USAGE
    return OK


def _check(project: Project, args: argparse.Namespace) -> int:
    checked = _load(project)
    if checked is None:
        return PROBLEMS
    if args.strict and checked.warnings:
        print(f"{_count(len(checked.warnings), 'warning')} found (--strict).", file=sys.stderr)
        return PROBLEMS
    print(f"ok: {_count(checked.courses, 'course')}, {_count(checked.lessons, 'lesson')}")
    return OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _build(project: Project, args: argparse.Namespace) -> int:
    from .build import build_edition  # imports MkDocs: only when building

    edition = project.edition
    site_dir = args.site_dir or (project.site_dir if edition == "public" else
                                 project.site_dir.with_name(project.site_dir.name + "-pro"))
    if site_dir.resolve().is_relative_to(project.docs_dir.resolve()):
        # MkDocs refuses it too, naming the temporary folder courseforge builds into instead.
        print(f"courseforge: {site_dir} is inside the docs folder {project.docs_dir}: the site would be "
              "read as pages of itself; build it elsewhere", file=sys.stderr)
        return USAGE
    print(f"building the {edition} edition into {site_dir} ...", flush=True)
    started = time.perf_counter()
    if not build_edition(project.config_file, edition, site_dir.resolve()):
        print(f"build failed; {site_dir} was left as it was", file=sys.stderr)
        return PROBLEMS
    print(f"built in {time.perf_counter() - started:.1f} s")
    if args.linkcheck:
        return _run_lychee(project, site_dir, external=False)
    return OK


def _linkcheck(project: Project, args: argparse.Namespace) -> int:
    return _run_lychee(project, args.site_dir or project.site_dir, args.external)


def _run_lychee(project: Project, site_dir: Path, external: bool) -> int:
    """Check a built site's final HTML with lychee; report each broken link at its Markdown source."""
    print(f"checking links in {site_dir} ({'with' if external else 'without'} external links) ...", flush=True)
    try:
        total, broken = broken_links(site_dir, external)
    except LinkcheckError as error:
        print(f"courseforge: {error}", file=sys.stderr)
        return USAGE
    sources, exercises = project.page_sources(), sorted(project.exercises_dir.glob("*.yml"))
    for link in broken:
        print(link.located(sources, exercises, project.display))
    if broken:
        print(f"{_count(len(broken), 'broken link')} in {site_dir}", file=sys.stderr)
        return PROBLEMS
    print(f"ok: {_count(total, 'link')} checked, none broken")
    return OK


def _audit(project: Project, args: argparse.Namespace) -> int:
    """The deploy gate. It compares the public site with the pro edition and scans the sources,
    without the code that made the cut (see courseforge/audit.py)."""
    settings = audit_settings(project)  # first: a project it cannot read stops here, before any pro build
    for site in (args.site_dir, args.pro):
        if site is not None and not (site / "index.html").is_file():
            print(f"courseforge: {site} is not a built site (no index.html)", file=sys.stderr)
            return USAGE
    with tempfile.TemporaryDirectory(prefix="courseforge-audit-") as scratch:
        pro = args.pro or _build_pro(project, Path(scratch) / "pro")
        if pro is None:
            return PROBLEMS
        findings = audit(args.site_dir, pro, project.docs_dir, **settings)
    for finding in findings:
        print(f"{finding.kind}: {finding}")
    if findings:
        print(f"{_count(len(findings), 'problem')}: do not publish {args.site_dir}", file=sys.stderr)
        return PROBLEMS
    print(f"ok: no locked text or file in {args.site_dir}")
    return OK


def audit_settings(project: Project) -> dict[str, Any]:
    """What the audit needs from mkdocs.yml, read here with MkDocs: the audit itself reads no configuration."""
    config = project.plugin.config
    return {"preview_minutes": config.preview, "words_per_minute": config.words_per_minute,
            "include_paths": _snippet_paths(project)}


def _snippet_paths(project: Project) -> list[Path]:
    """pymdownx.snippets' base paths, if the site uses it. The extension reads them from the working
    folder, which is the project's folder in a usual build; both are followed."""
    if "pymdownx.snippets" not in project.config.markdown_extensions:
        return []
    base = project.config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
    bases = [base] if isinstance(base, str) else list(base)
    return list(dict.fromkeys(folder for name in bases for folder in (project.root / name, Path(name).resolve())))


def _build_pro(project: Project, site_dir: Path) -> Path | None:
    from .build import build_edition  # imports MkDocs' build: only when building

    print("building the pro edition to compare with ...", flush=True)
    if not build_edition(project.config_file, "pro", site_dir):
        print("courseforge: the pro edition does not build; fix that first", file=sys.stderr)
        return None
    return site_dir


if __name__ == "__main__":
    sys.exit(main())
