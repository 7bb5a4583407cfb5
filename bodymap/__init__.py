"""bodymap: an offline desktop guide to therapeutic back massage.

Everything in this package except ``bodymap.widgets`` is pure logic and never imports Qt or
pyqtgraph (tests/test_architecture.py enforces it).
"""

__version__ = "0.1.0"
