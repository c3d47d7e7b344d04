"""Plugin options in mkdocs.yml, validated with MkDocs' own config machinery."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config, ValidationError

from ..core.edition import EDITIONS, Settings
from ..core.i18n import override_problems
from ..core.problems import did_you_mean
from ..core.schema import is_finite, shown_number
from .mermaid import MODES as DIAGRAM_MODES

# Files a static host reads though no page links them; the public edition keeps them.
HOST_FILES = ["CNAME", "robots.txt", "favicon.ico", "_headers", "_redirects", ".well-known/**"]


class StringOverrides(opt.Type):
    """`strings:` — every unknown key or wrong value reported at once, with a did-you-mean."""

    def __init__(self) -> None:
        super().__init__(dict, default={})

    def run_validation(self, value: object) -> dict:
        value = super().run_validation(value)
        problems = override_problems(value)
        if problems:
            raise ValidationError("\n".join(problems))
        return value


class Number(opt.Type):
    """A finite number, at least `least` (or above it, `strictly`): NaN compares false with
    everything, so `preview: .nan` would lock nothing, and 0 words a minute divides by zero."""

    def __init__(self, kind: type | tuple[type, ...], default: float, least: float, strictly: bool = False) -> None:
        super().__init__(kind, default=default)
        self.least, self.strictly = least, strictly

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool):  # a YAML `true` is an int to Python
            raise ValidationError(f"Expected a number but received: {value!r}")
        value = super().run_validation(value)
        if not is_finite(value) or value < self.least or (self.strictly and value == self.least):
            bound = "above" if self.strictly else "at least"
            raise ValidationError(f"must be a finite number {bound} {self.least:g}; got {shown_number(value)}")
        return value


class CourseforgeConfig(Config):
    enabled = opt.Type(bool, default=True)
    # `public`: preview + paywall, no locked text in the site; `pro`: everything, for buyers.
    edition = opt.Choice(EDITIONS, default="public")
    words_per_minute = Number(int, Settings.words_per_minute, least=0, strictly=True)
    # Default free preview length in reading minutes; a lesson's `preview` overrides it.
    preview = Number((int, float), Settings.preview_minutes, least=0)
    checkout_url = opt.Optional(opt.URL())
    # Where the pro edition is hosted; the paywall links "Already have access?" there.
    pro_site_url = opt.Optional(opt.URL())
    # Unset: the paywall lists the benefits of the site language's table (`paywall_benefits`).
    benefits = opt.Optional(opt.ListOfItems(opt.Type(str)))
    # The author's wording for any learner-facing string, by key (see translations/en.yml).
    strings = StringOverrides()
    # Folder of exercises/<id>.yml, relative to mkdocs.yml.
    exercises_dir = opt.Type(str, default="exercises")
    # Keep proven cuts, drawn diagrams and page renders under .cache/courseforge between builds
    # (by content hash; see core/cache.py, plugin/stored.py).
    cache = opt.Type(bool, default=True)
    # Files of docs_dir the public edition publishes though no published page refers to them (globs).
    public_files = opt.ListOfItems(opt.Type(str), default=HOST_FILES)
    # `client`: Mermaid draws diagrams in the browser, loaded when one comes near the viewport;
    # `static`: drawn to SVG at build time and inlined, so pages load no Mermaid (see mermaid.py).
    diagrams = opt.Choice(DIAGRAM_MODES, default="client")

    def validate(self):
        """A misspelt option is an error, not MkDocs' warning: `previwe: 0.5` would otherwise build
        the public edition with the default preview, publishing more than the author meant."""
        failed, warnings = super().validate()
        for key in sorted(set(self.keys()) - self._schema_keys):
            failed.append((key, ValidationError(f"unknown option{did_you_mean(key, self._schema_keys)}")))
        return failed, [(key, message) for key, message in warnings if key in self._schema_keys]

    @property
    def settings(self) -> Settings:
        return Settings(self.words_per_minute, self.preview)
