import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretPath, redactSecrets, secretValues, withoutSecrets, type K3OSConfig } from '../../src/config/index.ts';
import { cmdlineSecrets, SecretScrubber } from '../../src/init/log/redact.ts';

const config: K3OSConfig = {
  hostname: 'n1',
  k3os: {
    token: 'K10abc::server:s3cr3t', password: 'hunter22',
    wifi: [{ name: 'lab', passphrase: 'wifi-pass' }],
    environment: { K3S_TOKEN: 'env-token', HTTP_PROXY: 'http://p:3128' },
    k3s_args: ['server', '--datastore-endpoint=postgres://u:dbpass@db/k3s'],
    labels: { zone: 'a' },
  },
};

test('secretValues finds every secret a config holds', () => {
  assert.deepEqual(secretValues(config).sort(), ['K10abc::server:s3cr3t', 'env-token', 'hunter22', 'postgres://u:dbpass@db/k3s', 'wifi-pass'].sort());
  assert.deepEqual(secretValues({ k3os: { k3s_args: ['--token', 'flag-first', '--agent-token=agent-tok'] } }), ['flag-first', 'agent-tok']);
  assert.ok(isSecretPath(['k3os', 'wifi', 0, 'passphrase']));
  assert.ok(isSecretPath(['k3os', 'environment', 'AWS_SECRET_ACCESS_KEY']));
  assert.ok(!isSecretPath(['k3os', 'labels', 'zone']));
});

test('redactSecrets keeps the shape; withoutSecrets leaves out what would clobber the node on the way back', () => {
  const shown = JSON.stringify(redactSecrets(config));
  for (const v of secretValues(config)) assert.ok(!shown.includes(v), v);
  assert.match(shown, /"token":"\[redacted\]"/);
  assert.match(shown, /http:\/\/p:3128/);
  const published = withoutSecrets(config);
  assert.deepEqual(published.k3os, { environment: { HTTP_PROXY: 'http://p:3128' }, labels: { zone: 'a' } });
  assert.deepEqual(withoutSecrets({ k3os: { k3s_args: ['--disable', 'traefik'], wifi: [{ name: 'open' }] } }).k3os,
    { k3s_args: ['--disable', 'traefik'], wifi: [{ name: 'open' }] });
});

test('the scrubber replaces known values in text and in JSON, longest first, and ignores very short ones', () => {
  const s = new SecretScrubber();
  s.addConfig(config);
  s.add(cmdlineSecrets('console=ttyS0 k3os.password="pa ss" k3os.token=abc'));
  s.add(['q"uote-pass']);
  assert.equal(s.scrub('join with K10abc::server:s3cr3t failed'), 'join with [redacted] failed');
  assert.equal(s.scrub('k3os.password=pa ss'), 'k3os.password=[redacted]');
  assert.equal(s.scrub(JSON.stringify({ msg: 'bad q"uote-pass' })), JSON.stringify({ msg: 'bad [redacted]' }));
  assert.equal(s.scrub('abc stays: too short to scrub'), 'abc stays: too short to scrub');
  assert.deepEqual(s.scrubValue({ failure: { error: 'hunter22 rejected' }, n: 1 }), { failure: { error: '[redacted] rejected' }, n: 1 });
});
