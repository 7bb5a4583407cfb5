"""The one bridge from bodymap's interface language to Qt.

:func:`bodymap.i18n.set_language` tells its listeners; in the window there is exactly one,
:class:`LanguageBridge`. It installs Qt's own translation of its standard texts (Save /
Discard / Cancel, file dialogs, context menus: ``qtbase_<lang>.qm``) and then sends one
``QEvent.LanguageChange`` to every window. Qt hands that event down to every child widget, whose
``changeEvent`` retranslates it (:class:`~bodymap.widgets.accessible.RetranslatesOnLanguageChange`).
No widget listens to :mod:`bodymap.i18n` itself, so a switch retranslates each widget once.

Installing or removing a ``QTranslator`` makes Qt announce a ``LanguageChange`` of its own (and
none when no ``.qm`` file is found); while the bridge swaps translators it holds that one back
and sends its own, synchronously, whatever Qt found.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTranslator
from PySide6.QtWidgets import QApplication

from bodymap import i18n

__all__ = ["LanguageBridge", "install_language_bridge", "load_qt_translation",
           "qt_translations_dir", "remove_language_bridge"]


def qt_translations_dir() -> Path:
    """The folder of Qt's own ``.qm`` files (PySide6's, also inside the frozen bundle)."""
    from PySide6.QtCore import QLibraryInfo

    candidates = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        import PySide6

        candidates.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    except (ImportError, TypeError):
        pass
    for folder in candidates:
        if (folder / "qtbase_ru.qm").is_file():
            return folder
    return candidates[0]


def load_qt_translation(lang: str) -> QTranslator | None:
    """A QTranslator with ``qtbase_<lang>.qm``, or None (English needs none, or no file)."""
    if lang == "en":
        return None
    translator = QTranslator()
    if translator.load(f"qtbase_{lang}", str(qt_translations_dir())):
        return translator
    return None


class LanguageBridge(QObject):
    """Follows :mod:`bodymap.i18n`: Qt's translator, then one ``LanguageChange`` per window."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.setObjectName("languageBridge")
        self._app = app
        self._translator: QTranslator | None = None
        self._swapping = False
        self._unlisten: Callable[[], None] = i18n.on_language_changed(self._changed)
        self._set_translator(i18n.language())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """While translators are swapped: Qt's own LanguageChange is held back."""
        return self._swapping and event.type() == QEvent.Type.LanguageChange

    def remove(self) -> None:
        """Stop following the language; Qt's texts go back to English."""
        self._unlisten()
        self._set_translator("en")

    def _changed(self, lang: str) -> None:
        self._set_translator(lang)
        announce_language_change()

    def _set_translator(self, lang: str) -> None:
        self._app.installEventFilter(self)
        self._swapping = True
        try:
            if self._translator is not None:
                self._app.removeTranslator(self._translator)
                self._translator = None
            translator = load_qt_translation(lang)
            if translator is not None:
                self._app.installTranslator(translator)
                self._translator = translator
        finally:
            self._swapping = False
            self._app.removeEventFilter(self)


def announce_language_change() -> None:
    """Send one ``LanguageChange`` to every window that has no parent; Qt passes it on to its
    children (child windows included), each exactly once."""
    if not isinstance(QCoreApplication.instance(), QApplication):
        return
    for widget in QApplication.topLevelWidgets():
        if widget.parentWidget() is None:
            QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))


_bridge: LanguageBridge | None = None


def install_language_bridge(app: QCoreApplication | None = None) -> LanguageBridge | None:
    """Install the bridge once per application (again: it is returned as it is). None without
    an application."""
    global _bridge
    app = app or QCoreApplication.instance()
    if app is None:
        return None
    if _bridge is None or _bridge.parent() is not app:
        if _bridge is not None:
            _bridge.remove()
        _bridge = LanguageBridge(app)
    return _bridge


def remove_language_bridge() -> None:
    """Undo :func:`install_language_bridge` (tests)."""
    global _bridge
    if _bridge is not None:
        _bridge.remove()
        _bridge.deleteLater()
        _bridge = None
