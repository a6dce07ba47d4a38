import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBootCmdline } from '../../src/init/cmdline.ts';
import { tokenizeCmdline } from '../../src/config/cmdline.ts';

/** The console devices of a command line, as the boot reads them. */
const parseConsoles = (text: string) => readBootCmdline(text).consoles;
import { consoleSettings, parsePromptSeconds, recoveryRequested, resolveConsoleLogLevel } from '../../src/init/console/settings.ts';

test('tokenizeCmdline: whitespace separates, double quotes group', () => {
  assert.deepEqual(tokenizeCmdline(' a=1  b="x y" c\n'), ['a=1', 'b=x y', 'c']);
});

test('serial console with baud, parity and bits; the last console= is primary', () => {
  const c = parseConsoles('root=x console=ttyS0,115200n8 console=tty1 quiet');
  assert.deepEqual(c.map((d) => [d.name, d.path, d.baud, d.parity, d.bits, d.kind, d.primary]), [
    ['ttyS0', '/dev/ttyS0', 115200, 'n', 8, 'serial', false],
    ['tty1', '/dev/tty1', null, 'n', 8, 'vt', true],
  ]);
});

test('order decides the primary console, as the kernel does', () => {
  const c = parseConsoles('console=tty1 console=ttyS1,38400e7');
  assert.equal(c.find((d) => d.primary)?.name, 'ttyS1');
  assert.deepEqual([c[1]?.baud, c[1]?.parity, c[1]?.bits], [38400, 'e', 7]);
});

test('a repeated name updates its options and becomes preferred again', () => {
  const c = parseConsoles('console=ttyS0,9600 console=tty1 console=ttyS0,115200');
  assert.deepEqual(c.map((d) => [d.name, d.baud, d.primary]), [['ttyS0', 115200, true], ['tty1', null, false]]);
});

test('serial without speed gets 9600, tty0 means tty1, a bare number is ttyS<n>, /dev/ prefix tolerated', () => {
  assert.equal(parseConsoles('console=ttyS0')[0]?.baud, 9600);
  assert.equal(parseConsoles('console=tty0')[0]?.name, 'tty1');
  assert.equal(parseConsoles('console=1,57600')[0]?.name, 'ttyS1');
  assert.equal(parseConsoles('console=/dev/hvc0')[0]?.path, '/dev/hvc0');
  assert.equal(parseConsoles('console=hvc0')[0]?.kind, 'other');
});

test('no console= gives the virtual terminal; console=null alone gives none; early consoles skipped', () => {
  assert.deepEqual(parseConsoles('quiet').map((d) => [d.name, d.primary]), [['tty1', true]]);
  assert.deepEqual(parseConsoles('console=null'), []);
  assert.deepEqual(parseConsoles('console=uart8250,io,0x3f8,115200 console=ttyS0').map((d) => d.name), ['ttyS0']);
  assert.deepEqual(parseConsoles('console=netcon0 console=lp0'), []);
});

test('the last occurrence of a key wins', () => {
  assert.equal(readBootCmdline('k3os.mode=live k3os.mode=recovery').mode, 'recovery');
  assert.equal(readBootCmdline('k3os.modex=1').mode, undefined);
  assert.equal(readBootCmdline('k3os.recovery_prompt=1 k3os.recovery_prompt=3').recoveryPrompt, '3');
});

test('recovery is requested by k3os.mode=recovery|rescue|shell or a bare rescue word', () => {
  for (const c of ['k3os.mode=recovery', 'k3os.mode=rescue', 'k3os.mode=shell', 'quiet rescue']) assert.equal(recoveryRequested(readBootCmdline(c)), true, c);
  for (const c of ['k3os.mode=disk', 'rescued', '', 'k3os.mode=live rescue']) assert.equal(recoveryRequested(readBootCmdline(c)), false, c);
});

test('console log level: kernel argument over config, invalid values warn with the fix', () => {
  assert.equal(resolveConsoleLogLevel('debug', 'error'), 'debug');
  assert.equal(resolveConsoleLogLevel(undefined, 'ERROR'), 'error');
  assert.equal(resolveConsoleLogLevel(undefined, undefined), 'info');
  const w: { code: string; message: string }[] = [];
  assert.equal(resolveConsoleLogLevel('loud', 'warn', w), 'warn');
  assert.equal(w[0]?.code, 'K3OS_CONSOLE_LOG_LEVEL');
  assert.match(w[0]?.message ?? '', /kernel command line k3os.console_log_level: "loud".*trace, debug/);
});

test('recovery prompt seconds: default, zero disables, fractions, capped, invalid warns', () => {
  assert.equal(parsePromptSeconds(undefined), 1000);
  assert.equal(parsePromptSeconds('0'), 0);
  assert.equal(parsePromptSeconds('1.5'), 1500);
  assert.equal(parsePromptSeconds('3600'), 30_000);
  const w: { code: string; message: string }[] = [];
  assert.equal(parsePromptSeconds('-1', w), 1000);
  assert.equal(parsePromptSeconds('soon', w), 1000);
  assert.equal(w.length, 2);
});

test('consoleSettings reads all three settings from one command line', () => {
  const s = consoleSettings(readBootCmdline('k3os.console_log_level=warn k3os.recovery_prompt=2 k3os.mode=rescue'), { consoleLogLevel: 'debug' });
  assert.deepEqual(s, { logLevel: 'warn', recoveryPromptMs: 2000, recoveryRequested: true, warnings: [] });
});

test('console log level: a number is the kernel console loglevel (config k3os.console_log_level), mapped to the same threshold', () => {
  assert.equal(resolveConsoleLogLevel(undefined, 4), 'error');
  assert.equal(resolveConsoleLogLevel(undefined, 7), 'info');
  assert.equal(resolveConsoleLogLevel('8', 4), 'debug');
  assert.equal(resolveConsoleLogLevel('0', undefined), 'silent');
  assert.equal(resolveConsoleLogLevel('5', undefined), 'warn');
  const w: { code: string; message: string }[] = [];
  assert.equal(resolveConsoleLogLevel(undefined, 9, w), 'info');
  assert.match(w[0]?.message ?? '', /config k3os.console_log_level: "9".*kernel loglevel 0-8/);
});
