// The names a config may use as keys and paths, checked by the schema with a
// reason: sysctl names as /proc/sys has them, Linux interface names
// (dev_valid_name in net/core/dev.c), Kubernetes label keys and values and
// taints (apimachinery's validation: qualified names, DNS-1123 subdomains),
// absolute file paths. No key may be one of Object.prototype's names: a config
// must not be able to reach an object's prototype through a map or a path.

export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

export const isPrototypeKey = (key: string): boolean => PROTOTYPE_KEYS.has(key);

/** `kernel.printk`, `net.ipv4.conf.eth0/100.rp_filter`: two or more segments, `.` or `/` between them (sysctl.conf uses `/` for a dot inside a segment). */
const SYSCTL = /^[A-Za-z0-9_+@-]+([./][A-Za-z0-9_+@-]+)+$/;
export const sysctlNameProblem = (name: string): string | undefined =>
  isPrototypeKey(name) || !SYSCTL.test(name) || name.length > 255
    ? `"${name}" is not a sysctl name (segments of letters, digits, _ - + @, separated by . or /, as under /proc/sys)`
    : undefined;

/** A POSIX shell variable name, as /etc/environment and sh take it. */
export const environmentNameProblem = (name: string): string | undefined =>
  isPrototypeKey(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `"${name}" is not an environment variable name (letters, digits and _, not first a digit)` : undefined;

/** Linux: 1 to 15 bytes (IFNAMSIZ - 1), not "." or "..", no "/", ":" or whitespace; here printable ASCII only. */
export const interfaceNameProblem = (name: string): string | undefined => {
  if (isPrototypeKey(name)) return `"${name}" is not an interface name`;
  if (name.length === 0 || Buffer.byteLength(name) > 15) return `"${name}" is not an interface name (1 to 15 bytes)`;
  if (name === '.' || name === '..' || !/^[!-~]+$/.test(name) || /[/:]/.test(name)) {
    return `"${name}" is not an interface name (printable characters other than / and :, not . or ..)`;
  }
  return undefined;
};

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL})*$`);

/** A label key: `[prefix/]name`, prefix a DNS subdomain of at most 253 characters, name at most 63. */
export const labelKeyProblem = (key: string): string | undefined => {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `"${key}": the prefix "${prefix}" must be a lowercase DNS subdomain of at most 253 characters`;
  }
  if (name.length > 63 || !NAME.test(name) || isPrototypeKey(key)) {
    return `"${key}": the name must be at most 63 characters, alphanumeric at both ends, with - _ . between`;
  }
  return undefined;
};

/** A label value: empty, or at most 63 characters of the name pattern. */
export const labelValueProblem = (value: string): string | undefined =>
  value === '' || (value.length <= 63 && NAME.test(value)) ? undefined
    : `"${value}" is not a label value (at most 63 characters, alphanumeric at both ends, with - _ . between; or empty)`;

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

/** k3s's --node-taint form, which k3OS passed on: `key[=value]:Effect`. */
export const taintProblem = (taint: string): string | undefined => {
  const m = /^([^=:]+)(?:=([^:]*))?:([^:]+)$/.exec(taint);
  if (!m) return `"${taint}" is not a taint (key=value:Effect)`;
  const [, key = '', value = '', effect = ''] = m;
  if (!(TAINT_EFFECTS as readonly string[]).includes(effect)) return `"${taint}": the effect must be one of ${TAINT_EFFECTS.join(', ')}`;
  return labelKeyProblem(key) ?? labelValueProblem(value);
};

/** write_files paths: absolute, no `..` segment, no NUL. */
export const filePathProblem = (path: string): string | undefined => {
  if (!path.startsWith('/')) return `"${path}" is not an absolute path`;
  if (path.includes('\0')) return 'a path must not contain a NUL byte';
  if (path.split('/').includes('..')) return `"${path}" must not contain a .. segment`;
  return undefined;
};
