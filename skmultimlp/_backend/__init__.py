"""The Keras backend: importing it quietly, compiling, the compile caches (no Keras on import)."""

from ._compile import (ALIGNMENT, cached_compile, compile_function, compiled_keys, precision,
                       shared_tensors, to_tensors, value_and_grad)
from ._imports import QUIET_LOG_LEVEL, contained_import_effects, import_keras, quiet_startup, quiet_tensorflow

__all__ = [
    "ALIGNMENT", "QUIET_LOG_LEVEL", "cached_compile", "compile_function", "compiled_keys",
    "contained_import_effects", "import_keras", "precision", "quiet_startup", "quiet_tensorflow",
    "shared_tensors", "to_tensors", "value_and_grad",
]
