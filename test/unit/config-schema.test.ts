import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { configSchema, PHASES, PHASE_STEPS, STEP_KEYS } from '../../src/config/index.ts';
import { planLiveApply } from '../../src/init/live/plan.ts';

/** The config phases whose steps read `key`. */
const phasesOf = (key: string) => PHASES.filter((ph) => PHASE_STEPS[ph].some((step) => STEP_KEYS[step].includes(key)));

type Json = { description?: string; properties?: Record<string, Json>; items?: Json; additionalProperties?: Json | boolean };

describe('config schema', () => {
  const js = z.toJSONSchema(configSchema, { io: 'input' }) as Json;
  it('converts to JSON Schema with a description on every key (for kubectl explain)', () => {
    const missing: string[] = [];
    const walk = (s: Json, path: string) => {
      for (const [k, v] of Object.entries(s.properties ?? {})) {
        if (!v.description) missing.push(`${path}${k}`);
        walk(v, `${path}${k}.`);
      }
      if (s.items) walk(s.items, `${path}[].`);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}*.`);
    };
    walk(js, '');
    assert.deepEqual(missing, []);
  });
  it('marks extensions in their descriptions', () => {
    assert.match(js.properties!.k3os!.properties!.network!.description!, /extension/);
    assert.match(js.properties!.k3os!.properties!.console_log_level!.description!, /extension/);
  });
  it('k3OS keys per phase', () => {
    assert.deepEqual(phasesOf('init_cmd'), ['initrd']);
    assert.deepEqual(phasesOf('boot_cmd'), ['boot']);
    assert.deepEqual(phasesOf('run_cmd'), ['runtime']);
    assert.deepEqual(phasesOf('write_files'), ['initrd', 'boot', 'runtime']);
    assert.deepEqual(phasesOf('hostname'), ['initrd', 'boot']);
    assert.deepEqual(phasesOf('k3os.modules'), ['initrd', 'boot']);
    assert.deepEqual(phasesOf('k3os.sysctls'), ['initrd', 'boot']);
    assert.deepEqual(phasesOf('k3os.password'), ['boot']);
    assert.deepEqual(phasesOf('ssh_authorized_keys'), ['boot', 'runtime']);
    assert.deepEqual(phasesOf('k3os.environment'), ['initrd', 'boot', 'runtime']);
    assert.deepEqual(PHASE_STEPS.initrd.at(-1), 'init_cmd');
    assert.deepEqual(PHASE_STEPS.boot.at(-1), 'boot_cmd');
    assert.deepEqual(PHASE_STEPS.runtime.at(-1), 'run_cmd');
  });
  it('every top-level and k3os key is read by a config step or acted on by a live change', () => {
    const keys = [
      ...Object.keys(js.properties!).filter((k) => k !== 'k3os'),
      ...Object.keys(js.properties!.k3os!.properties!).filter((k) => !['install', 'mode', 'fallback_mode', 'debug', 'console_log_level', 'recovery_prompt'].includes(k)).map((k) => `k3os.${k}`),
    ];
    const set = (key: string) => {
      const [top, sub] = key.split('.');
      return (sub ? { [top!]: { [sub]: 'changed' } } : { [top!]: 'changed' }) as never;
    };
    const handled = (key: string) => {
      if (phasesOf(key).length > 0) return true;
      const plan = planLiveApply({}, set(key));
      return plan.actions.some((a) => a.keys.includes(key)) || plan.rebootKeys.includes(key);
    };
    assert.deepEqual(keys.filter((k) => !handled(k)), []);
  });
});
