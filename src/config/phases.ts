// k3OS's three phases and what each applies. The step lists follow what
// k3OS's code ran (pkg/cc/apply.go: InitApply, BootApply, RunApply), which is
// slightly narrower than its README table: e.g. hostname and sysctls are not
// re-applied at runtime, password is set at boot only. Steps in a phase run in
// this order; every step runs even when an earlier one failed.

export type Phase = 'initrd' | 'boot' | 'runtime';
export const PHASES: readonly Phase[] = ['initrd', 'boot', 'runtime'];

export type Step =
  | 'modules' | 'sysctls' | 'hostname' | 'password' | 'ssh_authorized_keys'
  | 'write_files' | 'environment' | 'init_cmd' | 'boot_cmd' | 'run_cmd';

export const PHASE_STEPS: Readonly<Record<Phase, readonly Step[]>> = {
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

/**
 * Key -> phases in which it takes effect. Keys applied by other parts of init
 * are listed with the phase where k3OS applied them: the k3s keys when k3s is
 * (re)started (boot, runtime), dns/ntp/network when the network comes up
 * (boot, runtime), data_sources at runtime.
 */
export const PHASE_TABLE: Readonly<Record<string, readonly Phase[]>> = (() => {
  const table: Record<string, Phase[]> = {};
  for (const phase of PHASES) {
    for (const step of PHASE_STEPS[phase]) {
      for (const key of STEP_KEYS[step]) (table[key] ??= []).push(phase);
    }
  }
  const elsewhere: Record<string, Phase[]> = {
    'k3os.data_sources': ['runtime'],
    'k3os.ntp_servers': ['boot', 'runtime'],
    'k3os.dns_nameservers': ['boot', 'runtime'],
    'k3os.network': ['boot', 'runtime'],
    'k3os.wifi': ['boot', 'runtime'],
    'k3os.server_url': ['boot', 'runtime'],
    'k3os.token': ['boot', 'runtime'],
    'k3os.labels': ['boot', 'runtime'],
    'k3os.k3s_args': ['boot', 'runtime'],
    'k3os.taints': ['boot', 'runtime'],
  };
  return { ...table, ...elsewhere };
})();
