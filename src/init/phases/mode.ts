import { decideMode } from '../mode.ts';
import { task, type Phase } from './types.ts';

export const STATE_LABEL = 'K3OS_STATE';

const findStateFilesystem = task('findStateFilesystem', (ctx, log) => {
  const dir = ctx.env.K3OS_STATE_DIR;
  if (ctx.facts.runtime !== 'machine') {
    ctx.facts.state = dir ? { kind: 'dir', dir } : { kind: 'tmpfs' };
  } else {
    const device = ctx.host.findStateDevice();
    ctx.facts.state = device ? { kind: 'device', device, fstype: 'ext4' } : { kind: 'tmpfs' };
  }
  log.info({ state: ctx.facts.state }, ctx.facts.state.kind === 'tmpfs' ? `no ${STATE_LABEL} filesystem` : `state: ${JSON.stringify(ctx.facts.state)}`);
});

const chooseMode = task('chooseMode', (ctx, log) => {
  const requested = ctx.facts.cmdline.mode;
  const mode = decideMode({
    runtime: ctx.facts.runtime,
    ...(requested !== undefined ? { requested } : {}),
    hasState: ctx.facts.state.kind !== 'tmpfs',
  });
  ctx.facts.mode = mode;
  if (mode === 'recovery') ctx.facts.recoveryReason = `recovery requested on the command line (${requested})`;
  log.info({ mode }, `mode ${mode}`);
});

export const mode: Phase = { name: 'mode', tasks: [findStateFilesystem, chooseMode] };
