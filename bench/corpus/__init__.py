"""A synthetic trade-press site for benchmarks: article pages in nl, fr, de and en, built
from our own sentence templates and the knowledge base, served with RSS feeds."""

from bench.corpus.articles import CorpusArticle, build_article
from bench.corpus.site import FEED_SIZE, CorpusSite

__all__ = ["FEED_SIZE", "CorpusArticle", "CorpusSite", "build_article"]
