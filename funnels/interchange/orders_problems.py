"""What is wrong with an orders file: each problem with its row (the header is row 1) and column, all of them
counted, the first ``MAX_LISTED_PROBLEMS`` kept to show, so a coach sees every kind of mistake at once."""

from __future__ import annotations

from dataclasses import dataclass

MAX_LISTED_PROBLEMS = 1000
"""Problems kept to show; every one is counted (``OrdersFileError.total``)."""


@dataclass(frozen=True)
class OrderProblem:
    """``row`` counts the header as row 1; ``column`` is the file's own column name (None: the whole row)."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"


class OrdersFileError(ValueError):
    """The file cannot be used as it is; ``problems`` lists the first ``MAX_LISTED_PROBLEMS``, ``total`` counts all."""

    def __init__(self, problems: list[OrderProblem], total: int) -> None:
        self.problems = problems
        self.total = total
        more = f" (and {total - len(problems):,} more)" if total > len(problems) else ""
        super().__init__(f"{total:,} problems{more}: " + "; ".join(str(p) for p in problems[:5]))


class Problems:
    """The problems found so far: every one counted, the first ``MAX_LISTED_PROBLEMS`` kept."""

    def __init__(self) -> None:
        self.listed: list[OrderProblem] = []
        self.total = 0

    def add(self, row: int, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.listed) < MAX_LISTED_PROBLEMS:
            self.listed.append(OrderProblem(row, column, message))

    def error(self) -> OrdersFileError:
        return OrdersFileError(self.listed, self.total)
