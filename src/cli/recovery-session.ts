// The recovery menu loop: read a choice, act through the control API (or, when PID 1
// cannot answer, through what still works without it), log every choice, repeat.
import { ControlError } from '../api/transport.ts';
import type { ControlPowerAction } from '../api/contract.ts';
import type { RecoveryClient } from './recovery-client.ts';
import {
  logLines, menuEntries, parseChoice, parsePick, parseYesNo, renderMenu, renderStatus,
  type EntryId, type MenuFacts,
} from './recovery-menu.ts';

export interface RecoveryIO {
  write(text: string): void;
  /** One line without its newline; null at end of input. */
  readLine(prompt: string): Promise<string | null>;
  /** Like readLine, without echo. */
  readSecret(prompt: string): Promise<string | null>;
}

export type ShellAuth =
  | { kind: 'none' }
  | { kind: 'password'; verify(password: string): boolean }
  | { kind: 'unavailable'; reason: string };

/** What the menu does without PID 1's help. */
export interface RecoveryActions {
  /** File names in config.d, sorted. */
  listConfigFiles(): Promise<string[]>;
  /** Moves config.d/<name> out of config.d; returns where it went. */
  disableConfigFile(name: string): Promise<string>;
  /** Signals PID 1 as busybox reboot/poweroff do (SIGTERM / SIGUSR2). */
  signalInit(action: ControlPowerAction): void;
  shellAuth(): ShellAuth;
  /** Runs a root shell on this terminal; resolves with its exit code. */
  shell(): Promise<number | null>;
}

export type RecoveryLog = (event: string, fields?: Record<string, unknown>) => void;

export interface RecoveryDeps {
  io: RecoveryIO;
  client: RecoveryClient;
  actions: RecoveryActions;
  log: RecoveryLog;
  reason?: string;
  /** The file PUT /v1/config writes; offered first when disabling. */
  runtimeConfigName?: string;
}

export type RecoveryOutcome = { kind: 'eof' } | { kind: 'power'; action: ControlPowerAction };

const PASSWORD_TRIES = 3;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function runRecovery(d: RecoveryDeps): Promise<RecoveryOutcome> {
  const { io, client, actions, log } = d;
  const runtimeName = d.runtimeConfigName ?? '90-k3osconfig.yaml';
  let lastStatus: unknown;

  const refresh = async (): Promise<MenuFacts> => {
    try {
      lastStatus = await client.status();
      const prev = typeof lastStatus === 'object' && lastStatus !== null ? (lastStatus as { previousVersion?: unknown }).previousVersion : undefined;
      return { apiReachable: true, ...(typeof prev === 'string' && prev ? { previousVersion: prev } : {}) };
    } catch (e) {
      lastStatus = undefined;
      if (e instanceof ControlError && e.status !== 0) return { apiReachable: true };
      return { apiReachable: false };
    }
  };

  const power = async (action: ControlPowerAction): Promise<RecoveryOutcome | undefined> => {
    try {
      await client.power(action);
      io.write(`${action}: PID 1 is shutting down\n`);
      log('power', { action, via: 'control API' });
    } catch (e) {
      try {
        actions.signalInit(action);
      } catch (se) {
        io.write(`${action}: control API failed (${errorText(e)}) and no signal sent: ${errorText(se)}\n`);
        log('power.failed', { action, error: errorText(e), signalError: errorText(se) });
        return undefined;
      }
      io.write(`${action}: control API failed (${errorText(e)}); asked PID 1 by signal\n`);
      log('power', { action, via: 'signal', error: errorText(e) });
    }
    return { kind: 'power', action };
  };

  const disableConfig = async (): Promise<RecoveryOutcome | undefined> => {
    let files: string[];
    try {
      files = await actions.listConfigFiles();
    } catch (e) {
      io.write(`cannot list config.d: ${errorText(e)}\n`);
      return undefined;
    }
    if (files.length === 0) {
      io.write('config.d is empty: the node already boots with its base config; choose reboot.\n');
      return undefined;
    }
    const statusText = lastStatus === undefined ? '' : JSON.stringify(lastStatus);
    const named = files.map((f) => statusText.includes(f));
    const runtimeIdx = files.indexOf(runtimeName);
    const dflt = named.filter(Boolean).length === 1 ? named.indexOf(true) : runtimeIdx >= 0 ? runtimeIdx : undefined;
    io.write(`files in config.d (the later ones win; one moved aside is kept, not deleted):\n${files
      .map((f, i) => `  ${i + 1}) ${f}${named[i] ? '  (named in an error)' : ''}${f === runtimeName ? '  (written by kubectl edit k3osconfig)' : ''}`)
      .join('\n')}\n`);
    const pick = parsePick(await io.readLine(dflt === undefined ? 'file to disable (Enter cancels): ' : `file to disable [${dflt + 1}]: `), files.length, dflt);
    if (pick === undefined) {
      io.write('nothing disabled\n');
      return undefined;
    }
    const name = files[pick]!;
    let yes: boolean | undefined;
    while ((yes = parseYesNo(await io.readLine(`disable ${name} and reboot? [Y/n] `), true)) === undefined) io.write('answer y or n\n');
    if (!yes) { io.write('nothing disabled\n'); return undefined; }
    try {
      const to = await actions.disableConfigFile(name);
      log('config.disabled', { file: name, movedTo: to });
      io.write(`moved ${name} to ${to}\n`);
    } catch (e) {
      log('config.disable-failed', { file: name, error: errorText(e) });
      io.write(`cannot disable ${name}: ${errorText(e)}\n`);
      return undefined;
    }
    return power('reboot');
  };

  const shell = async (): Promise<void> => {
    const auth = actions.shellAuth();
    if (auth.kind === 'unavailable') {
      io.write(`root shell unavailable: ${auth.reason}\n`);
      log('shell.unavailable', { reason: auth.reason });
      return;
    }
    if (auth.kind === 'password') {
      let ok = false;
      for (let i = 0; i < PASSWORD_TRIES && !ok; i++) {
        const pw = await io.readSecret('password (k3os.password): ');
        io.write('\n');
        if (pw === null) break;
        ok = auth.verify(pw);
        if (!ok) io.write('wrong password\n');
      }
      if (!ok) { log('shell.denied'); return; }
    }
    log('shell.start');
    io.write('root shell: exit it to come back to this menu\n');
    try {
      const code = await actions.shell();
      log('shell.exit', { code });
    } catch (e) {
      log('shell.failed', { error: errorText(e) });
      io.write(`cannot start a shell: ${errorText(e)}\n`);
    }
  };

  const act = async (id: EntryId): Promise<RecoveryOutcome | undefined> => {
    switch (id) {
      case 'status':
        io.write(lastStatus === undefined ? 'no status: the control API did not answer\n' : renderStatus(lastStatus));
        return undefined;
      case 'logs':
        try {
          const lines = logLines(await client.logs(200));
          io.write(lines.length ? `${lines.join('\n')}\n` : '(no log lines)\n');
        } catch (e) {
          io.write(`cannot read logs: ${errorText(e)}\n`);
        }
        return undefined;
      case 'restartK3s':
        try {
          await client.restartService('k3s');
          io.write('k3s restarted\n');
          log('k3s.restarted');
        } catch (e) {
          const missing = e instanceof ControlError && e.status === 404;
          io.write(missing ? 'PID 1 does not offer POST /v1/services/k3s/restart yet\n' : `cannot restart k3s: ${errorText(e)}\n`);
          log('k3s.restart-failed', { error: errorText(e) });
        }
        return undefined;
      case 'lastGoodConfig':
        return disableConfig();
      case 'shell':
        await shell();
        return undefined;
      case 'reboot':
      case 'poweroff':
        return power(id);
      case 'rollback':
        return undefined;
    }
  };

  log('start', { reason: d.reason });
  let facts = await refresh();
  io.write(renderMenu(menuEntries(facts), d.reason));
  for (;;) {
    const entries = menuEntries(facts);
    const line = await io.readLine('recovery> ');
    const choice = parseChoice(line, entries);
    if (choice.kind === 'eof') {
      log('eof');
      return { kind: 'eof' };
    }
    if (choice.kind === 'invalid') {
      log('invalid', { input: (line ?? '').slice(0, 40) });
      io.write(`${choice.message}\n`);
      io.write(renderMenu(entries));
      continue;
    }
    if (choice.kind === 'redraw') {
      facts = await refresh();
      io.write(renderMenu(menuEntries(facts), d.reason));
      continue;
    }
    log('choice', { key: choice.entry.key, entry: choice.entry.id });
    const outcome = await act(choice.entry.id);
    if (outcome) return outcome;
    facts = await refresh();
    io.write(renderMenu(menuEntries(facts)));
  }
}
