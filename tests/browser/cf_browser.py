"""Small helpers shared by the browser tests."""

from __future__ import annotations

import json
import re

KEY = "courseforge:v1"
HINTS = re.compile(r'data-cf-hints[^>]*>(.*?)</div>', re.S)
UNRESOLVED = "pre.cf-mermaid[data-cf-diagram]:not([data-cf-state=failed])"


def hint_counts(html: str) -> list[int]:
    """How many hints each hints box of a page has."""
    return [box.count('<details class="cf-hint"') for box in HINTS.findall(html)]


def scroll_through(page, step: int = 500) -> None:
    """Scroll from top to bottom like a reader, so lazy features near the viewport start."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + step, step):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(30)


def reveal_diagrams(page) -> int:
    """Scroll each diagram that has not started drawing into view, one after the other."""
    shown = 0
    for _ in range(200):
        found = page.evaluate("""() => {
            const pre = document.querySelector('pre.cf-mermaid[data-cf-diagram]:not([data-cf-state])');
            if (pre) pre.scrollIntoView({block: 'center'});
            return !!pre;
        }""")
        if not found:
            break
        shown += 1
        page.wait_for_timeout(60)
    return shown


def wait_for_diagrams(page, timeout: float = 20_000) -> None:
    """Every diagram of the page is drawn (or has failed visibly)."""
    page.wait_for_function(f"!document.querySelector({UNRESOLVED!r})", timeout=timeout)


def stored(page) -> dict | None:
    raw = page.evaluate(f"localStorage.getItem({KEY!r})")
    return None if raw is None else json.loads(raw)


def mark_with(page, selector: str, script: str, name: str = "data-test-target") -> str:
    """Tag the first element of `selector` for which the JS predicate `script` (given `el`) is true."""
    found = page.evaluate(
        "([selector, name]) => { const el = [...document.querySelectorAll(selector)].find(el => (" + script + "));"
        " if (!el) return false; el.setAttribute(name, ''); return true; }", [selector, name])
    assert found, f"no {selector} matching {script}"
    return f"[{name}]"


def same_url(page, href: str, target: str) -> bool:
    """Whether `href` (as written on the page) resolves to the absolute URL `target`."""
    return page.evaluate("([h, t]) => new URL(h, location.href).href === new URL(t).href", [href, target])


# --- colours, as WCAG compares them ---------------------------------------------------------

def rgba(css: str) -> tuple[float, ...]:
    values = [float(v) for v in re.findall(r"[\d.]+", css)]
    return (*values[:3], values[3] if len(values) > 3 else 1.0)


def blend(top: tuple[float, ...], under: tuple[float, ...]) -> tuple[float, ...]:
    alpha = top[3]
    return (*(t * alpha + u * (1 - alpha) for t, u in zip(top[:3], under[:3], strict=True)), 1.0)


def contrast(one: tuple[float, ...], two: tuple[float, ...]) -> float:
    def luminance(colour):
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour[:3]]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
