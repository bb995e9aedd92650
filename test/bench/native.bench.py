"""Keras side of test/bench/native.bench.ts: times train_on_batch on the ResNet models of
test/native/residualModels.ts, rebuilt layer for layer, and prints one JSON line.
Threads come from TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS, set by the caller for both sides.

    python native.bench.py '{"model": "resnet20", "batchSize": 32, "steps": 20, "learningRate": 0.01, "mode": "graph"}'

mode: "graph" (Keras's default: the step is a tf.function), "xla" (jit_compile) or "eager" (run_eagerly,
op by op like tfjs-node).
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

# Same table as MODEL_SPECS in test/native/residualModels.ts.
SPECS = {
    "small": {"input": (16, 16, 3), "classes": 4, "stages": [8, 16], "blocks": 1},
    "resnet20": {"input": (32, 32, 3), "classes": 10, "stages": [16, 32, 64], "blocks": 3},
    "mnist": {"input": (28, 28, 1), "classes": 10, "stages": [16, 32], "blocks": 2},
}


def build(name):
    spec = SPECS[name]
    layers = keras.layers

    def conv(x, filters, kernel, strides):
        return layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False,
                             kernel_initializer="he_normal")(x)

    def bn_relu(x):
        return layers.ReLU()(layers.BatchNormalization()(x))

    inputs = keras.Input(spec["input"])
    x = bn_relu(conv(inputs, spec["stages"][0], 3, 1))
    for stage, filters in enumerate(spec["stages"]):
        for block in range(spec["blocks"]):
            strides = 2 if stage > 0 and block == 0 else 1
            branch = layers.BatchNormalization()(conv(bn_relu(conv(x, filters, 3, strides)), filters, 3, 1))
            shortcut = x
            if strides != 1 or x.shape[-1] != filters:
                shortcut = layers.BatchNormalization()(conv(x, filters, 1, strides))
            x = layers.ReLU()(layers.Add()([branch, shortcut]))
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(spec["classes"], activation="softmax")(x)
    return keras.Model(inputs, outputs), spec


def main(config):
    model, spec = build(config["model"])
    model.compile(optimizer=keras.optimizers.SGD(config["learningRate"]), loss="categorical_crossentropy",
                  jit_compile=config["mode"] == "xla", run_eagerly=config["mode"] == "eager")
    batch = config["batchSize"]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, *spec["input"]), dtype=np.float32)
    y = keras.utils.to_categorical(np.arange(batch) % spec["classes"], spec["classes"])
    for _ in range(3):  # tracing (and XLA compilation) happen here, not in the timed loop
        model.train_on_batch(x, y)
    steps = config["steps"]
    start = time.perf_counter()
    for _ in range(steps):
        loss = model.train_on_batch(x, y)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "samplesPerSec": steps * batch / seconds,
        "params": model.count_params(),
        "tfVersion": tf.__version__,
        "kerasVersion": keras.__version__,
        "loss": float(np.asarray(loss).reshape(-1)[0]),
    }))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
