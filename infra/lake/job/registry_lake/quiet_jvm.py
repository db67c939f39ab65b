"""Starts the JVM with its stderr filtered: the one line the JVM prints that no setting turns off is dropped.

Spark 4 always runs the JVM with the incubating vector module, and the JVM then prints
"WARNING: Using incubator modules: jdk.incubator.vector" on every start. Everything else is forwarded as is.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

JVM_NOISE = (b"WARNING: Using incubator modules: jdk.incubator.vector",)


def _forward(read_fd: int, write_fd: int) -> None:
    with os.fdopen(read_fd, "rb") as lines, os.fdopen(write_fd, "wb", buffering=0) as out:
        for line in lines:
            if line.rstrip(b"\r\n") not in JVM_NOISE:
                out.write(line)


@contextmanager
def jvm_stderr_filtered() -> Iterator[None]:
    """A JVM started in this block writes its stderr through the filter for as long as it runs; the Python
    process gets its own stderr back at the end of the block."""
    sys.stderr.flush()
    read_fd, write_fd = os.pipe()
    original = os.dup(2)
    threading.Thread(target=_forward, args=(read_fd, os.dup(original)), daemon=True, name="jvm-stderr").start()
    os.dup2(write_fd, 2)
    os.close(write_fd)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(original, 2)
        os.close(original)
