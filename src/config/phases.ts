// k3OS's three phases and what each applies. The step lists follow what
// k3OS's code ran (pkg/cc/apply.go: InitApply, BootApply, RunApply), which is
// slightly narrower than its README table: e.g. hostname and sysctls are not
// re-applied at runtime, password is set at boot only. Steps in a phase run in
// this order; every step runs even when an earlier one failed.

/** A k3OS config phase (not a boot phase: those are src/init/phases). */
export type ConfigPhase = 'initrd' | 'boot' | 'runtime';
export const PHASES: readonly ConfigPhase[] = ['initrd', 'boot', 'runtime'];

export type Step =
  | 'modules' | 'sysctls' | 'hostname' | 'password' | 'ssh_authorized_keys'
  | 'write_files' | 'environment' | 'init_cmd' | 'boot_cmd' | 'run_cmd';

export const PHASE_STEPS: Readonly<Record<ConfigPhase, readonly Step[]>> = {
  initrd: ['modules', 'sysctls', 'hostname', 'write_files', 'environment', 'init_cmd'],
  boot: ['modules', 'sysctls', 'hostname', 'password', 'ssh_authorized_keys', 'write_files', 'environment', 'boot_cmd'],
  runtime: ['ssh_authorized_keys', 'write_files', 'environment', 'run_cmd'],
};

/** Config keys each step reads. */
export const STEP_KEYS: Readonly<Record<Step, readonly string[]>> = {
  modules: ['k3os.modules'],
  sysctls: ['k3os.sysctls', 'k3os.console_log_level'],
  hostname: ['hostname'],
  password: ['k3os.password'],
  ssh_authorized_keys: ['ssh_authorized_keys'],
  write_files: ['write_files'],
  environment: ['k3os.environment'],
  init_cmd: ['init_cmd'],
  boot_cmd: ['boot_cmd'],
  run_cmd: ['run_cmd'],
};
