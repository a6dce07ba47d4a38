// Every real k3OS config in test/fixtures/k3os-configs (copied from
// ../shared/k3os-configs with its SOURCES.md) loads; the broken ones give a
// clear error with a position, never a crash.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatIssue, loadConfig } from '../../src/config/index.ts';

const DIR = fileURLToPath(new URL('../fixtures/k3os-configs/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f !== 'SOURCES.md').sort();

// SOURCES.md: four files are not YAML (templates, a `%` placeholder).
const NOT_YAML = new Set([
  'kentparaiso__k3os-terraform-libvirt__modules_k3os-instance_userdata_config_yml.tpl',
  'rancher__k3os__templates_k3os-config.tpl.yml',
  'SSvilen__pi-k3os-image-generator__config-examples_config.yaml',
  'jevyzhu__k3os-vbox-up__config-server.yml.jinja2',
]);
// Parse as YAML, but hold values k3OS itself could not convert, or that
// Kubernetes would refuse.
const WRONG_TYPES: Record<string, string[]> = {
  // Unrendered Terraform templates: `region: ${tf_label_region}` is not a label value.
  'BOHICA-LABS__BLAOS-Deployment__resources_templates_initial-master-cfg.yaml.tpl': ['k3os.labels.region', 'k3os.labels.zone'],
  'BOHICA-LABS__BLAOS-Deployment__resources_templates_workers-cfg.yaml.tpl': ['k3os.labels.region', 'k3os.labels.zone'],
  // `write_files: $write_files` (unrendered template): a string is not a list of files.
  'cwebd__k3os-vagrant__config.yaml.example': ['write_files'],
  // `- {{_ssh_key_}}` parses as a flow mapping, so strings are maps.
  'jevyzhu__k3os-vbox-up__config-server.yml.jinja2': [
    'ssh_authorized_keys[0]', 'hostname', 'k3os.token', 'k3os.environment.http_proxy',
    'k3os.environment.https_proxy', 'k3os.environment.HTTP_PROXY', 'k3os.environment.HTTPS_PROXY',
  ],
};

describe('real k3OS configs', () => {
  it('the corpus is all there', () => assert.equal(files.length, 40));
  for (const f of files) {
    it(f, () => {
      const r = loadConfig([{ name: f, text: readFileSync(DIR + f, 'utf8') }]);
      for (const e of [...r.errors, ...r.warnings]) {
        assert.equal(e.source, f);
        assert.ok(e.message.length > 10, formatIssue(e));
      }
      const expected = WRONG_TYPES[f];
      if (expected) {
        assert.deepEqual(r.errors.map((e) => e.path), expected);
        assert.ok(r.errors.every((e) => e.code === 'K3OS_INVALID_VALUE' && typeof e.line === 'number'));
      } else if (NOT_YAML.has(f) && f !== 'jevyzhu__k3os-vbox-up__config-server.yml.jinja2') {
        assert.equal(r.errors.length, 1);
        assert.equal(r.errors[0]!.code, 'K3OS_YAML_SYNTAX');
        assert.match(formatIssue(r.errors[0]!), new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: invalid YAML, source skipped`));
        assert.deepEqual(r.config, {});
      } else {
        assert.deepEqual(r.errors.map(formatIssue), []);
      }
    });
  }
  it('the README sample means what k3OS documented', () => {
    const r = loadConfig([{ name: 'readme', text: readFileSync(`${DIR}rancher__k3os__README.md_sample-config.yaml`, 'utf8') }]);
    assert.deepEqual(r.warnings, []);
    assert.equal(r.config.hostname, 'myhost');
    assert.deepEqual(r.config.k3os?.sysctls, { 'kernel.printk': '4 4 1 7', 'kernel.kptr_restrict': '1' });
    assert.deepEqual(r.config.k3os?.wifi, [{ name: 'home', passphrase: 'mypassword' }, { name: 'nothome', passphrase: 'somethingelse' }]);
    assert.deepEqual(r.config.k3os?.taints, ['key1=value1:NoSchedule', 'key1=value1:NoExecute']);
    assert.equal(r.config.write_files?.[0]?.encoding, '');
  });
  it('surprising-but-valid files load as k3OS read them', () => {
    const one = (f: string) => loadConfig([{ name: f, text: readFileSync(DIR + f, 'utf8') }]);
    assert.deepEqual(one('rancher__k3os__package_packer_aws_config.yaml').config.k3os?.data_sources, ['aws']);
    assert.deepEqual(one('lotharbach__k3os-hcloud__k3os-master.userdata.example').config.ssh_authorized_keys?.length, 1);
    assert.deepEqual(one('terotuomala__k3os-remaster-iso-example__config.yml').config.k3os?.modules?.includes('bonding mode=4 miimon=100 lacp_rate=1'), true);
    assert.equal(one('cwebd__k3os-vagrant__config.yaml.example').config.k3os?.sysctls?.['kernel.kptr_restrict'], '1');
    assert.equal(one('rancher__k3os__images_70-iso_config.yaml').errors.length, 0);
  });
});
