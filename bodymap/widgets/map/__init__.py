"""The body map: one painter for the screen and the handout.

* ``context``: pens, words and text for one paint (screen: cosmetic; print: vectors);
* ``layers``: one class per concern (outline, zones, glow, body, roles, no-touch, landmarks,
  marks, guides, labels); ``legend``: the legend column and the swatches the handout shares;
* ``painter``: paints a :class:`bodymap.map_scene.MapScene` through the layers onto any
  QPainter (:func:`paint_map` for print);
* ``trails``: the moving stroke trails; ``view``: :class:`BodyMapView` on screen;
* ``qtgeom``: numpy and shapely to Qt.
"""
