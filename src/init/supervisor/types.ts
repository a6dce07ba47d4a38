import type { RestartPolicy } from './restart.ts';

/** The PATH every supervised child starts with. */
export const SERVICE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * A service is a declaration, made where its area lives (k3s/, console/); the
 * supervisor is generic and runs any of them.
 */
export interface ServiceDecl {
  id: string;
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  dependsOn: readonly string[];
  restart: RestartPolicy;
  /** SIGTERM, then SIGKILL after this long. */
  stopTimeoutMs: number;
  /** Terminal for stdin/stdout/stderr, made the controlling tty when it is one. */
  tty?: string;
  /** The child gets PID 1's own stdin, stdout and stderr (a container's console). */
  inheritStdio?: boolean;
  /**
   * Paths for stdin, stdout, stderr. /proc/self/fd/N that cannot be reopened
   * (a socket) is passed as PID 1's fd N itself.
   */
  stdioPaths?: readonly [string, string, string];
  setsid?: boolean;
  /**
   * Waited for once, after dependsOn and before the first start (the agent
   * waits for the kubeconfig k3s writes). Must return when `signal` aborts.
   */
  condition?: { readonly describe: string; wait(signal: AbortSignal): Promise<void> };
  /** Without a tty, stdout+stderr go through a pipe read by PID 1 into this file. */
  logFile?: string;
  cwd?: string;
}

export const DEFAULT_LOG_ROTATION = { maxBytes: 10 * 1024 * 1024, keep: 3 } as const;
