#!/usr/bin/env python3
"""Trains a model exported by `skipcheck export` with tf.distribute, then converts it back to tfjs.

Generated next to the exported model (model.h5); edit it freely. SETTINGS below are the Skipcheck
run's settings; command-line flags override the common ones (python train_distributed.py --help).

One process per machine (or per local worker). The strategy comes from the environment:
  * TF_CONFIG set             -> MultiWorkerMirroredStrategy across the workers it lists, e.g. on host 0 of 2:
      TF_CONFIG='{"cluster": {"worker": ["host0:12345", "host1:12345"]}, "task": {"type": "worker", "index": 0}}'
  * more than one visible GPU -> MirroredStrategy across them
  * otherwise                 -> the default (single device) strategy
Every worker runs this same script on the same data; the batch size is the global batch, split across
all replicas. Worker 0 writes <run dir>/metrics.jsonl (the lines the Skipcheck training panel and report
read: loss, accuracy, per-layer response std on a fixed probe batch); worker i > 0 writes
<run dir>/workers/<i>/metrics.jsonl. At the end the trained model is written in tfjs Layers format to
<run dir>/model (model.json + weights), loadable with tf.loadLayersModel.
"""
import argparse
import datetime
import gzip
import json
import math
import os
import re
import shutil
import sys
import threading
import time

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402  (Keras 2: the format the tfjs converter reads and writes)

SETTINGS = {}  # @skipcheck-settings (filled in by `skipcheck export`)


# ---- strategy -------------------------------------------------------------------------------------------

def choose_strategy():
    """(strategy, description, worker index, worker count). Must run before any other TensorFlow op."""
    tf_config = json.loads(os.environ.get('TF_CONFIG') or '{}')
    if tf_config.get('cluster'):
        strategy = tf.distribute.MultiWorkerMirroredStrategy()
        task = tf_config.get('task', {})
        workers = sum(len(tf_config['cluster'].get(kind, [])) for kind in ('chief', 'worker'))
        # With a 'chief' entry the chief is index 0 and the workers follow it.
        has_chief = bool(tf_config['cluster'].get('chief'))
        index = 0 if task.get('type') == 'chief' else int(task.get('index', 0)) + (1 if has_chief else 0)
        return strategy, 'MultiWorkerMirroredStrategy, {} workers'.format(workers), index, workers
    gpus = tf.config.list_physical_devices('GPU')
    if len(gpus) > 1:
        return tf.distribute.MirroredStrategy(), 'MirroredStrategy, {} GPUs'.format(len(gpus)), 0, 1
    return tf.distribute.get_strategy(), 'one device', 0, 1


# ---- data: the same sources, split and order as Skipcheck's trainer ------------------------------------

def mulberry32(seed, count):
    """The first `count` floats of the trainer's seeded generator (server/src/trainer/random.ts)."""
    base = (seed & 0xFFFFFFFF) or 0x9E3779B9
    k = np.arange(1, count + 1, dtype=np.uint64)
    a = ((base + k * 0x6D2B79F5) & 0xFFFFFFFF).astype(np.uint64)

    def imul(x, y):
        return (x * y) & 0xFFFFFFFF

    t = imul(a ^ (a >> 15), a | 1)
    t = (t ^ ((t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
    return (t ^ (t >> 14)).astype(np.float64) / 4294967296.0


def permutation(n, seed):
    rand = mulberry32(seed, max(n - 1, 0))
    p = np.arange(n, dtype=np.int64)
    for step, i in enumerate(range(n - 1, 0, -1)):
        j = int(rand[step] * (i + 1))
        p[i], p[j] = p[j], p[i]
    return p


def synthetic(shape, classes, samples, seed, noise=0.35):
    """Class-specific smooth waves plus noise (server/src/trainer/datasets/synthetic.ts)."""
    d = len(shape)
    size = int(np.prod(shape))
    rand = mulberry32(seed, classes * (d + 1) + samples * (1 + size))
    head = rand[:classes * (d + 1)].reshape(classes, d + 1)
    coords = np.indices(shape).reshape(d, -1)
    arg = 2 * math.pi * head[:, d:d + 1]
    for axis in range(d):
        arg = arg + (0.3 + 1.7 * head[:, axis:axis + 1]) * coords[axis]
    prototypes = (0.5 + 0.5 * np.sin(arg)).astype(np.float32)
    body = rand[classes * (d + 1):].reshape(samples, 1 + size)
    labels = np.floor(body[:, 0] * classes).astype(np.int64)
    pixels = ((1 - noise) * prototypes[labels] + noise * body[:, 1:]).astype(np.float32)
    return pixels.reshape([samples] + list(shape)), labels, 1.0


def read_idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:2] == b'\x1f\x8b':
        data = gzip.decompress(data)
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError('{} is not an unsigned-byte IDX file'.format(path))
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(rank)]
    header = 4 + 4 * rank
    return np.frombuffer(data, dtype=np.uint8, count=int(np.prod(dims)), offset=header).reshape(dims)


def cifar10(folder):
    nested = os.path.join(folder, 'cifar-10-batches-bin')
    folder = nested if os.path.isdir(nested) else folder
    names = sorted(n for n in os.listdir(folder) if n.startswith('data_batch_') and n.endswith('.bin'))
    names = names or [n for n in os.listdir(folder) if n == 'test_batch.bin']
    records = np.concatenate([np.fromfile(os.path.join(folder, n), dtype=np.uint8).reshape(-1, 3073) for n in names])
    return records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), records[:, 0].astype(np.int64), 1 / 255


def load_dataset(spec):
    """(pixels in their stored type, labels, scale)."""
    kind = spec['kind']
    if kind == 'synthetic':
        return synthetic(SETTINGS['syntheticShape'], spec.get('classes') or SETTINGS['classes'],
                         spec.get('samples') or 1024, SETTINGS['seed'])
    if kind in ('idx', 'mnist'):
        return read_idx(spec['images']), read_idx(spec['labels']).astype(np.int64), 1 / 255
    if kind == 'cifar10':
        return cifar10(spec['dir'])
    raise ValueError('Unknown dataset kind {}'.format(kind))


def split(count, validation_split, seed, max_samples):
    """(train indices, validation indices), as server/src/trainer/datasets/split.ts draws them."""
    order = permutation(count, seed)
    n_val = int(math.floor(count * validation_split + 0.5))
    n_train = count - n_val
    if max_samples and max_samples < n_train:
        wanted = int(math.floor(max_samples * validation_split / (1 - validation_split) + 0.5))
        n_val = min(n_val, max(1 if validation_split > 0 else 0, wanted))
        n_train = max_samples
    return order[n_val:n_val + n_train], order[:n_val]


def batches(pixels, labels, scale, indices, batch_size, classes):
    shape = [-1] + list(SETTINGS['inputShape'])
    ds = tf.data.Dataset.from_tensor_slices((pixels[indices], labels[indices])).batch(batch_size)
    ds = ds.map(lambda x, y: (tf.reshape(tf.cast(x, tf.float32) * scale, shape), tf.one_hot(y, classes)))
    options = tf.data.Options()
    # Every worker holds the same arrays: each takes its share of every global batch.
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return ds.with_options(options).prefetch(2)


# ---- metrics: the lines Skipcheck's training panel reads (server/src/trainer/protocol.ts) -----------------

class Metrics:
    def __init__(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.file = open(path, 'a', buffering=1)

    def write(self, message):
        # One whole line per write: a reader following the file never sees half a message.
        self.file.write(json.dumps(message) + '\n')


def response_probe(model):
    """A model sharing `model`'s weights whose outputs are every point the response std is read at."""
    names = [p['measuredAt'] for p in SETTINGS['probe']['layers']]
    for block in SETTINGS['probe']['blocks']:
        names += [block['block'], block['branch']]
    names = list(dict.fromkeys(names))
    if not names:
        return None, names
    return keras.Model(model.inputs, [model.get_layer(n).output for n in names]), names


NOISE_LAYERS = ('Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise',
                'GaussianDropout', 'AlphaDropout')


def measure(model, probe_model, names, x):
    """As the trainer measures (server/src/trainer/probe.ts): BatchNormalization normalises with the probe
    batch's own statistics (a training-mode pass whose moving averages are put back), noise layers are off."""
    saved = [(v, v.numpy()) for l in model.layers if isinstance(l, keras.layers.BatchNormalization)
             for v in (l.moving_mean, l.moving_variance)]
    quiet = [l for l in model.layers if l.__class__.__name__ in NOISE_LAYERS]
    for l in quiet:
        l.call = (lambda call: lambda inputs, *a, **k: call(inputs, training=False))(l.call)
    try:
        outs = probe_model(x, training=True)
    finally:
        for v, value in saved:
            v.assign(value)
        for l in quiet:
            del l.call
    outs = outs if isinstance(outs, (list, tuple)) else [outs]
    by_name = {n: np.asarray(o, dtype=np.float64) for n, o in zip(names, outs)}

    def channel_stats(a):
        flat = a.reshape(-1, a.shape[-1])
        return float(np.mean(flat.mean(axis=0) ** 2)), float(np.mean(flat.var(axis=0)))

    layers = [dict(p, std=float(np.std(by_name[p['measuredAt']]))) for p in SETTINGS['probe']['layers']]
    blocks = []
    for b in SETTINGS['probe']['blocks']:
        mean_sq, variance = channel_stats(by_name[b['block']])
        blocks.append({'block': b['block'], 'avgChannelSquaredMean': mean_sq, 'avgChannelVariance': variance,
                       'residualBranchVariance': channel_stats(by_name[b['branch']])[1]})
    return {'layers': layers, 'blocks': blocks}


def layer_summary(model):
    def shape(s):  # tfjs nests shapes only for layers with several outputs
        if isinstance(s, list):
            return list(s[0]) if len(s) == 1 else [list(x) for x in s]
        return list(s)
    return [{'name': l.name, 'className': l.__class__.__name__, 'outputShape': shape(l.output_shape),
             'params': int(l.count_params())} for l in model.layers]


class BatchLines(keras.callbacks.Callback):
    """Batch progress lines; Keras reports the epoch's running mean loss at each batch."""

    def __init__(self, metrics, epoch, batches):
        super().__init__()
        self.metrics, self.epoch, self.batches = metrics, epoch, batches

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        self.metrics.write({'type': 'batch', 'epoch': self.epoch, 'batch': batch + 1, 'batches': self.batches,
                            'loss': float(logs.get('loss', float('nan'))), 'acc': float(logs.get('accuracy', 0.0))})


# ---- the run ---------------------------------------------------------------------------------------------

KERNEL_NAME = re.compile(r'/(kernel|depthwise_kernel|pointwise_kernel):0$')


def make_optimizer(name, lr, weight_decay):
    base = {'adam': keras.optimizers.Adam, 'sgd': keras.optimizers.SGD, 'rmsprop': keras.optimizers.RMSprop,
            'momentum': keras.optimizers.SGD}[name]
    extra = {'momentum': 0.9} if name == 'momentum' else {}
    if not weight_decay:
        return base(lr, **extra)

    class WithWeightDecay(base):
        """The trainer's weight decay: `decay * w` added to each conv/dense kernel's gradient (after the
        gradients of all replicas are summed), not Keras's decoupled `weight_decay`."""

        def aggregate_gradients(self, grads_and_vars):
            return [(g + weight_decay * v if g is not None and KERNEL_NAME.search(v.name) else g, v)
                    for g, v in super().aggregate_gradients(grads_and_vars)]

    return WithWeightDecay(lr, **extra)


def save_tfjs(model, folder):
    """model.json + weights in tfjs Layers format, through the official converter; replaced atomically."""
    from skipcheck_tfjs import converter_modules
    _, to_tfjs = converter_modules()
    tmp = folder + '.tmp{}'.format(os.getpid())
    shutil.rmtree(tmp, ignore_errors=True)
    to_tfjs.save_keras_model(model, tmp)
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--run-dir', help='folder for metrics.jsonl and the model (default: runs/<time> here)')
    parser.add_argument('--epochs', type=int, default=SETTINGS['epochs'])
    parser.add_argument('--batch-size', type=int, default=SETTINGS['batchSize'], help='global batch size')
    parser.add_argument('--lr', type=float, default=SETTINGS['learningRate'])
    parser.add_argument('--max-samples', type=int, default=SETTINGS.get('maxSamples'))
    return parser.parse_args()


def exit_with_launcher():
    """Local try-outs (`skipcheck train --distributed`): stop when the process that started us is gone,
    so a killed launcher never leaves workers behind. Unset when you start the script yourself."""
    launcher = os.environ.get('SKIPCHECK_LAUNCHER_PID')
    if not launcher:
        return

    def watch():
        while os.getppid() == int(launcher):
            time.sleep(1)
        os._exit(130)
    threading.Thread(target=watch, daemon=True).start()


def main():
    exit_with_launcher()
    args = parse_args()
    strategy, described, index, workers = choose_strategy()
    started = time.time()
    run_dir = os.path.abspath(args.run_dir or os.path.join(
        HERE, 'runs', datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H-%M-%S-%fZ')))
    own_dir = run_dir if index == 0 else os.path.join(run_dir, 'workers', str(index))
    metrics = Metrics(os.path.join(own_dir, 'metrics.jsonl'))
    try:
        train(args, strategy, described, index, workers, run_dir, own_dir, metrics, started)
    except Exception as err:  # the panel shows the error instead of a run that never ends
        import traceback
        metrics.write({'type': 'error', 'code': 'internal', 'message': '{}: {}'.format(type(err).__name__, err),
                       'detail': traceback.format_exc()})
        raise


def train(args, strategy, described, index, workers, run_dir, own_dir, metrics, started):
    pixels, labels, scale = load_dataset(SETTINGS['dataset'])
    classes = SETTINGS['classes']
    train_idx, val_idx = split(len(labels), SETTINGS['validationSplit'], SETTINGS['seed'], args.max_samples)
    probe_from = val_idx if len(val_idx) else train_idx
    probe_x = (pixels[probe_from[:SETTINGS['probeSize']]].astype(np.float32) * scale).reshape(
        [-1] + list(SETTINGS['inputShape']))

    with strategy.scope():
        model = keras.models.load_model(os.path.join(HERE, SETTINGS['model']), compile=False)
        loss = keras.losses.CategoricalCrossentropy(from_logits=SETTINGS['logits'])
        optimizer = make_optimizer(SETTINGS['optimizer'], args.lr, SETTINGS.get('weightDecay') or 0)
        model.compile(optimizer=optimizer, loss=loss, metrics=['accuracy'])
    probe_model, probe_names = response_probe(model) if SETTINGS['probeSize'] else (None, [])

    config = dict(SETTINGS['config'], epochs=args.epochs, batchSize=args.batch_size, learningRate=args.lr, outDir=run_dir)
    if index == 0:
        with open(os.path.join(run_dir, 'config.json'), 'w') as f:
            json.dump(config, f, indent=2)
    gpus = len(tf.config.list_physical_devices('GPU'))
    metrics.write({
        'type': 'start', 'runDir': run_dir, 'tfVersion': tf.__version__, 'attempts': [],
        'backend': 'Keras {} ({}{})'.format(keras.__version__, described, '' if workers == 1 else ', worker {}'.format(index)),
        'device': '{} GPU{}'.format(gpus, 's' if gpus > 1 else '') if gpus else 'CPU',
        'model': {'name': model.name, 'layers': layer_summary(model), 'params': int(model.count_params())},
        'config': config,
        'dataset': {'name': SETTINGS['datasetName'], 'train': int(len(train_idx)), 'validation': int(len(val_idx)),
                    'inputShape': list(SETTINGS['inputShape']), 'classes': classes},
    })
    n_batches = int(math.ceil(len(train_idx) / args.batch_size))
    for epoch in range(1, args.epochs + 1):
        # The step schedule: the learning rate divided by 10 at the start of each listed epoch.
        drops = sum(1 for e in SETTINGS.get('lrDropEpochs') or [] if e <= epoch)
        keras.backend.set_value(optimizer.learning_rate, args.lr / 10 ** drops)
        order = train_idx[permutation(len(train_idx), SETTINGS['seed'] + epoch)]
        t0 = time.time()
        history = model.fit(batches(pixels, labels, scale, order, args.batch_size, classes), epochs=1, verbose=0,
                            callbacks=[BatchLines(metrics, epoch, n_batches)])
        seconds = time.time() - t0
        line = {'type': 'epoch', 'epoch': epoch, 'epochs': args.epochs, 'loss': float(history.history['loss'][-1]),
                'acc': float(history.history['accuracy'][-1]), 'samplesPerSec': len(order) / max(seconds, 1e-6),
                'seconds': seconds}
        if len(val_idx):
            val = model.evaluate(batches(pixels, labels, scale, val_idx, args.batch_size, classes), verbose=0, return_dict=True)
            line.update(valLoss=float(val['loss']), valAcc=float(val['accuracy']))
        if not math.isfinite(line['loss']):
            metrics.write({'type': 'error', 'code': 'non-finite-loss', 'message': 'The loss became {} at epoch {}.'.format(line['loss'], epoch)})
            return
        metrics.write(line)
        if probe_model is not None:
            metrics.write(dict({'type': 'std', 'epoch': epoch, 'measurement': 'batch-statistics'},
                               **measure(model, probe_model, probe_names, probe_x)))
    # Every worker converts (reading the weights is a collective step under MultiWorkerMirroredStrategy);
    # only worker 0's copy is the run's model.
    save_tfjs(model, os.path.join(own_dir, 'model'))
    seconds = time.time() - started
    metrics.write({'type': 'end', 'reason': 'completed', 'runDir': run_dir, 'seconds': seconds})
    if index == 0:
        # The run's last file, as the trainer writes it (server/src/trainer/runDir.ts): the model is on disk.
        tmp = os.path.join(run_dir, 'complete.json.tmp{}'.format(os.getpid()))
        with open(tmp, 'w') as f:
            json.dump({'outcome': 'completed', 'seconds': seconds, 'model': 'model/model.json'}, f, indent=2)
        os.replace(tmp, os.path.join(run_dir, 'complete.json'))


if __name__ == '__main__':
    main()
