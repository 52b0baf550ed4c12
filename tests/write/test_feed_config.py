"""[site] validation: what Apple and podcast apps would reject is refused at load time."""
from __future__ import annotations

from pathlib import Path

import pytest

from publisher.config import SiteConfig, load_config, validate_site
from publisher.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "publisher.toml.example"


def load_site(tmp_path: Path, body: str):
    path = tmp_path / "publisher.toml"
    path.write_text("[site]\n" + body, encoding="utf-8")
    return load_config(path).site


def test_the_shipped_example_loads_and_matches_the_defaults():
    config = load_config(EXAMPLE)
    assert config.site == SiteConfig()


def test_a_valid_site_loads(tmp_path):
    site = load_site(tmp_path, 'category = "Society & Culture"\nsubcategory = "Documentary"\n'
                               'explicit = true\nowner_email = "desk@news.example.org"\nlanguage = "en-GB"\n')
    assert (site.category, site.subcategory, site.explicit) == ("Society & Culture", "Documentary", True)


def test_a_category_without_subcategories(tmp_path):
    site = load_site(tmp_path, 'category = "Technology"\n')
    assert (site.category, site.subcategory) == ("Technology", None)  # not the default "Daily News"
    with pytest.raises(ConfigError, match="has no subcategories"):
        load_site(tmp_path, 'category = "Technology"\nsubcategory = "Gadgets"\n')


@pytest.mark.parametrize("body, message", [
    ('category = "Newz"\n', r"'Newz' is not an Apple Podcasts category \(did you mean 'News'\?\)"),
    ('category = "News"\nsubcategory = "Design"\n', "'Design' is not under 'News'"),
    ('explicit = "no"\n', "explicit must be true or false"),
    ('locked = "yes"\n', "locked must be true or false"),
    ('remote_images = 1\n', "remote_images must be true or false"),
    ('owner_email = "desk at example.org"\n', "owner_email does not look like an email"),
    ('language = "English"\n', "language must be a language tag"),
    ('feed_type = "daily"\n', "feed_type must be one of episodic, serial"),
    ('title = "  "\n', "title must be a non-empty string"),
])
def test_invalid_site_values_name_the_file_and_the_key(tmp_path, body, message):
    with pytest.raises(ConfigError, match=message) as caught:
        load_site(tmp_path, body)
    assert str(caught.value).startswith(str(tmp_path / "publisher.toml") + ": [site] ")


def test_validate_site_accepts_the_defaults():
    validate_site(SiteConfig())
