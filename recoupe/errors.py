"""Named exceptions with codes, so users can search for them."""


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
