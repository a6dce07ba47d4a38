// What PID 1 knows about its node, owned by main.ts and changed only through
// the named functions below: the boot phases record what they learn, live
// config replaces the effective config, a boot failure records why. The
// control API and the boot sequence read it.
import type { K3OSConfig } from '../config/schema.ts';
import type { BootCmdline } from './cmdline.ts';
import type { RootSource } from './mounts.ts';
import type { Mode, Runtime } from './types.ts';

/** The boot stage that failed and its error, when boot dropped to recovery. */
export interface BootFailure {
  stage: string;
  error: string;
}

export class NodeState {
  readonly runtime: Runtime;
  #cmdline: BootCmdline;
  #state: RootSource = { kind: 'tmpfs' };
  #mode: Mode | undefined;
  #config: K3OSConfig | undefined;
  #nodeIp: string | undefined;
  #k3sPid: number | undefined;
  #recoveryReason: string | undefined;
  #failure: BootFailure | undefined;

  constructor(runtime: Runtime, cmdline: BootCmdline) {
    this.runtime = runtime;
    this.#cmdline = cmdline;
  }

  get cmdline(): BootCmdline { return this.#cmdline; }
  /** Where /var and the other persistent directories come from. */
  get state(): RootSource { return this.#state; }
  /** Unknown until the mode phase has run. */
  get mode(): Mode | undefined { return this.#mode; }
  /** The config in effect: the boot's, then each live apply's. */
  get config(): K3OSConfig | undefined { return this.#config; }
  /** The default route's source address once the network is online: k3s's --node-ip. */
  get nodeIp(): string | undefined { return this.#nodeIp; }
  get k3sPid(): number | undefined { return this.#k3sPid; }
  /** Why recovery was entered (a failed stage, k3os.mode=recovery, the boot prompt). */
  get recoveryReason(): string | undefined { return this.#recoveryReason; }
  get failure(): BootFailure | undefined { return this.#failure; }

  cmdlineRead(cmdline: BootCmdline): void { this.#cmdline = cmdline; }
  stateFound(state: RootSource): void { this.#state = state; }

  modeChosen(mode: Mode, recoveryReason?: string): void {
    this.#mode = mode;
    if (mode === 'recovery' && recoveryReason !== undefined) this.#recoveryReason = recoveryReason;
  }

  configInEffect(config: K3OSConfig): void { this.#config = config; }
  networkOnline(nodeIp: string): void { this.#nodeIp = nodeIp; }
  k3sStarted(pid: number): void { this.#k3sPid = pid; }

  bootFailed(failure: BootFailure): void {
    this.#recoveryReason = failure.error;
    this.#failure = failure;
  }
}
