"""``LiveScreen``: the base of screens that redraw live (charts, eval tables) and hide what is beneath them."""

from __future__ import annotations

from typing import Any, Self

from textual.geometry import Region
from textual.screen import Screen


class LiveScreen(Screen[None]):
    """A screen that redraws live and hides what is beneath it.

    Its rows come through the app's follower: ``follow(...)`` watches (``iotatui.follower.Follower.watch``'s
    arguments), ``unfollow(watch)`` drops one, and every watch still held is dropped when the screen unmounts.

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

    def _held(self) -> list[Any]:
        held: list[Any] = self.__dict__.setdefault("_follows", [])
        return held

    def follow(self, **kw: Any) -> Any:
        """A follower watch on this screen (None when the app has no follower, e.g. a bare test app)."""
        follower = getattr(self.app, "follower", None)
        if follower is None:
            return None
        watch = follower.watch(self, **kw)
        self._held().append(watch)
        return watch

    def unfollow(self, watch: Any) -> None:
        """Drop ``watch`` (None or one already dropped: nothing)."""
        held = self._held()
        if watch is None or not any(w is watch for w in held):
            return
        held[:] = [w for w in held if w is not watch]
        follower = getattr(self.app, "follower", None)
        if follower is not None:
            follower.unwatch(watch)

    def on_unmount(self) -> None:  # Textual also calls a subclass's own on_unmount (it dispatches along the MRO)
        for watch in list(self._held()):
            self.unfollow(watch)
