"""The mapping review screen (ipywidgets): one tab per file, one row per CSV column.

Each row shows the column's sample values, the suggested property in a dropdown of the
portal's writable properties with its confidence and reason, and, for enumeration
properties, each distinct raw value with a dropdown of the property's options (values no option
takes first, with their row count and the likely option an *accept* button takes). *Save* writes
the mapping file the import reads (``mapping_file``). All decisions go through
:class:`~crmkit.review.state.ReviewState`; this module only draws and forwards.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as w

from crmkit.errors import CrmkitError
from crmkit.review.state import ReviewState, UnmatchedValue
from crmkit.review.translations import value_table_html

GRID_COLUMNS = (
    "minmax(150px, 1fr) minmax(180px, 1.4fr) minmax(260px, 1.6fr) 90px minmax(200px, 2fr)"
)
PLAIN_TEXT = "Mapping review screen: open this notebook in JupyterLab (make lab) to use it."
HEADERS = ("CSV column", "sample values", "HubSpot property", "confidence", "why")


def confidence_badge(confidence: float, *, override: bool) -> str:
    """A small coloured label: green when sure, amber when worth a look, red when doubtful."""
    if override:
        return _badge("your choice", "#1565c0")
    colour = "#2e7d32" if confidence >= 0.9 else "#ef6c00" if confidence >= 0.7 else "#c62828"
    return _badge(f"{confidence:.0%}", colour)


NONE = "\x00none"
"""The dropdown value standing for None: ipywidgets reads ``value = None`` as "no selection"
(and ``""`` is taken: it means "leave the property empty")."""


def widget_options(choices: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """The state's (label, value-or-None) choices as dropdown options."""
    return [(label, NONE if value is None else value) for label, value in choices]


def from_widget(value: str | None) -> str | None:
    return None if value is None or value == NONE else value


def choose(dropdown: w.Dropdown, value: str | None) -> None:
    """Show ``value`` (None: the "not imported" / "no option" entry)."""
    wanted = NONE if value is None else value
    values = [v for _label, v in dropdown.options]
    dropdown.index = values.index(wanted) if wanted in values else None


def value_label(raw: str, *, matched: bool, unmatched: UnmatchedValue | None = None) -> str:
    """A raw value as shown left of its dropdown; red when no option takes it, with the rows
    holding it and the likely option (what *accept* would choose)."""
    style = "" if matched else ' style="color:#c62828;font-weight:600"'
    text = f"<code{style}>{html.escape(_short(raw, 60))}</code>"
    if unmatched is None:
        return text
    rows = f"{unmatched.rows} row{'s' if unmatched.rows != 1 else ''}"
    guess = ""
    if unmatched.suggestion is not None:
        sure = f" {unmatched.confidence:.0%}" if unmatched.confidence is not None else ""
        guess = f" · maybe <code>{html.escape(unmatched.suggestion)}</code>{sure}"
    return f'{text} <span style="color:#616161;font-size:12px">{rows}{guess}</span>'


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _badge(text: str, colour: str) -> str:
    return (
        f'<span style="background:{colour};color:#fff;border-radius:8px;padding:1px 8px;'
        f'font-size:12px">{html.escape(text)}</span>'
    )


def _cell(text: str, *, muted: bool = False) -> w.HTML:
    colour = "#616161" if muted else "inherit"
    return w.HTML(
        f'<div style="line-height:1.3;overflow-wrap:anywhere;color:{colour}">{text}</div>'
    )


class ColumnRow:
    """The widgets of one CSV column: property dropdown, confidence, reason, value mapping."""

    def __init__(self, screen: MappingScreen, object_type: str, column: str) -> None:
        self.screen = screen
        self.object_type = object_type
        self.column = column
        state = screen.state
        samples = state.review(object_type).current().samples.get(column, [])
        shown = ", ".join(html.escape(_short(s)) for s in samples[:3]) or "<i>(empty)</i>"
        self.name = _cell(f"<b>{html.escape(column)}</b>")
        self.samples = _cell(shown, muted=True)
        self.dropdown = w.Dropdown(
            options=widget_options(state.property_choices(object_type)),
            layout=w.Layout(width="98%"),
        )
        self.badge = w.HTML()
        self.reason = _cell("", muted=True)
        self.values = w.VBox(layout=w.Layout(margin="0 0 6px 24px"))
        self.value_dropdowns: dict[str, w.Dropdown] = {}
        self.value_labels: dict[str, w.HTML] = {}
        self._buttons: dict[str, w.Button] = {}
        self.accept_buttons: dict[str, w.Button] = {}
        """The *accept* buttons shown: values with a suggestion not yet taken."""
        self.dropdown.observe(self._on_property, names="value")

    def cells(self) -> list[w.Widget]:
        return [self.name, self.samples, self.dropdown, self.badge, self.reason]

    def refresh(self) -> None:
        """Show the state's current choice for this column (and its value translations)."""
        review = self.screen.state.review(self.object_type)
        match = review.current().columns[self.column]
        with self.screen.quiet():
            choose(self.dropdown, match.property)
        self.badge.value = confidence_badge(
            match.confidence, override=review.is_override(self.column)
        )
        role = f" · links as <code>{match.role}</code>" if match.role else ""
        self.reason.value = f'<div style="color:#616161">{html.escape(match.reason)}{role}</div>'
        self._refresh_values()

    def _refresh_values(self) -> None:
        state = self.screen.state
        rows = state.value_rows(self.object_type, self.column)
        if not rows:
            self.values.children = ()
            self.value_dropdowns, self.value_labels = {}, {}
            self._buttons, self.accept_buttons = {}, {}
            return
        choices = widget_options(state.value_choices(self.object_type, self.column))
        if set(self.value_dropdowns) != {raw for raw, _ in rows}:
            self._build_values([raw for raw, _ in rows], choices)
        misses = {u.raw: u for u in state.unmatched(self.object_type, self.column)}
        self.accept_buttons = {}
        with self.screen.quiet():
            for raw, option in rows:
                dropdown = self.value_dropdowns[raw]
                if list(dropdown.options) != choices:
                    dropdown.options = choices
                choose(dropdown, option)
                miss = misses.get(raw)
                self.value_labels[raw].value = value_label(
                    raw, matched=option is not None, unmatched=miss
                )
                button = self._buttons[raw]
                offered = miss is not None and miss.suggestion is not None
                button.layout.display = None if offered else "none"
                if miss is not None and miss.suggestion is not None:
                    button.description = f"accept {_short(miss.suggestion, 24)}"
                    self.accept_buttons[raw] = button

    def _build_values(self, raws: list[str], choices: list[tuple[str, str]]) -> None:
        """One line per raw value: the value, its dropdown, *accept* for a suggestion."""
        self.value_dropdowns, self.value_labels, self._buttons = {}, {}, {}
        children: list[w.Widget] = [
            w.HTML(f"<i>values of {html.escape(self.column)} → options:</i>")
        ]
        for raw in raws:
            dropdown = w.Dropdown(options=choices, layout=w.Layout(width="320px"))
            dropdown.observe(self._value_handler(raw), names="value")
            self.value_dropdowns[raw] = dropdown
            label = w.HTML(layout=w.Layout(width="320px"))
            self.value_labels[raw] = label
            button = w.Button(layout=w.Layout(width="auto"), tooltip="take the suggested option")
            button.on_click(self._accept_handler(raw))
            self._buttons[raw] = button
            children.append(w.HBox([label, w.HTML("→"), dropdown, button]))
        self.values.children = tuple(children)

    def _on_property(self, change: dict[str, Any]) -> None:
        if self.screen.muted:
            return
        self.screen.act(
            lambda: self.screen.state.set_property(
                self.object_type, self.column, from_widget(change["new"])
            ),
            self.object_type,
        )

    def _accept_handler(self, raw: str) -> Any:
        def handler(_button: w.Button) -> None:
            self.screen.act(
                lambda: self.screen.state.accept_suggestion(self.object_type, self.column, raw),
                self.object_type,
            )

        return handler

    def _value_handler(self, raw: str) -> Any:
        def handler(change: dict[str, Any]) -> None:
            if self.screen.muted:
                return
            self.screen.act(
                lambda: self.screen.state.set_value(
                    self.object_type, self.column, raw, from_widget(change["new"])
                ),
                self.object_type,
            )

        return handler


class _Quiet:
    def __init__(self, screen: MappingScreen) -> None:
        self.screen = screen

    def __enter__(self) -> None:
        self.screen.muted += 1

    def __exit__(self, *exc: object) -> None:
        self.screen.muted -= 1


class MappingScreen:
    """The review screen for a :class:`ReviewState`; display it as a notebook cell's value."""

    def __init__(self, state: ReviewState, save_to: str | Path | None = None) -> None:
        self.state = state
        self.muted = 0
        self.rows: dict[str, list[ColumnRow]] = {}
        panels = []
        for object_type, review in state.objects.items():
            rows = [ColumnRow(self, object_type, c) for c in review.automatic.columns]
            self.rows[object_type] = rows
            panels.append(self._panel(rows))
        self.tabs = w.Tab(children=panels)
        for index, review in enumerate(state.objects.values()):
            self.tabs.set_title(index, review.file)
        default = save_to or state.mapping_file or "mapping.json"
        self.path = w.Text(value=str(default), description="Save to", layout=w.Layout(width="60%"))
        self.save_button = w.Button(description="Save mapping", button_style="primary", icon="save")
        self.save_button.on_click(lambda _button: self.save())
        self.status = w.HTML(f"<i>{html.escape(state.source_message())}</i>")
        self.translations = w.HTML()
        self.widget = w.VBox(
            [
                self.tabs,
                w.HTML("<b>Value translations</b> (follow the dropdowns above)"),
                self.translations,
                w.HBox([self.path, self.save_button]),
                self.status,
            ],
            layout=w.Layout(width="100%"),
        )
        self.refresh()

    def _panel(self, rows: list[ColumnRow]) -> w.Widget:
        header = [_cell(f"<b>{h}</b>", muted=True) for h in HEADERS]
        blocks: list[w.Widget] = [
            w.GridBox(header, layout=w.Layout(grid_template_columns=GRID_COLUMNS))
        ]
        for row in rows:
            grid = w.GridBox(
                row.cells(),
                layout=w.Layout(grid_template_columns=GRID_COLUMNS, align_items="center"),
            )
            blocks.append(w.VBox([grid, row.values], layout=w.Layout(border_top="1px solid #eee")))
        return w.VBox(blocks)

    def quiet(self) -> _Quiet:
        """Widgets set inside this block do not count as the person's choices."""
        return _Quiet(self)

    def refresh(self, object_type: str | None = None) -> None:
        for otype, rows in self.rows.items():
            if object_type is None or otype == object_type:
                for row in rows:
                    row.refresh()
        self.translations.value = value_table_html(self.state)

    def act(self, change: Any, object_type: str) -> None:
        """Apply one choice to the state, then redraw the file (a property may move rows)."""
        try:
            change()
        except CrmkitError as exc:
            self.status.value = f'<span style="color:#c62828">{html.escape(str(exc))}</span>'
        self.refresh(object_type)

    def save(self) -> Path | None:
        """Write the mapping file; the status line says where (or why not)."""
        try:
            written = self.state.save(self.path.value.strip() or None)
        except (CrmkitError, OSError) as exc:
            self.status.value = (
                f'<span style="color:#c62828">not saved: {html.escape(str(exc))}</span>'
            )
            return None
        self.status.value = (
            f'<span style="color:#2e7d32">saved {html.escape(str(written))}</span> · run the '
            f"import with <code>mapping_file = {html.escape(repr(str(written)))}</code>"
        )
        return written

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):  # what a page without a kernel (GitHub) shows instead
            bundle["text/plain"] = PLAIN_TEXT
        return bundle
