import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { configSchema, PHASE_STEPS, PHASE_TABLE } from '../../src/config/index.ts';

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
  it('phase table: k3OS keys per phase', () => {
    assert.deepEqual(PHASE_TABLE.init_cmd, ['initrd']);
    assert.deepEqual(PHASE_TABLE.boot_cmd, ['boot']);
    assert.deepEqual(PHASE_TABLE.run_cmd, ['runtime']);
    assert.deepEqual(PHASE_TABLE.write_files, ['initrd', 'boot', 'runtime']);
    assert.deepEqual(PHASE_TABLE.hostname, ['initrd', 'boot']);
    assert.deepEqual(PHASE_TABLE['k3os.modules'], ['initrd', 'boot']);
    assert.deepEqual(PHASE_TABLE['k3os.sysctls'], ['initrd', 'boot']);
    assert.deepEqual(PHASE_TABLE['k3os.password'], ['boot']);
    assert.deepEqual(PHASE_TABLE.ssh_authorized_keys, ['boot', 'runtime']);
    assert.deepEqual(PHASE_TABLE['k3os.environment'], ['initrd', 'boot', 'runtime']);
    assert.deepEqual(PHASE_TABLE['k3os.data_sources'], ['runtime']);
    assert.deepEqual(PHASE_STEPS.initrd.at(-1), 'init_cmd');
    assert.deepEqual(PHASE_STEPS.boot.at(-1), 'boot_cmd');
    assert.deepEqual(PHASE_STEPS.runtime.at(-1), 'run_cmd');
  });
  it('every top-level and k3os key appears in the phase table', () => {
    const keys = [
      ...Object.keys(js.properties!).filter((k) => k !== 'k3os'),
      ...Object.keys(js.properties!.k3os!.properties!).filter((k) => !['install', 'mode', 'fallback_mode', 'debug', 'console_log_level', 'recovery_prompt'].includes(k)).map((k) => `k3os.${k}`),
    ];
    assert.deepEqual(keys.filter((k) => !(k in PHASE_TABLE)), []);
  });
});
