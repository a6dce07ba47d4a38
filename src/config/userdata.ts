// Cloud userdata and metadata as config sources, as k3OS read them.
// Userdata that is a script (`#!`) or binary (has a NUL byte) is not YAML:
// it becomes a write_file at /run/k3os/userdata (mode 0700) plus a run_cmd
// that runs it, so it runs in the runtime phase.

export const USERDATA_SCRIPT_PATH = '/run/k3os/userdata';

export type Userdata = { kind: 'yaml'; text: string } | { kind: 'script'; config: Record<string, unknown> };

export const classifyUserdata = (bytes: Uint8Array): Userdata => {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const binary = buf.includes(0);
  const script = !binary && buf.subarray(0, 2).toString('latin1') === '#!';
  if (!binary && !script) return { kind: 'yaml', text: buf.toString('utf8') };
  const file = binary
    ? { path: USERDATA_SCRIPT_PATH, content: buf.toString('base64'), encoding: 'b64', owner: 'root', permissions: '0700' }
    : { path: USERDATA_SCRIPT_PATH, content: buf.toString('utf8'), owner: 'root', permissions: '0700' };
  return { kind: 'script', config: { write_files: [file], run_cmd: [USERDATA_SCRIPT_PATH] } };
};

/** /run/config/local_hostname and /run/config/ssh/authorized_keys. */
export const metadataConfig = (hostname: string | undefined, authorizedKeys: string | undefined): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  const h = hostname?.trim();
  if (h) out.hostname = h;
  const keys = (authorizedKeys ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (keys.length > 0) out.ssh_authorized_keys = keys;
  return out;
};
