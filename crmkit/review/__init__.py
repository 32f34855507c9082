"""The interactive mapping review: a screen (ipywidgets) over a testable state.

``ReviewState.from_folder(data_dir, mapping_file=...)`` maps a data folder as the import will;
``MappingScreen(state)`` shows it for review and saves the mapping file.
"""

from crmkit.review.state import (
    ADD_TO_PORTAL,
    EMPTY,
    LEAVE_EMPTY,
    NO_OPTION,
    NOT_IMPORTED,
    ObjectReview,
    ReviewState,
    UnmatchedValue,
)

__all__ = [
    "ADD_TO_PORTAL",
    "EMPTY",
    "LEAVE_EMPTY",
    "NOT_IMPORTED",
    "NO_OPTION",
    "MappingScreen",
    "ObjectReview",
    "ReviewState",
    "UnmatchedValue",
]


def __getattr__(name: str) -> object:
    # ipywidgets is only imported when the screen itself is wanted.
    if name == "MappingScreen":
        from crmkit.review.screen import MappingScreen

        return MappingScreen
    raise AttributeError(name)
