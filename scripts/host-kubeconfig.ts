// Writes a kubeconfig for the host side of `make run`: the stand-in's API in
// the guest is forwarded to 127.0.0.1:<port>, and its CA and admin client
// certificate were made at image build (build/standin-tls), so the host has
// them without asking the guest.
// node scripts/host-kubeconfig.ts --tls build/standin-tls --port 6443 --out build/kubeconfig
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { kubeconfigYaml } from './kubeconfig.ts';

const { values: opt } = parseArgs({
  options: {
    tls: { type: 'string', default: 'build/standin-tls' },
    port: { type: 'string', default: '6443' },
    out: { type: 'string', default: 'build/kubeconfig' },
  },
});
if (!/^\d{1,5}$/.test(opt.port)) throw new Error(`--port ${opt.port}: expected a TCP port`);
const r = (f: string) => readFileSync(`${opt.tls}/${f}`, 'utf8');
writeFileSync(opt.out, kubeconfigYaml({
  server: `https://127.0.0.1:${opt.port}`, caCert: r('ca.crt'), clientCert: r('client-admin.crt'), clientKey: r('client-admin.key'), name: 'k3os-vm',
}), { mode: 0o600 });
process.stdout.write(`host-kubeconfig: wrote ${opt.out} (https://127.0.0.1:${opt.port})\n`);
