"""Plugin options in mkdocs.yml, validated with MkDocs' own config machinery."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config

from ..core.preview import EDITIONS

DEFAULT_BENEFITS = [
    "Every lesson in full, with its implementation playbook",
    "All visuals, real-world examples and exercises",
    "Downloadable cheat sheets and templates",
    "One-time purchase with lifetime access and updates",
]


class CourseforgeConfig(Config):
    enabled = opt.Type(bool, default=True)
    # `public`: preview + paywall, no locked text in the site; `pro`: everything, for buyers.
    edition = opt.Choice(EDITIONS, default="public")
    words_per_minute = opt.Type(int, default=230)
    # Default free preview length in reading minutes; a lesson's `preview` overrides it.
    preview = opt.Type((int, float), default=3)
    checkout_url = opt.Optional(opt.URL())
    # Where the pro edition is hosted; the paywall links "Already have access?" there.
    pro_site_url = opt.Optional(opt.URL())
    benefits = opt.ListOfItems(opt.Type(str), default=DEFAULT_BENEFITS)
    # Folder of exercises/<id>.yml, relative to mkdocs.yml.
    exercises_dir = opt.Type(str, default="exercises")
