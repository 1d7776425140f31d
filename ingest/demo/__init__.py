"""The sample news site served by `newsfacts demo`."""

from ingest.demo.server import DemoSite, load_manifest

__all__ = ["DemoSite", "load_manifest"]
