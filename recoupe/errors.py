"""Named exceptions with codes, so users can search for them."""


def one_line(text: str, limit: int = 200) -> str:
    """Collapse whitespace (newlines included) and cut ``text`` to at most ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def reason_of(exc: BaseException, limit: int = 200) -> str:
    """ "IndexError: list index out of range", on one line."""
    return one_line(f"{type(exc).__name__}: {exc}", limit)


class RecoupeError(Exception):
    """Base of recoupe's own errors; ``str()`` is a one-line message with a code."""

    code = "E000"

    def __init__(self, message: str):
        super().__init__(f"[{self.code}] {message}")


class InputRejected(RecoupeError):
    """An input file or record cannot be read as an article."""

    code = "E100"


class KnowledgeBaseError(RecoupeError):
    """A knowledge-base data file does not follow its schema."""

    code = "E200"


class LexiconError(RecoupeError):
    """A lexicon data file does not follow its schema."""

    code = "E300"


class StoreError(RecoupeError):
    """The store cannot be opened or used (bad URL, unreachable server, newer schema)."""

    code = "E400"


class ClusterError(RecoupeError):
    """The Dask cluster given with --cluster cannot be reached, or its workers cannot extract."""

    code = "E500"
