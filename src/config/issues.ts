// Config problems as values. Every issue names its source (a file path or
// "kernel command line"), the key path, a position when YAML has one, and
// the reason; warnings and errors differ only in severity.

export type IssueCode =
  | 'K3OS_YAML_SYNTAX'
  | 'K3OS_NOT_A_MAP'
  | 'K3OS_UNKNOWN_KEY'
  | 'K3OS_DUPLICATE_KEY'
  | 'K3OS_NULL_ITEM'
  | 'K3OS_INVALID_VALUE'
  | 'K3OS_BAD_NAMESERVER'
  | 'K3OS_SOURCE_UNREADABLE'
  | 'K3OS_SOURCE_TOO_LARGE';

export interface ConfigIssue {
  severity: 'error' | 'warning';
  code: IssueCode;
  /** File path, "kernel command line", or another source name. */
  source: string;
  /** Dotted key path with [i] for list items, "" for the whole document. */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

export const formatIssue = (i: ConfigIssue): string => {
  const where = i.line !== undefined ? `${i.source}:${i.line}:${i.column ?? 1}` : i.source;
  const key = i.path ? ` ${i.path}:` : '';
  return `${where}: ${i.severity}:${key} ${i.message} [${i.code}]`;
};

export type PathSeg = string | number;

export const pathToString = (path: readonly PathSeg[]): string => {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_]+$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
};
