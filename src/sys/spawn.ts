import type { SpawnSpec, StdioSpec } from './types.ts';

/** The positional arguments of the native spawn, checked. */
export type NativeSpawnArgs = [
  file: string,
  argv: string[],
  envp: string[],
  cwd: string | null,
  stdio: [number, number, number],
  setsid: boolean,
  controllingTty: boolean,
  uid: number,
  gid: number,
];

/** The native spawn's stand-in for 'null' (it opens /dev/null). */
export const STDIO_NULL = -1;

const MAX_ID = 0xfffffffe; // (uid_t)-1 means "unchanged" to the kernel

function checkString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`spawn ${what} must be a string, got ${typeof value}`);
  if (value.includes('\0')) throw new TypeError(`spawn ${what} must not contain NUL`);
  return value;
}

function stdioFd(spec: StdioSpec | undefined, name: string): number {
  if (spec === undefined || spec === 'null') return STDIO_NULL;
  if (spec === null || typeof spec !== 'object' || typeof spec.fd !== 'number') {
    throw new TypeError(`spawn ${name} must be 'null' or { fd: number }`);
  }
  if (!Number.isInteger(spec.fd) || spec.fd < 0 || spec.fd > 0x7fffffff) {
    throw new RangeError(`spawn ${name}.fd must be a non-negative integer, got ${spec.fd}`);
  }
  return spec.fd;
}

function checkId(value: number | undefined, name: string): number {
  if (value === undefined) return -1;
  if (typeof value !== 'number') throw new TypeError(`spawn ${name} must be a number, got ${typeof value}`);
  if (!Number.isInteger(value) || value < 0 || value > MAX_ID) {
    throw new RangeError(`spawn ${name} must be an integer from 0 to ${MAX_ID}, got ${value}`);
  }
  return value;
}

export function spawnArgs(spec: SpawnSpec): NativeSpawnArgs {
  if (spec === null || typeof spec !== 'object') throw new TypeError('spawn spec must be an object');
  if (!Array.isArray(spec.argv)) throw new TypeError('spawn argv must be an array of strings');
  if (spec.argv.length === 0) throw new RangeError('spawn argv must not be empty');
  const argv = spec.argv.map((arg, i) => checkString(arg, `argv[${i}]`));
  const file = checkString(spec.file ?? argv[0], 'file');
  if (file === '') throw new RangeError('spawn file must not be empty');
  if (spec.env === null || typeof spec.env !== 'object') throw new TypeError('spawn env must be an object of strings');
  const envp = Object.entries(spec.env).map(([key, value]) => {
    if (key === '' || key.includes('=')) throw new RangeError(`spawn env key ${JSON.stringify(key)} must be non-empty and without '='`);
    return `${checkString(key, 'env key')}=${checkString(value, `env.${key}`)}`;
  });
  const cwd = spec.cwd === undefined ? null : checkString(spec.cwd, 'cwd');
  const stdio: [number, number, number] = [
    stdioFd(spec.stdin, 'stdin'),
    stdioFd(spec.stdout, 'stdout'),
    stdioFd(spec.stderr, 'stderr'),
  ];
  const controllingTty = spec.controllingTty === true;
  if (controllingTty && stdio[0] === STDIO_NULL) throw new RangeError('spawn controllingTty needs stdin to be a terminal fd');
  return [file, argv, envp, cwd, stdio, spec.setsid === true || controllingTty, controllingTty, checkId(spec.uid, 'uid'), checkId(spec.gid, 'gid')];
}
