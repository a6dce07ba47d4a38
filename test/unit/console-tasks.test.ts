import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BootPrompt } from '../../src/init/console/prompt.ts';
import { applyConsoleLogLevel, awaitRecoveryPrompt } from '../../src/init/phases/config.ts';
import { applyConsoleSettings } from '../../src/init/phases/early-mounts.ts';
import type { BootContext } from '../../src/init/phases/types.ts';
import type { Logger } from '../../src/init/log/logger.ts';
import { nodeState } from '../fixtures/node-state.ts';

function fakeCtx(facts: Parameters<typeof nodeState>[0]) {
  const levels: string[] = [];
  const warnings: Array<{ code?: unknown; msg: string }> = [];
  const log = {
    warn: (o: { code?: unknown }, msg: string) => { warnings.push({ code: o.code, msg }); },
    info: () => {}, debug: () => {}, error: () => {},
    child: () => log,
  } as unknown as Logger;
  const ctx = {
    log,
    node: nodeState(facts),
    prompt: new BootPrompt(),
    consoleLog: { setLevel: (l: string) => { levels.push(l); } },
  } as unknown as BootContext;
  return { ctx, log, levels, warnings };
}

test('applyConsoleSettings sets the console level from the command line and logs bad values with their code', async () => {
  const a = fakeCtx({ cmdline: 'console=ttyS0 k3os.console_log_level=warn' });
  await applyConsoleSettings.run(a.ctx, a.log);
  assert.deepEqual(a.levels, ['warn']);
  const b = fakeCtx({ cmdline: 'k3os.console_log_level=loud k3os.recovery_prompt=soon' });
  await applyConsoleSettings.run(b.ctx, b.log);
  assert.deepEqual(b.levels, ['info']);
  assert.deepEqual(b.warnings.map((w) => w.code), ['K3OS_CONSOLE_LOG_LEVEL', 'K3OS_RECOVERY_PROMPT']);
});

test('no prompt outside a machine: the mode phase keeps the mode it chose', async () => {
  const a = fakeCtx({ cmdline: 'console=ttyS0', mode: 'disk' });
  await applyConsoleSettings.run(a.ctx, a.log);
  await awaitRecoveryPrompt.run(a.ctx, a.log);
  assert.equal(a.ctx.node.mode, 'disk');
  assert.equal(a.ctx.node.recoveryReason, undefined);
});

test('the config level applies unless the command line set one; a bad config value warns once', async () => {
  const a = fakeCtx({ config: { k3os: { console_log_level: 4 } } });
  await applyConsoleLogLevel.run(a.ctx, a.log);
  assert.deepEqual(a.levels, ['error']);
  const b = fakeCtx({ cmdline: 'k3os.console_log_level=debug', config: { k3os: { console_log_level: 4 } } });
  await applyConsoleLogLevel.run(b.ctx, b.log);
  assert.deepEqual(b.levels, ['debug']);
  const c = fakeCtx({ cmdline: 'k3os.console_log_level=loud', config: { k3os: { console_log_level: 9 } } });
  await applyConsoleLogLevel.run(c.ctx, c.log);
  assert.deepEqual(c.warnings.map((w) => w.msg.slice(0, 30)), ['config k3os.console_log_level:']);
});
