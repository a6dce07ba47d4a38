// install: k3os.mode=install boots this far and stops with a clear error, which
// sends the boot to recovery: this image has no installer.
import { task } from './types.ts';

export const runInstaller = task('runInstaller', () => {
  throw new Error('install mode: the installer (`k3os install`) is not implemented yet');
});
