// TEST-ONLY, left out of the usage text: `k3os debug exit N` ends a qemu VM
// with exit status 2N+1 through isa-debug-exit (src/sys/debug-exit.ts), so a
// VM test can take a verdict from a script running inside the guest. It
// refuses unless the kernel command line allows it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { debugExit, debugExitAllowed, DEBUG_EXIT_TOKEN } from '../sys/debug-exit.ts';
import { UsageError } from './args.ts';
import type { CliOutcome } from './exit-code.ts';

export const DEBUG_USAGE = 'usage: k3os debug exit N     (test-only: qemu isa-debug-exit, N in 0..127)';

const exitArgs = z.tuple([z.literal('exit'), z.string().regex(/^\d{1,3}$/, 'N must be a number').transform(Number).pipe(z.number().max(127))]);

export interface DebugIO {
  err(text: string): void;
  cmdline?(): string;
  exit?(code: number): void;
}

export const debugCommand = async (argv: readonly string[], io: DebugIO): Promise<CliOutcome> => {
  const r = exitArgs.safeParse(argv);
  if (!r.success) throw new UsageError(`debug: ${r.error.issues.map((i) => i.message).join('; ')}`);
  const cmdline = io.cmdline ? io.cmdline() : readFileSync('/proc/cmdline', 'utf8');
  if (!debugExitAllowed(cmdline)) {
    io.err(`k3os debug exit: refused: the kernel command line lacks ${DEBUG_EXIT_TOKEN} (VM tests only)\n`);
    return 'failed';
  }
  (io.exit ?? debugExit)(r.data[1]);
  // Under qemu the write ended the machine; reaching this line means there was no such device.
  io.err('k3os debug exit: the port write returned: no isa-debug-exit device here\n');
  return 'failed';
};
