// The one place outcomes become exit codes.
import { UsageError } from './args.ts';

export type CliOutcome = 'ok' | 'invalid' | 'failed';

export const exitCode = (outcome: CliOutcome | Error): number => {
  if (outcome instanceof UsageError) return 2;
  if (outcome instanceof Error) return 1;
  return outcome === 'ok' ? 0 : 1;
};
