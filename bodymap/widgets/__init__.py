"""Every Qt class of bodymap lives in this package (the rest of bodymap is Qt-free)."""
