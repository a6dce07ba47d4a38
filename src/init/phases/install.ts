import { task, type Phase } from './types.ts';

const runInstaller = task('runInstaller', () => {
  throw new Error('install mode: the installer (`k3os install`) is not implemented yet');
});

export const install: Phase = { name: 'install', tasks: [runInstaller] };
