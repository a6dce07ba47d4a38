// k3s applies what it finds in <data-dir>/server/manifests. The image ships
// ours (K3OSConfig CRD, agent RBAC, node policy) under /usr, because /var is
// the state disk or a tmpfs and hides whatever the image has there; every
// boot copies them in, so an upgraded image brings its own versions.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log/logger.ts';

export const IMAGE_MANIFESTS = '/usr/share/k3os/manifests';
export const K3S_MANIFESTS = '/var/lib/rancher/k3s/server/manifests';

export function seedK3sManifests(from: string, log: Logger): void {
  if (!fs.existsSync(from)) {
    log.debug({ from }, 'no image manifests');
    return;
  }
  fs.mkdirSync(K3S_MANIFESTS, { recursive: true });
  const names = fs.readdirSync(from).filter((n) => n.endsWith('.yaml'));
  for (const n of names) fs.copyFileSync(path.join(from, n), path.join(K3S_MANIFESTS, n));
  log.info({ manifests: names }, `${names.length} k3s manifests from the image`);
}
