// A view of the tfjs namespace that notes every model built through `tf.model` / `tf.sequential`, in
// creation order. It is a Proxy so the real module object, shared with every other test, stays untouched.
import * as tf from '@tensorflow/tfjs';

export type ModelKind = 'functional' | 'sequential';

export interface CreatedModel {
  model: tf.LayersModel;
  kind: ModelKind;
  /** The entry point that was running when the model was created; undefined for top-level code. */
  entry?: string;
}

export interface RecordingTf {
  tf: typeof tf;
  created: CreatedModel[];
  /** Entry point that subsequent creations are attributed to. */
  setEntry(entry: string | undefined): void;
}

export function createRecordingTf(): RecordingTf {
  const created: CreatedModel[] = [];
  let entry: string | undefined;
  const record = <A extends unknown[], M extends tf.LayersModel>(kind: ModelKind, factory: (...args: A) => M) =>
    (...args: A): M => {
      const model = factory(...args);
      created.push({ model, kind, entry });
      return model;
    };
  const overrides: Partial<Record<PropertyKey, unknown>> = {
    model: record('functional', tf.model),
    sequential: record('sequential', tf.sequential),
  };
  const view = new Proxy(tf, {
    get: (target, property, receiver) =>
      property in overrides ? overrides[property] : Reflect.get(target, property, receiver),
  });
  return { tf: view, created, setEntry: (name) => { entry = name; } };
}
