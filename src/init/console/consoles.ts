// The console devices the kernel command line names. Pure: `console=` values in, devices out.

export type Parity = 'n' | 'o' | 'e';

export interface ConsoleDevice {
  /** Kernel name without /dev/, e.g. ttyS0, tty1, hvc0. */
  name: string;
  /** Device node, e.g. /dev/ttyS0. */
  path: string;
  /** Line speed for serial consoles; null for virtual terminals (they have none). */
  baud: number | null;
  parity: Parity;
  bits: number;
  /** The last console= device is /dev/console (the kernel's preferred console). */
  primary: boolean;
  kind: 'serial' | 'vt' | 'other';
}

// Names the kernel registers as consoles but that carry no login: early consoles,
// network and printer consoles, the null console.
const NOT_A_TERMINAL = /^(uart|uart8250|earlycon|netcon|netconsole|lp|null|ttynull|brl)/;

function kindOf(name: string): ConsoleDevice['kind'] {
  if (/^tty\d+$/.test(name)) return 'vt';
  if (/^tty(S|AMA|USB|ACM|PS|mxc|SAC|LP)\d+$/.test(name)) return 'serial';
  return 'other';
}

function parseOne(arg: string): Omit<ConsoleDevice, 'primary'> | null {
  const [rawName = '', options = ''] = arg.split(',', 2);
  let name = rawName.replace(/^\/dev\//, '');
  // The kernel treats a bare number as ttyS<n> ("console=0" is ttyS0).
  if (/^\d+$/.test(name)) name = `ttyS${name}`;
  if (name === '' || NOT_A_TERMINAL.test(name) || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return null;
  // tty0 means "the foreground virtual terminal", which is tty1 after boot.
  if (name === 'tty0') name = 'tty1';
  const kind = kindOf(name);
  const m = /^(\d+)?([noe])?(\d)?/.exec(options);
  const baud = kind === 'vt' ? null : Number(m?.[1] ?? 0) || (kind === 'serial' ? 9600 : null);
  return {
    name,
    path: `/dev/${name}`,
    baud,
    parity: (m?.[2] as Parity | undefined) ?? 'n',
    bits: Number(m?.[3] ?? 8),
    kind,
  };
}

/**
 * The console devices, in kernel registration order, deduplicated by name (a repeated
 * name updates its options and makes it preferred again, as add_preferred_console does).
 * Without any console= the kernel's console is the virtual terminal; console=null
 * alone means no console at all (an empty list).
 */
export function parseConsoles(args: readonly string[]): ConsoleDevice[] {
  const order: string[] = [];
  const byName = new Map<string, Omit<ConsoleDevice, 'primary'>>();
  let preferred: string | undefined;
  if (args.length === 0) {
    return [{ name: 'tty1', path: '/dev/tty1', baud: null, parity: 'n', bits: 8, kind: 'vt', primary: true }];
  }
  for (const arg of args) {
    const dev = parseOne(arg);
    if (!dev) continue;
    if (!byName.has(dev.name)) order.push(dev.name);
    byName.set(dev.name, dev);
    preferred = dev.name;
  }
  return order.map((n) => ({ ...byName.get(n)!, primary: n === preferred }));
}
