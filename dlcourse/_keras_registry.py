"""Plain `keras.models.load_model` finds dlcourse's classes after `import dlcourse`.

A saved model names each class by its registered name ("dlcourse>GCNConv"), and Keras finds a
class only once the module that registers it has run. `import dlcourse` imports its subpackages
on first use (so the grading tools never load TensorFlow), so in a fresh process those modules
have not run. Keras looks registered names up in one dict, `GLOBAL_CUSTOM_OBJECTS` of
`keras.src.saving.object_registration` (what `keras.saving.get_custom_objects()` returns), through
that module's global. `install()` swaps that dict for a `LazyRegistry` holding the same entries:
the first lookup of a "dlcourse>" name it lacks imports every Keras-bearing subpackage (about
0.3 s once Keras is loaded), and registration fills it as before. When Keras is not loaded yet,
a one-shot import hook does the swap right after Keras creates the dict, so importing dlcourse
never imports Keras itself.

Importing every subpackage rather than the one that defines the class keeps no table to go
stale; it is what `dlcourse.load_model` does up front.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import threading

REGISTRY_MODULE = "keras.src.saving.object_registration"
PREFIX = "dlcourse>"


class LazyRegistry(dict):
    """Keras' registry of custom objects, which imports dlcourse's Keras classes on the first
    lookup of a "dlcourse>" name it does not hold."""

    def __init__(self, entries, import_all):
        super().__init__(entries)
        self._import_all = import_all
        self._lock = threading.RLock()
        self._done = False

    def _load(self, key) -> None:
        if self._done or not isinstance(key, str) or not key.startswith(PREFIX) or dict.__contains__(self, key):
            return
        with self._lock:
            if self._done:
                return
            self._done = True  # once, even if an import fails: Keras then names the missing class
            self._import_all()

    def __contains__(self, key):
        self._load(key)
        return dict.__contains__(self, key)

    def __getitem__(self, key):
        self._load(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._load(key)
        return dict.get(self, key, default)


def install(import_all) -> None:
    """Make Keras' registry lazy now if Keras is loaded, else as soon as it is."""
    module = sys.modules.get(REGISTRY_MODULE)
    if module is not None:
        _swap(module, import_all)
    elif not any(isinstance(finder, _AfterRegistryImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterRegistryImport(import_all))


def _swap(module, import_all) -> None:
    registry = getattr(module, "GLOBAL_CUSTOM_OBJECTS", None)
    if isinstance(registry, dict) and not isinstance(registry, LazyRegistry):
        module.GLOBAL_CUSTOM_OBJECTS = LazyRegistry(registry, import_all)


class _AfterRegistryImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: when Keras imports its registry module, it lets the usual finders
    find it and wraps the loader so that the dict is swapped right after the module runs."""

    def __init__(self, import_all):
        self._import_all = import_all

    def find_spec(self, fullname, path=None, target=None):
        if fullname != REGISTRY_MODULE:
            return None
        sys.meta_path.remove(self)  # one shot; also keeps the lookup below from coming back here
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenSwap(spec.loader, self._import_all)
        return spec


class _ThenSwap(importlib.abc.Loader):
    def __init__(self, loader, import_all):
        self._loader = loader
        self._import_all = import_all

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        _swap(module, self._import_all)

    def __getattr__(self, name):  # get_source, get_filename, ... as the real loader has them
        return getattr(self._loader, name)
