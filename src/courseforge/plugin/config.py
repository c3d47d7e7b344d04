"""Plugin options in mkdocs.yml, validated with MkDocs' own config machinery."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config

from ..core.edition import EDITIONS, Settings
from .mermaid import MODES as DIAGRAM_MODES

DEFAULT_BENEFITS = [
    "Every lesson in full, with its implementation playbook",
    "All visuals, real-world examples and exercises",
    "Downloadable cheat sheets and templates",
    "One-time purchase with lifetime access and updates",
]
# Files a static host reads though no page links them; the public edition keeps them.
HOST_FILES = ["CNAME", "robots.txt", "favicon.ico", "_headers", "_redirects", ".well-known/**"]


class CourseforgeConfig(Config):
    enabled = opt.Type(bool, default=True)
    # `public`: preview + paywall, no locked text in the site; `pro`: everything, for buyers.
    edition = opt.Choice(EDITIONS, default="public")
    words_per_minute = opt.Type(int, default=Settings.words_per_minute)
    # Default free preview length in reading minutes; a lesson's `preview` overrides it.
    preview = opt.Type((int, float), default=Settings.preview_minutes)
    checkout_url = opt.Optional(opt.URL())
    # Where the pro edition is hosted; the paywall links "Already have access?" there.
    pro_site_url = opt.Optional(opt.URL())
    benefits = opt.ListOfItems(opt.Type(str), default=DEFAULT_BENEFITS)
    # Folder of exercises/<id>.yml, relative to mkdocs.yml.
    exercises_dir = opt.Type(str, default="exercises")
    # Keep proven cuts under .cache/courseforge between builds (by content hash; see core/cache.py).
    cache = opt.Type(bool, default=True)
    # Files of docs_dir the public edition publishes though no published page refers to them (globs).
    public_files = opt.ListOfItems(opt.Type(str), default=HOST_FILES)
    # `client`: Mermaid draws diagrams in the browser, loaded when one comes near the viewport;
    # `static`: drawn to SVG at build time and inlined, so pages load no Mermaid (see mermaid.py).
    diagrams = opt.Choice(DIAGRAM_MODES, default="client")

    @property
    def settings(self) -> Settings:
        return Settings(self.words_per_minute, self.preview)
