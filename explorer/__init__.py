"""Forum API Explorer: explore, debug and learn the Discourse and Disqus 1.1 APIs."""

__version__ = "0.1.0"
