"""The window's course records: the records controller and its views (patients, today's visit,
the course, two visits compared). The pure part is ``bodymap.records``."""
