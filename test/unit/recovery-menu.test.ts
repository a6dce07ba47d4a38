import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logLines, menuEntries, parseChoice, parsePick, parseYesNo, renderMenu, renderStatus } from '../../src/cli/recovery-menu.ts';
import type { RecoveryClient } from '../../src/cli/recovery-client.ts';
import { ControlError } from '../../src/api/transport.ts';
import type { ControlPowerAction } from '../../src/api/contract.ts';
import { runRecovery, type RecoveryActions, type ShellAuth } from '../../src/cli/recovery-session.ts';

test('menu: eight numbered entries; API entries disabled when PID 1 does not answer; rollback disabled', () => {
  const up = menuEntries({ apiReachable: true });
  assert.deepEqual(up.map((e) => [e.key, e.id]), [
    ['1', 'status'], ['2', 'logs'], ['3', 'restartK3s'], ['4', 'lastGoodConfig'], ['5', 'rollback'], ['6', 'shell'], ['7', 'reboot'], ['8', 'poweroff'],
  ]);
  assert.deepEqual(up.filter((e) => e.disabled).map((e) => [e.id, e.disabled]), [['rollback', 'no previous version installed']]);
  const down = menuEntries({ apiReachable: false });
  assert.deepEqual(down.filter((e) => e.disabled).map((e) => e.id), ['status', 'logs', 'restartK3s', 'rollback']);
  assert.match(renderMenu(down, 'boot phase 3/6 root: EIO'), /reason: boot phase 3\/6 root: EIO\n {2}1\) status.*\[control API unreachable\]/);
});

test('choices: numbers and names, blank redraws, junk and disabled entries explain themselves', () => {
  const e = menuEntries({ apiReachable: true });
  assert.deepEqual(parseChoice(' 7 ', e), { kind: 'entry', entry: e[6] });
  assert.equal((parseChoice('Reboot', e) as { entry: { id: string } }).entry.id, 'reboot');
  assert.equal((parseChoice('sh', e) as { entry: { id: string } }).entry.id, 'shell');
  assert.deepEqual(parseChoice('', e), { kind: 'redraw' });
  assert.deepEqual(parseChoice(null, e), { kind: 'eof' });
  assert.deepEqual(parseChoice('9', e), { kind: 'invalid', message: '"9" is not a choice: type a number from 1 to 8 and press Enter' });
  assert.deepEqual(parseChoice('5', e), { kind: 'invalid', message: '5) roll back to the previous version: no previous version installed' });
  assert.match((parseChoice('\x1b[2J', e) as { message: string }).message, /^"\?\[2j" is not a choice/);
  assert.match((parseChoice('x'.repeat(500), e) as { message: string }).message, /^"x{20}\.\.\."/);
});

test('yes/no and pick parsing', () => {
  assert.equal(parseYesNo('', true), true);
  assert.equal(parseYesNo('N', true), false);
  assert.equal(parseYesNo('maybe', true), undefined);
  assert.equal(parseYesNo(null, true), false);
  assert.equal(parsePick('', 3, 1), 1);
  assert.equal(parsePick('3', 3), 2);
  assert.equal(parsePick('4', 3), undefined);
  assert.equal(parsePick('', 3), undefined);
  assert.equal(parsePick('1x', 3), undefined);
});

test('status puts the failure first, then services and addresses, then the rest', () => {
  const text = renderStatus({
    hostname: 'node-1', mode: 'disk', version: '0.1.0',
    failure: { stage: 'network', error: 'no link' },
    services: [{ id: 'k3s', state: 'running', pid: 42, restarts: 2 }, { id: 'agent', state: 'waiting' }],
    addresses: [{ iface: 'eth0', address: '10.0.2.15/24' }],
    bootId: 'abc',
  });
  assert.equal(text, 'node-1  mode=disk  version=0.1.0\nFAILED at stage network: no link\nservices:\n  k3s: running, pid 42, restarts 2\n  agent: waiting\naddresses:\n  eth0  10.0.2.15/24\nbootId: abc\n');
  assert.equal(renderStatus(['odd']), '- odd\n');
  assert.equal(renderStatus({ hostname: 'n', mode: 'live', os: { name: 'k3OS-ts', version: '0.1.0' }, k3s: { state: 'running', pid: 7 } }),
    'n  mode=live  version=k3OS-ts 0.1.0\nk3s: running, pid 7\n');
});

test('log lines from JSON records, arrays or text', () => {
  assert.deepEqual(logLines({ lines: [JSON.stringify({ level: 50, time: Date.UTC(2024, 0, 1, 12, 0, 1, 5), msg: 'boot failed', err: { message: 'EIO' } }), 'raw'] }),
    ['12:00:01.005 ERR boot failed: EIO', 'raw']);
  assert.deepEqual(logLines('a\nb\n'), ['a', 'b']);
  assert.deepEqual(logLines([{ msg: 'x', level: 30 }]), ['INF x']);
  assert.deepEqual(logLines({ entries: [{ time: '2024-01-01T00:00:00Z', level: 'error', msg: 'z' }] }), ['00:00:00 error z']);
  assert.deepEqual(logLines([{ time: '2024-01-01T12:00:01.005Z', level: 'warn', msg: 'y' }]), ['12:00:01.005 warn y']);
});

// ---- the loop, driven by scripted input and a fake control API ----

interface Script {
  input: (string | null)[];
  client?: Partial<RecoveryClient>;
  auth?: ShellAuth;
  files?: string[];
  shellCode?: number;
}

function harness(s: Script) {
  const out: string[] = [];
  const log: [string, Record<string, unknown> | undefined][] = [];
  const calls: string[] = [];
  const input = [...s.input];
  const files = [...(s.files ?? [])];
  const next = async (prompt: string) => { out.push(prompt); return input.length ? input.shift()! : null; };
  const client: RecoveryClient = {
    status: async () => { calls.push('status'); return { failure: { stage: 'config', error: 'config.d/50-bad.yaml: k3os.labels: expected a map' } }; },
    logs: async (n) => { calls.push(`logs ${n}`); return { lines: ['first', 'second'] }; },
    restartService: async (id) => { calls.push(`restart ${id}`); return {}; },
    power: async (a: ControlPowerAction) => { calls.push(`power ${a}`); return {}; },
    ...s.client,
  };
  const actions: RecoveryActions = {
    listConfigFiles: async () => [...files],
    disableConfigFile: async (name) => { calls.push(`disable ${name}`); files.splice(files.indexOf(name), 1); return `/aside/${name}`; },
    signalInit: (a) => { calls.push(`signal ${a}`); },
    shellAuth: () => s.auth ?? { kind: 'none' },
    shell: async () => { calls.push('shell'); return s.shellCode ?? 0; },
  };
  const run = () => runRecovery({ io: { write: (t) => out.push(t), readLine: next, readSecret: next }, client, actions, log: (e, f) => log.push([e, f]), reason: 'boot phase 4/6 config: boom' });
  return { out, log, calls, run, text: () => out.join('') };
}

test('status, logs and restart go through the control API; every choice is logged', async () => {
  const h = harness({ input: ['1', '2', '3', null] });
  assert.deepEqual(await h.run(), { kind: 'eof' });
  assert.match(h.text(), /reason: boot phase 4\/6 config: boom/);
  assert.match(h.text(), /FAILED at stage config: config.d\/50-bad.yaml: k3os.labels: expected a map/);
  assert.match(h.text(), /first\nsecond\n/);
  assert.match(h.text(), /k3s restarted/);
  assert.ok(h.calls.includes('logs 200') && h.calls.includes('restart k3s'));
  assert.deepEqual(h.log.filter(([e]) => e === 'choice').map(([, f]) => f?.entry), ['status', 'logs', 'restartK3s']);
  assert.deepEqual(h.log.at(-1), ['eof', undefined]);
});

test('bad input gets a clear message and the menu again, then the operator goes on', async () => {
  const h = harness({ input: ['42', 'five', '5', '7'] });
  assert.deepEqual(await h.run(), { kind: 'power', action: 'reboot' });
  assert.match(h.text(), /"42" is not a choice/);
  assert.match(h.text(), /"five" is not a choice/);
  assert.match(h.text(), /no previous version installed/);
  assert.equal(h.text().split('=== k3OS-ts recovery ===').length - 1, 4, 'menu shown first and after each bad input');
  assert.deepEqual(h.log.filter(([e]) => e === 'invalid').length, 3);
  assert.ok(h.calls.includes('power reboot'));
});

test('last good config: the file named in the error is offered first, moved aside, then reboot', async () => {
  const h = harness({ input: ['4', '', 'y'], files: ['10-base.yaml', '50-bad.yaml', '90-k3osconfig.yaml'] });
  assert.deepEqual(await h.run(), { kind: 'power', action: 'reboot' });
  assert.match(h.text(), /2\) 50-bad.yaml {2}\(named in an error\)/);
  assert.match(h.text(), /file to disable \[2\]: /);
  assert.deepEqual(h.calls.filter((c) => !c.startsWith('status')), ['disable 50-bad.yaml', 'power reboot']);
  assert.deepEqual(h.log.find(([e]) => e === 'config.disabled')?.[1], { file: '50-bad.yaml', movedTo: '/aside/50-bad.yaml' });
});

test('last good config defaults to the runtime file; cancel and "no" change nothing', async () => {
  const h = harness({ input: ['4', '', 'maybe', 'n', '4', 'x', null], files: ['90-k3osconfig.yaml'], client: { status: async () => ({}) } });
  assert.deepEqual(await h.run(), { kind: 'eof' });
  assert.match(h.text(), /file to disable \[1\]: /);
  assert.match(h.text(), /answer y or n/);
  assert.equal(h.calls.filter((c) => c.startsWith('disable')).length, 0);
  const empty = harness({ input: ['4', null], files: [] });
  await empty.run();
  assert.match(empty.text(), /config.d is empty/);
});

test('PID 1 unreachable: API entries are disabled, reboot falls back to a signal', async () => {
  const down = async () => { throw new ControlError('GET /v1/status on /run/k3os/init.sock: ENOENT', 0); };
  const h = harness({ input: ['1', '8'], client: { status: down, power: down } });
  assert.deepEqual(await h.run(), { kind: 'power', action: 'poweroff' });
  assert.match(h.text(), /1\) status.*: control API unreachable/);
  assert.ok(h.calls.includes('signal poweroff'));
  assert.deepEqual(h.log.find(([e]) => e === 'power')?.[1]?.via, 'signal');
});

test('a PID 1 that answers GET /v1/status with an error still counts as reachable', async () => {
  const broken = async () => { throw new ControlError('GET /v1/status: HTTP 500: boom', 500); };
  const h = harness({ input: ['1', '2', null], client: { status: broken } });
  await h.run();
  assert.doesNotMatch(h.text(), /control API unreachable/);
  assert.match(h.text(), /no status: the control API did not answer/);
  assert.ok(h.calls.includes('logs 200'));
});

test('restart k3s without the route says which route PID 1 lacks', async () => {
  const h = harness({ input: ['3', null], client: { restartService: async () => { throw new ControlError('POST /v1/services/k3s/restart: HTTP 404: no route', 404); } } });
  await h.run();
  assert.match(h.text(), /does not offer POST \/v1\/services\/k3s\/restart/);
});

test('root shell asks the password when one is set: three tries, then back to the menu', async () => {
  const verify = (pw: string) => pw === 'sesame';
  const denied = harness({ input: ['6', 'a', 'b', 'c', null], auth: { kind: 'password', verify } });
  await denied.run();
  assert.equal(denied.calls.includes('shell'), false);
  assert.equal((denied.text().match(/wrong password/g) ?? []).length, 3);
  assert.ok(denied.log.some(([e]) => e === 'shell.denied'));

  const allowed = harness({ input: ['6', 'wrong', 'sesame', null], auth: { kind: 'password', verify }, shellCode: 3 });
  await allowed.run();
  assert.ok(allowed.calls.includes('shell'));
  assert.deepEqual(allowed.log.find(([e]) => e === 'shell.exit')?.[1], { code: 3 });

  const open = harness({ input: ['shell', null] });
  await open.run();
  assert.ok(open.calls.includes('shell'));
  assert.equal(open.out.some((o) => o.startsWith('password')), false);

  const none = harness({ input: ['6', null], auth: { kind: 'unavailable', reason: 'rancher has a $1$ hash' } });
  await none.run();
  assert.match(none.text(), /root shell unavailable: rancher has a \$1\$ hash/);
});

test('when neither the control API nor a signal can reach PID 1, the menu says so and stays', async () => {
  const down = async () => { throw new ControlError('ENOENT', 0); };
  const out: string[] = [];
  const input: (string | null)[] = ['7', null];
  const outcome = await runRecovery({
    io: { write: (t) => out.push(t), readLine: async () => input.shift() ?? null, readSecret: async () => null },
    client: { status: down, logs: down, restartService: down, power: down },
    actions: {
      listConfigFiles: async () => [], disableConfigFile: async () => '', shellAuth: () => ({ kind: 'none' }), shell: async () => 0,
      signalInit: () => { throw new Error('PID 1 is not k3os init (/sbin/init); not signalling it'); },
    },
    log: () => {},
  });
  assert.deepEqual(outcome, { kind: 'eof' });
  assert.match(out.join(''), /reboot: control API failed \(ENOENT\) and no signal sent: PID 1 is not k3os init/);
});
