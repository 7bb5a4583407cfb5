"""bodymap: an offline desktop guide to therapeutic back massage.

Everything in this package except ``bodymap.widgets`` is pure logic and never imports Qt or
pyqtgraph (tests/test_architecture.py enforces it).

``bodymap.__version__`` comes from the package metadata, computed on first use
(see :mod:`bodymap.version`).
"""


def __getattr__(name: str) -> str:
    if name == "__version__":
        from bodymap.version import version

        return version()
    raise AttributeError(f"module 'bodymap' has no attribute {name!r}")
