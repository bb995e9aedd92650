"""Converts a tfjs Layers model (model.json + weights) to a Keras HDF5 file with the official converter's
loader, then checks the file it wrote: reloaded from disk, the Keras model must count the same parameters
and give tfjs's output on the probe batch. Run by `skipcheck export` (server/src/export/).

    python export_keras.py <model.json> <out.h5> <probe.json>

probe.json: {"shape": [batch, ...], "input": [flat float32], "output": [flat tfjs predictions]}.
Prints one JSON object on its last stdout line: the figures, or {"error": ..., "kind": ...}.
"""
import json
import os
import sys

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main(model_json, out_h5, probe_json):
    import numpy as np
    import tensorflow as tf
    import tf_keras
    from skipcheck_tfjs import converter_modules

    loader, _ = converter_modules()
    try:
        model = loader.load_keras_model(model_json)
    except (ValueError, TypeError, KeyError) as err:
        text = str(err)
        kind = 'unknown-layer' if 'Unknown layer' in text or 'Unknown' in text else 'conversion-failed'
        return {'error': text.splitlines()[0] if text else repr(err), 'kind': kind}
    tmp = '{}.{}.tmp'.format(out_h5, os.getpid())
    model.save(tmp, save_format='h5')
    os.replace(tmp, out_h5)

    saved = tf_keras.models.load_model(out_h5, compile=False)
    with open(probe_json) as f:
        probe = json.load(f)
    x = np.asarray(probe['input'], dtype=np.float32).reshape(probe['shape'])
    expected = np.asarray(probe['output'], dtype=np.float32)
    got = np.asarray(saved(x, training=False), dtype=np.float32).reshape(-1)
    if got.shape != expected.shape:
        return {'error': 'Keras output has {} values, tfjs {}'.format(got.size, expected.size), 'kind': 'mismatch'}
    return {
        'params': int(saved.count_params()),
        'layers': len(saved.layers),
        'maxAbsDiff': float(np.max(np.abs(got - expected))) if got.size else 0.0,
        'maxAbs': float(np.max(np.abs(expected))) if expected.size else 0.0,
        'tfVersion': tf.__version__,
        'kerasVersion': tf_keras.__version__,
    }


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    print(json.dumps(main(*sys.argv[1:])))
