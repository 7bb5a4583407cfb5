"""One table of the window's actions: it builds the menus, the shortcuts, the tooltips and the
retranslation, and lists the shortcuts for Help -> Keyboard shortcuts.

Each :class:`ActionSpec` names its text key (``action.<key>`` and ``action.<key>_tip`` in
``bodymap/i18n/strings``), its shortcut, what it runs (a dotted path from the main window, e.g.
``"documents.save"``, resolved when triggered, after the window has loaded its data) and when it
is enabled. Menus are lists of action keys plus a few slots the window fills itself
(``@recent``, ``@marks``, ``@docks``, ``@language``) and ``-`` for a separator.

Shortcuts are set after the first paint (:meth:`ActionTable.install_shortcuts`): the first
``setShortcut`` makes PySide6 create every ``Qt.*`` enum, which costs more than a bare window's
first paint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from bodymap import i18n
from bodymap.i18n import tr

MARK_MODES = ("hernia", "pain", "lesion")


@dataclass(frozen=True)
class ActionSpec:
    key: str  # text keys action.<key>, action.<key>_tip; objectName "act" + CamelCase
    run: str  # dotted path from the main window, called with no arguments
    shortcut: str | None = None  # "Ctrl+E", or "std:Save" for a platform standard key
    enabled: str = "always"  # "always" | "ready" (data loaded) | "plan" (a plan exists)
    role: str | None = None  # QAction.MenuRole name, e.g. "QuitRole"
    listed: bool = True  # shown in the shortcuts table
    loads: bool = True  # loads the protocols and the drawing first (if not yet loaded)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new", "documents.new_document", "std:New"),
    ActionSpec("open", "documents.open_document", "std:Open"),
    ActionSpec("save", "documents.save", "std:Save", enabled="plan"),
    ActionSpec("save_as", "documents.save_as", "Ctrl+Shift+S", enabled="plan"),
    ActionSpec("export", "documents.export_handout", "Ctrl+E", enabled="plan"),
    ActionSpec("quit", "close", "Ctrl+Q", role="QuitRole", loads=False),
    ActionSpec("mark_all_no", "panel.mark_all_no", listed=False),
    ActionSpec("reload_protocols", "reload_protocols", "Ctrl+R", listed=False),
    ActionSpec("protocol_folder", "open_protocol_folder", listed=False),
    ActionSpec("presentation", "enter_presentation", "F5", enabled="ready"),
    ActionSpec("study", "open_study", "Ctrl+T", enabled="ready"),
    ActionSpec("reset_layout", "reset_layout", enabled="ready", listed=False),
    ActionSpec("shortcuts", "show_shortcuts", "F1", loads=False),
    ActionSpec("about", "show_about", role="AboutRole", listed=False, loads=False),
)

MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("file", ("new", "open", "@recent", "-", "save", "save_as", "-", "export", "-", "quit")),
    ("patient", ("mark_all_no", "-", "@marks")),
    ("protocols", ("reload_protocols", "protocol_folder")),
    ("view", ("presentation", "study", "-", "@docks", "reset_layout", "-", "@language")),
    ("help", ("shortcuts", "about")),
)

#: keys that are not actions of the window (the player's and the presentation's own)
OTHER_KEYS = (("play", "Space"), ("prev", "Ctrl+Left"), ("next", "Ctrl+Right"),
              ("speed", "Ctrl+1 / Ctrl+2 / Ctrl+3"), ("present_keys", "Space, ←, →"),
              ("present_leave", "Esc"))


def _object_name(key: str) -> str:
    return "act" + "".join(part.capitalize() for part in key.split("_"))


class ActionTable:
    """The window's QActions, menus and mark-mode group, built from :data:`ACTIONS`."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.actions: dict[str, QAction] = {}
        self.specs = {spec.key: spec for spec in ACTIONS}
        self._pending: dict[QAction, str] = {}
        for spec in ACTIONS:
            action = QAction(window)
            action.setObjectName(_object_name(spec.key))
            action.triggered.connect(lambda _=False, spec=spec: self.run(spec))
            if spec.role is not None:
                action.setMenuRole(getattr(QAction.MenuRole, spec.role))
            if spec.shortcut is not None:
                self._pending[action] = spec.shortcut
            window.addAction(action)
            self.actions[spec.key] = action
        self.lang_group = QActionGroup(window)
        self.lang_actions: dict[str, QAction] = {}
        for lang in i18n.LANGUAGES:
            action = QAction(i18n.LANGUAGE_NAMES[lang], window)
            action.setObjectName(f"actLanguage_{lang}")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, lang=lang: window.set_language(lang))
            self.lang_group.addAction(action)
            self.lang_actions[lang] = action
        # marking modes of the map: at most one at a time
        self.mark_group = QActionGroup(window)
        self.mark_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.mark_actions: dict[str, QAction] = {}
        for mode in MARK_MODES:
            action = QAction(window)
            action.setObjectName(f"actMark_{mode}")
            action.setCheckable(True)
            window.addAction(action)
            self.mark_group.addAction(action)
            self.mark_actions[mode] = action
        self.menus: dict[str, Any] = {}
        self.set_state(ready=False, plan=False)

    def __getitem__(self, key: str) -> QAction:
        return self.actions[key]

    def run(self, spec: ActionSpec) -> None:
        """Run an action's target, loading the window's data first when it needs it."""
        window = self.window
        if spec.loads and not window.ensure_ready():
            return
        target: Any = window
        for part in spec.run.split("."):
            target = getattr(target, part)
        target()

    def build_menus(self, bar: Any) -> None:
        """Fill the menu bar. ``@recent`` and ``@language`` become submenus (``menus["recent"]``
        is filled by the documents when it opens), ``@marks`` the marking modes, ``@docks`` the
        anchor before which the window inserts its docks' toggles."""
        for name, items in MENUS:
            menu = bar.addMenu("")
            self.menus[name] = menu
            for item in items:
                if item == "-":
                    menu.addSeparator()
                elif item == "@marks":
                    for action in self.mark_actions.values():
                        menu.addAction(action)
                elif item == "@docks":
                    self.docks_anchor = menu.addSeparator()
                elif not item.startswith("@"):
                    menu.addAction(self.actions[item])
                else:
                    sub = menu.addMenu("")
                    sub.setObjectName(f"{item[1:]}Menu")
                    self.menus[item[1:]] = sub
                    if item == "@language":
                        for action in self.lang_actions.values():
                            sub.addAction(action)

    def install_shortcuts(self) -> None:
        for action, shortcut in self._pending.items():
            if shortcut.startswith("std:"):
                action.setShortcut(QKeySequence(getattr(QKeySequence.StandardKey,
                                                        shortcut[4:])))
            else:
                action.setShortcut(QKeySequence(shortcut))
        self._pending.clear()

    def set_state(self, *, ready: bool, plan: bool) -> None:
        for spec in ACTIONS:
            allowed = {"always": True, "ready": ready, "plan": plan}[spec.enabled]
            self.actions[spec.key].setEnabled(allowed)

    def retranslate(self) -> None:
        self.lang_actions[i18n.language()].setChecked(True)
        for name, menu in self.menus.items():
            menu.setTitle(tr(f"menu.{name}"))
        for key, action in self.actions.items():
            self._texts(action, f"action.{key}")
        for mode, action in self.mark_actions.items():
            self._texts(action, f"mark.{mode}")

    @staticmethod
    def _texts(action: QAction, key: str) -> None:
        action.setText(tr(key))
        action.setToolTip(tr(f"{key}_tip"))
        action.setStatusTip(tr(f"{key}_tip"))

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every listed action and the player's and presentation's keys."""
        native = QKeySequence.SequenceFormat.NativeText
        listed = [self.actions[s.key] for s in ACTIONS if s.listed and s.key != "shortcuts"]
        listed += [*self.mark_actions.values(), self.actions["shortcuts"]]
        rows = [(a.text().replace("&", "").rstrip("…."), a.shortcut().toString(native))
                for a in listed]
        rows += [(tr(f"shortcuts.{k}"), v) for k, v in OTHER_KEYS]
        return rows


__all__ = ["ACTIONS", "MARK_MODES", "MENUS", "ActionSpec", "ActionTable"]
