import * as tf from "@tensorflow/tfjs";

function block(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
	let y = tf.layers.conv2d({filters, kernelSize: 3, useBias: false}).apply(x) as tf.SymbolicTensor;
	y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
	y = tf.layers.conv2d({filters, kernelSize: 3, padding: "valid", useBias: false}).apply(y) as tf.SymbolicTensor;
	return tf.layers.add().apply([y, x]) as tf.SymbolicTensor;
}

export function paddedNet(): tf.LayersModel {
	const input = tf.input({shape: [12, 12, 8]});
	return tf.model({inputs: input, outputs: block(block(input, 8), 8)});
}
