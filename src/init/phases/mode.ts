// mode: the state filesystem found (or not), then k3OS's mode chosen from it
// and the command line.
import { decideMode } from '../mode.ts';
import { STATE_LABEL } from '../mounts.ts';
import { task } from './types.ts';

export const findStateFilesystem = task('findStateFilesystem', (ctx, log) => {
  const dir = ctx.env.K3OS_STATE_DIR;
  if (ctx.node.runtime !== 'machine') {
    ctx.node.stateFound(dir ? { kind: 'dir', dir } : { kind: 'tmpfs' });
  } else {
    const device = ctx.host.findStateDevice();
    ctx.node.stateFound(device ? { kind: 'device', device, fstype: 'ext4' } : { kind: 'tmpfs' });
  }
  const state = ctx.node.state;
  log.info({ state }, state.kind === 'tmpfs' ? `no ${STATE_LABEL} filesystem` : `state: ${JSON.stringify(state)}`);
});

export const chooseMode = task('chooseMode', (ctx, log) => {
  const requested = ctx.node.cmdline.mode;
  const mode = decideMode({
    runtime: ctx.node.runtime,
    ...(requested !== undefined ? { requested } : {}),
    hasState: ctx.node.state.kind !== 'tmpfs',
  });
  ctx.node.modeChosen(mode, `recovery requested on the command line (${requested})`);
  log.info({ mode }, `mode ${mode}`);
});
