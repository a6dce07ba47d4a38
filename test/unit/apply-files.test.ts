import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { applyEnvironment, parseEnvironment } from '../../src/apply/environment.ts';
import { applyHostname, hostsWithName, setHostname } from '../../src/apply/hostname.ts';
import { applyWriteFiles } from '../../src/apply/write-files.ts';
import { resolveOwner } from '../../src/apply/users.ts';
import { recordingCtx, tempRoot } from './apply-helpers.ts';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nrancher:x:1000:1000:rancher:/home/rancher:/bin/sh\n';
const GROUP = 'root:x:0:\nwheel:x:10:rancher\nrancher:x:1000:\n';

describe('write_files', () => {
  it('every encoding decodes, with mode and default 0644', async () => {
    const root = tempRoot();
    const text = 'hello\nworld\n';
    const b64 = Buffer.from(text).toString('base64');
    const gz = gzipSync(text);
    const files = [
      { path: '/plain', content: text },
      { path: '/empty-enc', content: text, encoding: '' as const },
      ...(['b64', 'base64'] as const).map((e) => ({ path: `/${e}`, content: b64, encoding: e })),
      ...(['gz', 'gzip'] as const).map((e) => ({ path: `/${e}`, content: gz.toString('latin1'), encoding: e })),
      ...(['gz+b64', 'gz+base64', 'gzip+b64', 'gzip+base64'] as const).map((e) => ({ path: `/d/${e}`, content: gz.toString('base64').replace(/(.{20})/g, '$1\n'), encoding: e, permissions: '0600' })),
      { path: '/x/y/z.sh', content: '#!/bin/sh\n', permissions: '0755' },
    ];
    const out = await applyWriteFiles({ write_files: files }, recordingCtx(root));
    assert.deepEqual(out.map((o) => o.status), files.map(() => 'applied'));
    for (const f of files.slice(0, -1)) assert.equal(readFileSync(path.join(root, f.path), 'utf8'), text, f.path);
    assert.equal(statSync(path.join(root, '/plain')).mode & 0o7777, 0o644);
    assert.equal(statSync(path.join(root, '/d/gz+b64')).mode & 0o7777, 0o600);
    assert.equal(statSync(path.join(root, '/x/y/z.sh')).mode & 0o7777, 0o755);
  });
  it('a bad file fails alone; the others are written; no temp files are left', async () => {
    const root = tempRoot({ '/etc/passwd': PASSWD, '/etc/group': GROUP });
    const out = await applyWriteFiles({ write_files: [
      { path: '/a', content: '!!!', encoding: 'b64' },
      { path: '/b', content: 'b', owner: 'nobody' },
      { path: '/c', content: 'c' },
    ] }, recordingCtx(root));
    assert.deepEqual(out.map((o) => o.status), ['failed', 'failed', 'applied']);
    assert.match(out[0]!.error!.message, /base64/);
    assert.match(out[1]!.error!.message, /no user "nobody"/);
    assert.equal(readFileSync(path.join(root, '/c'), 'utf8'), 'c');
    assert.deepEqual((await import('node:fs')).readdirSync(root).sort(), ['c', 'etc']);
  });
  it('owners resolve against the root\'s passwd and group', () => {
    assert.deepEqual(resolveOwner('rancher', PASSWD, GROUP), { uid: 1000, gid: 1000 });
    assert.deepEqual(resolveOwner('rancher:wheel', PASSWD, GROUP), { uid: 1000, gid: 10 });
    assert.deepEqual(resolveOwner('root.rancher', PASSWD, GROUP), { uid: 0, gid: 1000 });
    assert.deepEqual(resolveOwner('1000:0', PASSWD, GROUP), { uid: 1000, gid: 0 });
    assert.throws(() => resolveOwner('rancher:nogroup', PASSWD, GROUP), /no group "nogroup"/);
  });
  it('owner is applied (as root)', { skip: process.getuid?.() !== 0 }, async () => {
    const root = tempRoot({ '/etc/passwd': PASSWD, '/etc/group': GROUP });
    await applyWriteFiles({ write_files: [{ path: '/owned', content: 'x', owner: 'rancher:wheel' }] }, recordingCtx(root));
    const st = statSync(path.join(root, '/owned'));
    assert.deepEqual([st.uid, st.gid], [1000, 10]);
  });
});

describe('hostname', () => {
  it('sets the kernel hostname, /etc/hostname and the 127.0.1.1 line', async () => {
    const root = tempRoot({ '/etc/hosts': '127.0.0.1 localhost\n127.0.1.1 old\n' });
    const ctx = recordingCtx(root);
    await applyHostname({ hostname: 'node-1' }, ctx);
    assert.deepEqual(ctx.rec.hostnames, ['node-1']);
    assert.equal(readFileSync(path.join(root, '/etc/hostname'), 'utf8'), 'node-1\n');
    assert.equal(readFileSync(path.join(root, '/etc/hosts'), 'utf8'), '127.0.0.1 localhost\n127.0.1.1 node-1\n');
  });
  it('a name the network chose lands in /etc/hosts too (sudo resolves it)', async () => {
    const root = tempRoot();
    const ctx = recordingCtx(root);
    await setHostname(ctx.sys, root, 'k3os-12345');
    assert.deepEqual(ctx.rec.hostnames, ['k3os-12345']);
    assert.equal(readFileSync(path.join(root, '/etc/hosts'), 'utf8'), '127.0.0.1 localhost\n::1 localhost\n127.0.1.1 k3os-12345\n');
  });
  it('adds the line when missing and skips without a hostname', async () => {
    assert.equal(hostsWithName('127.0.0.1 localhost', 'n'), '127.0.0.1 localhost\n127.0.1.1 n\n');
    const ctx = recordingCtx(tempRoot());
    assert.equal((await applyHostname({}, ctx))[0]!.status, 'skipped');
    assert.deepEqual(ctx.rec.hostnames, []);
  });
});

describe('environment', () => {
  it('merges into /etc/environment, config wins, values quoted', async () => {
    const root = tempRoot({ '/etc/environment': '# comment\nPATH=/bin\nexport OLD="x y"\nHTTP_PROXY=old\n' });
    await applyEnvironment({ k3os: { environment: { HTTP_PROXY: 'http://p:3128', Q: 'a "b"' } } }, recordingCtx(root));
    const text = readFileSync(path.join(root, '/etc/environment'), 'utf8');
    assert.equal(text, 'HTTP_PROXY="http://p:3128"\nOLD="x y"\nPATH="/bin"\nQ="a \\"b\\""\n');
    assert.deepEqual(parseEnvironment(text).get('Q'), 'a "b"');
  });
});
