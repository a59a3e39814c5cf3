"""``LiveScreen``: the base of screens that redraw live (charts, eval tables) and hide what is beneath them."""

from __future__ import annotations

from typing import Self

from textual.geometry import Region
from textual.screen import Screen


class LiveScreen(Screen[None]):
    """A screen that redraws live and hides what is beneath it.

    Textual counts the screen just below the top one as a "background screen" even when the top one is opaque, and
    forwards every repaint there (the runs table updating on each follower pass) to the top screen as a repaint of
    the whole screen: measured in ``iotatui bench app``, that turned a 15 ms partial update of the charts into a
    30-60 ms full one. Those forwarded calls are the only ones that pass regions to a screen's ``refresh``; an
    opaque screen drops them (nothing beneath shows through), everything else is Textual's as usual.
    """

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        if regions and not (layout or recompose) and self.is_current and self.styles.background.a == 1:
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
