// The VS Code client restarts a crashed server, but not forever: a crash loop stops after a few tries.
import { strict as assert } from 'node:assert';
import { restartPolicy } from '../../client/src/restartPolicy';

describe('client restart policy', () => {
  it('allows maxRestarts crashes inside the window, then refuses until old crashes age out or it is reset', () => {
    const policy = restartPolicy(2, 1000);
    assert.deepEqual([0, 100, 200].map((t) => policy.shouldRestart(t)), [true, true, false]);
    assert.equal(policy.shouldRestart(1150), true, 'the crashes at 0 and 100 are older than the window');
    assert.equal(policy.shouldRestart(1160), false);
    policy.reset();
    assert.equal(policy.shouldRestart(1170), true);
  });
});
