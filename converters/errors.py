"""The one error type a converter raises: it always names the file, the line and what was expected."""

from __future__ import annotations


class ConversionError(Exception):
    """Bad input: ``path:line: message``. The import that meets one writes nothing."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[ConversionError], tuple[str, int | None, str]]:
        """Picklable with its fields, so an error raised on a Dask worker reaches the importing process."""
        return type(self), (self.path, self.line, self.message)
