"""地域づくりワークショップキット: the library behind the kit's Voilà notebooks."""

__version__ = "0.1.0"
