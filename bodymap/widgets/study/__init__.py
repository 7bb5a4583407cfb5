"""Study mode: the widget, one card per drill kind, the summary page and the study map."""

from bodymap.widgets.study.map import StudyMapView
from bodymap.widgets.study.widget import StudyWidget

__all__ = ["StudyMapView", "StudyWidget"]
