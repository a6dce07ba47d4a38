// The `k3os` command (dist/k3os.mjs). It is an ordinary process, not PID 1,
// so running commands with child_process is fine here.
import { spawn } from 'node:child_process';
import type { ApplyContext } from '../apply/context.ts';
import type { Sys } from '../sys/types.ts';
import { createLinuxSys } from '../sys/linux.ts';
import { main } from './cli.ts';
import type { CliIO } from './config-command.ts';

const lazySys = (): Pick<Sys, 'sethostname' | 'loadModule'> => {
  let sys: Sys | undefined;
  const get = () => (sys ??= createLinuxSys());
  return {
    sethostname: (name) => get().sethostname(name),
    loadModule: (path, params) => get().loadModule(path, params),
  };
};

const stderrLog = {
  info: () => {},
  debug: () => {},
  warn: (_: object, msg?: string) => { if (msg) process.stderr.write(`${msg}\n`); },
  error: (_: object, msg?: string) => { if (msg) process.stderr.write(`${msg}\n`); },
};

const applyContext = (root: string): ApplyContext => ({
  sys: lazySys(),
  root,
  log: stderrLog,
  run: (argv) => new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ pid: child.pid ?? -1, code, signal }));
  }),
});

const io: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  applyContext,
};

process.exitCode = process.argv[2] === 'recovery' ? await (await import('./recovery.ts')).recoveryMain(process.argv.slice(3)) : await main(process.argv.slice(2), io);
