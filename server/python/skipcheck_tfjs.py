"""The two halves of the official TensorFlow.js converter (PyPI `tensorflowjs`) that move a Layers model
between tfjs and Keras: `keras_tfjs_loader` (tfjs Layers format -> Keras model) and
`keras_h5_conversion` (Keras model -> tfjs Layers format).

`import tensorflowjs` would run the package's __init__, which imports every converter, including the
SavedModel/JAX ones that need tensorflow-decision-forests, tensorflow-hub, jax and flax (gigabytes this
path never uses). Skipcheck installs `tensorflowjs` with --no-deps, so the package and its `converters`
subpackage are registered here as bare namespaces and only the two modules are imported from them.
"""
import importlib
import importlib.util
import os
import sys
import types


def _bare_package(name, path):
    if name not in sys.modules:
        module = types.ModuleType(name)
        module.__path__ = [path]
        sys.modules[name] = module


def converter_modules():
    """(keras_tfjs_loader, keras_h5_conversion) from the installed tensorflowjs package."""
    spec = importlib.util.find_spec('tensorflowjs')
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            'The tensorflowjs converter is not installed in this Python ({}). Install it with: '
            '{} -m pip install --no-deps tensorflowjs==4.22.0 tf-keras six'.format(sys.executable, sys.executable))
    root = list(spec.submodule_search_locations)[0]
    _bare_package('tensorflowjs', root)
    _bare_package('tensorflowjs.converters', os.path.join(root, 'converters'))
    loader = importlib.import_module('tensorflowjs.converters.keras_tfjs_loader')
    to_tfjs = importlib.import_module('tensorflowjs.converters.keras_h5_conversion')
    return loader, to_tfjs
