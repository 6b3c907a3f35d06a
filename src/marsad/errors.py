"""Numbered errors. Every message says what went wrong and what to do about it."""

from __future__ import annotations

from enum import Enum


class Code(str, Enum):
    """Error numbers. Never reuse or renumber one: users search for them."""

    PIPELINE_ORDER = "MRS001"
    PIPELINE_DUPLICATE = "MRS002"
    NOT_FOUND = "MRS010"
    EMPTY = "MRS011"
    BINARY = "MRS012"
    UNDECODABLE = "MRS013"
    TOO_LARGE = "MRS014"
    NO_BODY = "MRS015"
    BAD_JSON = "MRS016"
    NO_TEXT_FIELD = "MRS017"
    NO_INPUTS = "MRS018"
    UNSUPPORTED = "MRS019"
    BAD_ARCHIVE = "MRS020"
    BAD_DATE = "MRS021"
    BAD_QUERY = "MRS030"
    NO_DOCUMENT = "MRS031"
    STORE_VERSION = "MRS032"
    BAD_GOLD = "MRS040"
    BAD_FLOORS = "MRS041"
    KB_FILE = "MRS050"
    KB_ROW = "MRS051"
    KB_IMPORT = "MRS052"
    NER_MODEL = "MRS060"
    NO_PYARROW = "MRS070"
    EXPORT_FORMAT = "MRS071"
    EXPORT_WRITE = "MRS072"
    NO_DASK = "MRS080"
    BATCH_OUT = "MRS081"
    BATCH_DATA = "MRS082"
    BATCH_PARTITION = "MRS083"


class MarsadError(Exception):
    """Base error: ``code``, a message, and a hint on what to do."""

    def __init__(self, code: Code, message: str, hint: str = "") -> None:
        self.code = code
        self.message = message
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.code.value} {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class PipelineError(MarsadError):
    """A pipeline was built with its stages in an impossible order."""


class InputError(MarsadError):
    """One input (a file, a JSONL line, an archive member) could not be read.

    ``origin`` names the input, so a batch can report it and go on.
    """

    def __init__(self, code: Code, origin: str, message: str, hint: str = "") -> None:
        self.origin = origin
        super().__init__(code, message, hint)

    def __str__(self) -> str:
        text = f"{self.origin}: {self.code.value} {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class QueryError(MarsadError):
    """A search or lookup the store cannot answer as asked."""


class EvalError(MarsadError):
    """A gold file, output file or floors file the evaluator cannot read."""


class ExportError(MarsadError):
    """An export that cannot be written as asked (format, missing library, output folder)."""


class BatchError(MarsadError):
    """A batch run or a batch result that cannot go on as asked (engine, output folder, data)."""


class KbError(InputError):
    """A knowledge-base file (ours or a user's) that cannot be read as it stands.

    ``origin`` names the file (and line), so the message says where to look.
    """
