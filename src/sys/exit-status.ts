import type { ExitStatus } from './types.ts';

/** How a child ended, as a log line or an error message says it. */
export function describeExit(s: ExitStatus): string {
  return s.signal !== null ? `killed by ${s.signal}` : `exit code ${s.code}`;
}
