// Child-process entry: the trainer's backend choice from a workspace, as JSON (one tfjs runtime per process).
//   node --import tsx test/native/backendChild.ts <workspace dir> [package]
import { loadBackend } from '../../server/src/trainer/backend';

const [dir, only] = process.argv.slice(2);
loadBackend(dir, only ? [only] : undefined).then(
  (b) => console.log(JSON.stringify({ pkg: b.pkg, device: b.device, attempts: b.attempts })),
  (err: Error & { attempts?: unknown }) => console.log(JSON.stringify({ error: err.message, attempts: err.attempts })),
);
