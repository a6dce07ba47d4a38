import { ServiceRunner, type ServiceDeps } from './service.ts';
import type { ServiceDecl } from './types.ts';

export type SupervisorDeps = Pick<ServiceDeps, 'sys' | 'log' | 'clock' | 'delay' | 'random' | 'backoff' | 'openOutput'>;

/**
 * Owns every service runner; starts each once its dependencies have run. There
 * is nothing to start before the first service: the shutdown ladder stops them.
 */
export class Supervisor {
  readonly #d: SupervisorDeps;
  readonly #runners = new Map<string, ServiceRunner>();
  /** Dependents waiting for a service that has not been added yet. */
  readonly #awaitingAdd = new Map<string, Array<() => void>>();

  constructor(deps: SupervisorDeps) {
    this.#d = deps;
  }

  /** Adds and starts a service. An id already present is an error (one owner per service). */
  async add(decl: ServiceDecl): Promise<ServiceRunner> {
    if (this.#runners.has(decl.id)) throw new Error(`service ${decl.id} is already supervised`);
    const runner = new ServiceRunner(decl, {
      ...this.#d,
      log: this.#d.log.child({ service: decl.id }),
      ...(decl.dependsOn.length > 0 ? { dependencies: (signal) => this.#waitFor(decl, signal) } : {}),
    });
    this.#runners.set(decl.id, runner);
    for (const wake of this.#awaitingAdd.get(decl.id) ?? []) wake();
    this.#awaitingAdd.delete(decl.id);
    await runner.start();
    return runner;
  }

  /** Stops the service and starts `decl` in its place (k3s with a new command line). */
  async replace(decl: ServiceDecl): Promise<ServiceRunner> {
    const old = this.#runners.get(decl.id);
    if (old) {
      await old.stop();
      this.#runners.delete(decl.id);
    }
    return this.add(decl);
  }

  get(id: string): ServiceRunner | undefined {
    return this.#runners.get(id);
  }

  /** In the order they were added. */
  list(): ServiceRunner[] {
    return [...this.#runners.values()];
  }

  async stopService(id: string): Promise<void> {
    await this.#runners.get(id)?.stop();
  }

  /** Stops every service, the last added first. */
  async stop(): Promise<void> {
    for (const r of this.list().reverse()) await r.stop();
  }

  async #waitFor(decl: ServiceDecl, signal: AbortSignal): Promise<void> {
    const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    for (const dep of decl.dependsOn) {
      if (!this.#runners.has(dep)) {
        await Promise.race([new Promise<void>((resolve) => {
          this.#awaitingAdd.set(dep, [...(this.#awaitingAdd.get(dep) ?? []), resolve]);
        }), aborted]);
      }
      const runner = this.#runners.get(dep);
      if (runner === undefined || signal.aborted) return;
      await Promise.race([runner.started, aborted]);
    }
  }
}
