// LiveConfig over a scratch root: a reboot that generation N needs is still
// reported by an unrelated generation N+1 (PUT answer and pendingReboot for
// GET /v1/status), and going back to the boot value clears it. The kernel is
// not ours here, so only the k3s restart runs, and it is recorded.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import type { K3OSConfig } from '../../src/config/schema.ts';
import { loadNodeConfig, type ApplyContext } from '../../src/apply/index.ts';
import { LiveConfig } from '../../src/init/live/live-config.ts';
import { nodeState } from '../fixtures/node-state.ts';

describe('LiveConfig: pending reboot across generations', () => {
  const root = mkdtempSync(join(tmpdir(), 'k3os-live-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const restarts: K3OSConfig[] = [];

  const start = async () => {
    const boot = (await loadNodeConfig(root, { cmdline: '' })).config;
    const node = nodeState({ config: boot });
    const live = new LiveConfig({
      node, log: pino({ level: 'silent' }), root, kernelIsOurs: false,
      applyContext: { root } as ApplyContext,
      restartK3s: async (next) => { restarts.push(next); },
    });
    return { node, live };
  };

  it('generation N+1 keeps the reboot of N; reverting clears it; status follows', async () => {
    const { node, live } = await start();
    assert.deepEqual(live.pendingReboot(), { rebootRequired: false, reasons: [], rebootKeys: [] });

    const n = await live.put({ hostname: 'node-1', k3os: { data_sources: ['cdrom'] } });
    assert.equal(n.rebootRequired, true);
    assert.deepEqual(n.rebootKeys, ['k3os.data_sources']);

    const n1 = await live.put({ hostname: 'node-1', k3os: { data_sources: ['cdrom'], labels: { zone: 'a' } } });
    assert.deepEqual(n1.applied, ['k3os.labels']);
    assert.equal(restarts.length, 1);
    assert.equal(n1.rebootRequired, true, 'no reboot happened since generation N');
    assert.deepEqual(n1.rebootKeys, ['k3os.data_sources']);
    assert.deepEqual(live.pendingReboot(), { rebootRequired: true, reasons: n1.reasons, rebootKeys: ['k3os.data_sources'] });
    assert.deepEqual(node.config?.k3os?.labels, { zone: 'a' }, 'the effective config is the last applied one');

    const n2 = await live.put({ hostname: 'node-1', k3os: { labels: { zone: 'a' } } });
    assert.deepEqual(n2.applied, [], 'nothing changed live');
    assert.equal(n2.rebootRequired, false);
    assert.deepEqual(live.pendingReboot(), { rebootRequired: false, reasons: [], rebootKeys: [] });
  });
});
