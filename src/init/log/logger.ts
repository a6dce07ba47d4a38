import pino from 'pino';
import type { ConsoleLogStream } from '../console/log-stream.ts';
import type { MemoryThenFile } from './file-sink.ts';
import { REDACT_PATHS, type SecretScrubber } from './redact.ts';

export type Logger = pino.Logger;

/**
 * PID 1's logger: every record at debug and above as JSON into init.log
 * (memory until /var is mounted), info and above as short lines on the
 * console (the console stream filters by its own level too). Every line is
 * scrubbed of the secrets PID 1 knows before it goes anywhere.
 */
export function createInitLogger(o: { file: Pick<MemoryThenFile, 'write'>; console: ConsoleLogStream; secrets: Pick<SecretScrubber, 'scrub'> }): Logger {
  return pino(
    {
      level: 'debug',
      base: {},
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.errWithCause },
    },
    pino.multistream([
      { level: 'debug', stream: { write: (l: string) => o.file.write(o.secrets.scrub(l)) } },
      { level: 'info', stream: { write: (l: string) => o.console.write(o.secrets.scrub(l)) } },
    ]),
  );
}
