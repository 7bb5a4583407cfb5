"""The body map widget, kept importable here: it lives in :mod:`bodymap.widgets.map.view`."""

from bodymap.widgets.map.view import MARK_MODES, BodyMapView

__all__ = ["MARK_MODES", "BodyMapView"]
