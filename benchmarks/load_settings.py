"""The production settings, with one more address for the load benchmark: a minimal
Django view, the ceiling each page is measured against."""

from scrutiny.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load_urls"
