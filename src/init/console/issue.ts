// /etc/issue: what getty prints above the login prompt. Rendered from plain facts,
// rewritten whenever the node's addresses change.
import { writeFileAtomic } from '../../lib/atomic-write.ts';

export interface IssueAddress {
  iface: string;
  /** Address with prefix length, e.g. 10.0.2.15/24 or fd00::2/64. */
  address: string;
}

export interface IssueFacts {
  osName: string;
  version: string;
  hostname?: string;
  addresses: readonly IssueAddress[];
}

/** NAME and VERSION_ID (or VERSION) from /etc/os-release text. */
export function parseOsRelease(text: string): { osName: string; version: string } {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2] ?? '';
    if (/^".*"$/.test(v) || /^'.*'$/.test(v)) v = v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    vars.set(m[1]!, v);
  }
  return {
    osName: vars.get('NAME') ?? 'k3OS-ts',
    version: vars.get('VERSION_ID') ?? vars.get('VERSION') ?? 'unknown',
  };
}

// getty expands backslash sequences in /etc/issue (\n host name, \l line...); a
// hostname or interface name must print as it is.
function escapeGetty(text: string): string {
  return text.replace(/\\/g, '\\\\');
}

function shown(a: IssueAddress): boolean {
  const ip = a.address.split('/')[0] ?? '';
  return !(ip.startsWith('127.') || ip === '::1' || /^fe80:/i.test(ip));
}

function family(a: IssueAddress): number {
  return a.address.includes(':') ? 6 : 4;
}

/** The addresses an operator can reach the node on: IPv4 first, loopback and link-local left out. */
export function issueAddresses(addresses: readonly IssueAddress[]): IssueAddress[] {
  return addresses
    .filter(shown)
    .map((a, i) => ({ a, i }))
    .sort((x, y) => family(x.a) - family(y.a) || x.i - y.i)
    .map(({ a }) => a);
}

export function renderIssue(facts: IssueFacts): string {
  const title = `${facts.osName} ${facts.version}${facts.hostname ? `  ${facts.hostname}` : ''}`;
  const addrs = issueAddresses(facts.addresses);
  const width = Math.max(0, ...addrs.map((a) => a.iface.length));
  const lines = [
    title,
    ...(addrs.length === 0
      ? ['  no network address yet']
      : addrs.map((a) => `  ${a.iface.padEnd(width)}  ${a.address}`)),
    '',
    '',
  ];
  return escapeGetty(lines.join('\n'));
}

export interface IssueFiles {
  /** May return a promise: writes are chained, one at a time. */
  write(path: string, text: string): unknown;
}

const realFiles: IssueFiles = {
  write: (path, text) => writeFileAtomic(path, text, { mode: 0o644 }),
};

/**
 * Keeps /etc/issue current. The network side calls `addresses()` with the full set
 * whenever it changes; the file is rewritten atomically only when the text differs.
 * A getty already showing its prompt prints the new text at its next prompt.
 */
export function createIssueUpdater(
  base: Omit<IssueFacts, 'addresses'>,
  opts: { path?: string; files?: IssueFiles; onError?: (err: unknown) => void } = {},
) {
  const path = opts.path ?? '/etc/issue';
  const files = opts.files ?? realFiles;
  let facts: IssueFacts = { ...base, addresses: [] };
  let last: string | undefined;
  // One write at a time; a text rendered while one is in flight waits, and only the newest
  // waiting text is written: the file always ends with the last text rendered.
  let inFlight = false;
  let waiting: string | undefined;
  const write = (text: string): void => {
    let written: unknown;
    try {
      written = files.write(path, text);
    } catch (err) {
      opts.onError?.(err);
      return;
    }
    if (!(written instanceof Promise)) return;
    inFlight = true;
    written.catch((err: unknown) => opts.onError?.(err)).finally(() => {
      inFlight = false;
      const next = waiting;
      waiting = undefined;
      if (next !== undefined) write(next);
    });
  };
  const flush = (): boolean => {
    const text = renderIssue(facts);
    if (text === last) return false;
    if (inFlight) waiting = text;
    else write(text);
    last = text;
    return true;
  };
  return {
    /** Returns whether the file was rewritten. */
    addresses(addresses: readonly IssueAddress[]): boolean {
      facts = { ...facts, addresses: [...addresses] };
      return flush();
    },
    hostname(hostname: string): boolean {
      facts = { ...facts, hostname };
      return flush();
    },
    flush,
  };
}
