// The config schema: the single source of truth for init (validation), the
// CLI (dump) and the agent (the CRD's OpenAPI schema via z.toJSONSchema).
// It stays JSON-Schema-expressible: no transforms. k3OS's lenient spellings
// (aliases, string-for-list, numbers-for-strings) are undone beforehand by
// normalize.ts, so this schema sees canonical snake_case keys only.
import { isIPv4, isIPv6 } from 'node:net';
import { isCidr, isIp } from './cidr.ts';
import { environmentNameProblem, filePathProblem, interfaceNameProblem, labelKeyProblem, labelValueProblem, sysctlNameProblem, taintProblem } from './names.ts';
import { z } from 'zod';

const EXT = '(k3OS-ts extension, not in k3OS)';

export const WRITE_FILE_ENCODINGS = [
  '', 'b64', 'base64', 'gz', 'gzip', 'gz+b64', 'gz+base64', 'gzip+b64', 'gzip+base64',
] as const;

export { isCidr, isIp } from './cidr.ts';

const stringList = (description: string) => z.array(z.string()).describe(description);

/** A string checked by a names.ts rule, its reason as the message. */
const checked = (problem: (v: string) => string | undefined) => z.string().superRefine((v, ctx) => {
  const reason = problem(v);
  if (reason !== undefined) ctx.addIssue({ code: 'custom', message: reason });
});

export const writeFileSchema = z.object({
  path: checked(filePathProblem).describe('Absolute path of the file to write.'),
  content: z.string().optional()
    .describe('File content, encoded as `encoding` says.'),
  encoding: z.enum(WRITE_FILE_ENCODINGS).optional()
    .describe('Encoding of `content`: "" (plain), b64/base64, gz/gzip, gz+b64 (and gzip+base64, gz+base64, gzip+b64).'),
  owner: z.string().optional()
    .describe('Owner as user or user:group, names or numbers (default root:root).'),
  permissions: z.string().regex(/^[0-7]{1,4}$/, 'permissions must be an octal mode such as "0644"').optional()
    .describe('Octal file mode as a string, for example "0644" (the default).'),
}).describe('A file written during each phase that applies write_files.');

export const wifiSchema = z.object({
  name: z.string().describe('SSID of the network (k3OS also accepted `ssid`).'),
  passphrase: z.string().optional().describe('WPA passphrase.'),
}).describe('A wifi network (connman on k3OS).');

export const installSchema = z.object({
  force_efi: z.boolean().optional().describe('Force EFI installation even when EFI is not detected.'),
  device: z.string().optional().describe('Device to partition and format, for example /dev/vda.'),
  config_url: z.string().optional().describe('URL of the config installed as /k3os/system/config.yaml.'),
  silent: z.boolean().optional().describe('Ask no questions during installation.'),
  iso_url: z.string().optional().describe('ISO to download and install from.'),
  power_off: z.boolean().optional().describe('Power off after installation instead of rebooting.'),
  no_format: z.boolean().optional().describe('Do not partition and format; assume the layout exists.'),
  debug: z.boolean().optional().describe('Install with more logging and configure debug on the installed system.'),
  tty: z.string().optional().describe('The tty used as console, for example ttyS0.'),
}).describe('Automated installation settings (k3OS `k3os.install.*`).');

const cidr = z.string().refine(isCidr, 'expected an IPv4 or IPv6 address with a prefix length, such as 192.168.1.10/24');
const ip = z.string().refine(isIp, 'expected an IPv4 or IPv6 address');
const ipv4 = z.string().refine(isIPv4, 'expected an IPv4 address');
const ipv6 = z.string().refine(isIPv6, 'expected an IPv6 address');

export const routeSchema = z.object({
  to: z.string().refine((v) => v === 'default' || isCidr(v), 'expected "default" or a CIDR such as 10.0.0.0/8')
    .describe('Destination: a CIDR, or "default".'),
  via: ip.describe('Gateway address (IPv4 or IPv6).'),
  metric: z.number().int().min(0).max(4294967295).optional().describe('Route metric (priority); lower wins.'),
}).describe(`A static route ${EXT}.`);

export const interfaceSchema = z.object({
  dhcp: z.boolean().optional().describe('Run DHCPv4 on this interface (default: true when no addresses are given).'),
  addresses: z.array(cidr.describe('Address with prefix length, IPv4 or IPv6.')).optional()
    .describe('Static addresses with prefix length, for example 192.168.1.10/24 or 2001:db8::10/64.'),
  gateway: ipv4.optional().describe('IPv4 default gateway.'),
  gateway6: ipv6.optional().describe('IPv6 default gateway.'),
  routes: z.array(routeSchema).optional().describe('Extra static routes.'),
  mtu: z.number().int().min(68).max(65535).optional().describe('Link MTU.'),
  dns: z.array(ip.describe('Name server address.')).optional()
    .describe('Name servers learned from this interface (used when k3os.dns_nameservers is not set).'),
}).describe(`Configuration of one network interface ${EXT}.`);

export const networkSchema = z.object({
  interfaces: z.record(checked(interfaceNameProblem), interfaceSchema).optional()
    .describe('Interfaces keyed by name (eth0, enp1s0...). Unlisted wired interfaces with carrier use DHCP.'),
  online_timeout: z.number().int().min(0).max(3600).optional()
    .describe('Seconds the runtime phase and k3s wait for a default route before going on.'),
}).describe(`Static network configuration ${EXT}.`);

export const k3osSchema = z.object({
  data_sources: stringList('Cloud data sources probed for userdata, in order: aws, gcp, openstack, packet, scaleway, vultr, hetzner, cdrom.').optional(),
  modules: stringList('Kernel modules to load, each optionally followed by parameters: "bonding mode=4".').optional(),
  sysctls: z.record(checked(sysctlNameProblem), z.string()).describe('Kernel sysctls (as in /etc/sysctl.conf), values as strings.').optional(),
  ntp_servers: stringList('Fallback NTP servers.').optional(),
  dns_nameservers: stringList('Fallback DNS name servers.').optional(),
  wifi: z.array(wifiSchema).optional().describe('Wifi networks.'),
  password: z.string().optional().describe('Password of the rancher user: clear text, or a crypt hash starting with $.'),
  server_url: z.string().optional().describe('URL of the k3s server to join; when set this node runs `k3s agent`.'),
  token: z.string().optional().describe('Cluster secret or node token (K3S_TOKEN).'),
  labels: z.record(checked(labelKeyProblem), checked(labelValueProblem)).describe('Node labels set when the node registers.').optional(),
  k3s_args: stringList('Exec-style arguments to k3s, starting with server or agent.').optional(),
  environment: z.record(checked(environmentNameProblem), z.string())
    .describe('Environment of k3s and boot processes, written to /etc/environment.').optional(),
  taints: z.array(checked(taintProblem)).describe('Node taints set when the node registers, key=value:Effect.').optional(),
  install: installSchema.optional(),
  mode: z.string().optional().describe('Boot mode (live, disk, local, install, shell); usually given on the kernel command line.'),
  fallback_mode: z.string().optional().describe('Mode used when no K3OS_STATE filesystem is found, for example install.'),
  debug: z.boolean().optional().describe('More logging during boot.'),
  network: networkSchema.optional(),
  console_log_level: z.number().int().min(0).max(8).optional()
    .describe(`Kernel console log level (first field of kernel.printk) ${EXT}.`),
  recovery_prompt: z.number().int().min(0).max(60).optional()
    .describe(`Seconds the boot waits for a key on the consoles to enter recovery; 0 turns the prompt off. Read from the kernel command line only: the prompt runs before config files are loaded ${EXT}.`),
}).describe('k3OS settings.');

export const configSchema = z.object({
  ssh_authorized_keys: stringList('SSH public keys for the rancher user; github:USER and gitlab:USER or an https URL fetch keys at runtime.').optional(),
  write_files: z.array(writeFileSchema).optional().describe('Files to write (initrd, boot and runtime phases).'),
  hostname: z.string().optional().describe('System hostname.'),
  init_cmd: stringList('Commands run with sh -c in the initrd phase.').optional(),
  boot_cmd: stringList('Commands run with sh -c in the boot phase.').optional(),
  run_cmd: stringList('Commands run with sh -c in the runtime phase.').optional(),
  k3os: k3osSchema.optional(),
}).describe('k3OS config.yaml');

export type K3OSConfig = z.infer<typeof configSchema>;
export type K3OSSettings = z.infer<typeof k3osSchema>;
export type WriteFile = z.infer<typeof writeFileSchema>;
export type Wifi = z.infer<typeof wifiSchema>;
export type NetworkConfig = z.infer<typeof networkSchema>;
export type InterfaceConfig = z.infer<typeof interfaceSchema>;
export type Route = z.infer<typeof routeSchema>;
export type WriteFileEncoding = (typeof WRITE_FILE_ENCODINGS)[number];
