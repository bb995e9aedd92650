import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BACKEND_PACKAGES, explainBackendFailure, loadBackend } from '../../server/src/trainer/backend';
import { tempDir } from './fixtures';

describe('trainer: backend choice', () => {
  it('falls back to pure-JS tfjs here and says why the native packages were not used', async function () {
    // The trainer also resolves from its own folder: after setup-native in this repository a native package is
    // found there, as it should be. The fallback is then not what "here" means; a fresh clone tests it.
    const own = createRequire(join(__dirname, '../../server/src/trainer/backend.ts'));
    const native = BACKEND_PACKAGES.filter((p) => p !== '@tensorflow/tfjs').find((p) => { try { own.resolve(p); return true; } catch { return false; } });
    if (native) {
      console.log(`      SKIPPED: ${native} is installed in this repository (setup-native ran here); the pure-JS fallback is tested in a fresh clone`);
      this.skip();
    }
    const b = await loadBackend(tempDir());
    assert.equal(b.pkg, '@tensorflow/tfjs');
    assert.equal(b.tf.getBackend(), 'cpu');
    assert.equal(b.device, 'cpu (pure JS)');
    assert.deepEqual(b.attempts.map((a) => [a.pkg, a.ok]), BACKEND_PACKAGES.map((p) => [p, p === '@tensorflow/tfjs']));
    for (const a of b.attempts.filter((x) => !x.ok)) {
      assert.equal(a.reason, `${a.pkg} is not installed`);
      assert.match(a.advice ?? '', new RegExp(`npm install ${a.pkg}@4.22.0`));
      if (a.pkg !== '@tensorflow/tfjs') assert.match(a.advice ?? '', /skipcheck setup-native/);
    }
    assert.match(b.attempts[0].advice ?? '', /CUDA 11\.2 and cuDNN 8\.1/);
  });

  it('turns loader errors into a reason and a fix', () => {
    const cuda = explainBackendFailure('@tensorflow/tfjs-node-gpu',
      new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory'));
    assert.match(cuda.reason, /libcudart\.so\.11\.0/);
    assert.match(cuda.advice, /CUDA 11\.2 and cuDNN 8\.1/);
    assert.match(explainBackendFailure('@tensorflow/tfjs-node-gpu', new Error('libcudnn.so.8: cannot open shared object file')).reason, /libcudnn\.so\.8/);
    const abi = explainBackendFailure('@tensorflow/tfjs-node', new Error(
      "The module '/x/tfjs_binding.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 108. This version of Node.js requires NODE_MODULE_VERSION 115."));
    assert.match(abi.reason, /native binding failed to load/);
    assert.match(abi.advice, /skipcheck setup-native/);
    assert.match(abi.advice, /skipcheck\.train\.nodePath/);
    const missing = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'"), { code: 'MODULE_NOT_FOUND' });
    assert.equal(explainBackendFailure('@tensorflow/tfjs-node', missing).reason, '@tensorflow/tfjs-node is not installed');
  });
});
