"""The corpus one run of kz works on, loaded once, on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kzcli.corpus import Corpus


class Session:
    """``--data`` / ``KZ_DATA`` / the bundled corpus, and whether kz is completing a word.

    While completing, nothing may be said on the terminal: an index file passed
    over is then passed over silently.
    """

    def __init__(self, data: str | None = None) -> None:
        self.data = data
        self.completing = False
        self._corpus: Corpus | None = None

    def use(self, data: str | None) -> None:
        """Work on another corpus file from now on."""
        if data != self.data:
            self.data, self._corpus = data, None

    def corpus(self) -> Corpus:
        if self._corpus is None:
            from kzcli.loading import load
            from kzcli.streams import say

            self._corpus = load(self.data, None if self.completing else say)
        return self._corpus
