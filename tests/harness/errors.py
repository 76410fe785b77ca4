"""Errors the harness reports in one line (pytest prints them without a traceback)."""


class HarnessError(RuntimeError):
    """A missing tool, provider or emulator: the message says what and how to fix it."""


class TerraformCommandError(HarnessError):
    def __init__(self, command: str, workdir: str, returncode: int, diagnostics: str):
        self.command = command
        self.workdir = workdir
        self.returncode = returncode
        self.diagnostics = diagnostics
        super().__init__(f"`{command}` failed (exit {returncode}) in {workdir}:\n{diagnostics}")


class TerraformTimeout(HarnessError):
    def __init__(self, command: str, workdir: str, seconds: float):
        self.command = command
        super().__init__(
            f"`{command}` did not finish within {seconds:.0f}s in {workdir}; killed (raise TF_TEST_TIMEOUT if the machine is slow)"
        )
