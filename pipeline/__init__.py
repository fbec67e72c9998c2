"""ilmio: an offline pipeline that finds recurring social phenomena in Finnish social-services text."""

__version__ = "0.1.0"
