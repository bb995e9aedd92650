// How the file creates layers (`tf.layers.`, `layers.`), so that fixes write new layers the same way.
import type { Application } from '../graph/graph';

/**
 * How new layers should be created in the file of `app`: the way the user created the merge layer
 * (`tf.layers.`, `layers.`), or any other namespace-style factory call in the same file.
 */
export function layerPrefix(app: Application): string {
  if (app.layer.prefix.endsWith('.')) return app.layer.prefix;
  const m = /\b([A-Za-z_$][\w$]*(?:\.layers)?)\.(?:conv2d|dense|batchNormalization|add|conv1d|activation)\s*\(/.exec(app.at.sf.text);
  return m ? `${m[1]}.` : 'tf.layers.';
}
