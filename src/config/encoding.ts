// write_files content decoding, with every spelling k3OS accepted.
import type { WriteFileEncoding } from './schema.ts';

// zlib is loaded when gzip content is met, not at every start of PID 1 (~25 ms under TCG).
const gunzipSync = (b: Buffer): Buffer => process.getBuiltinModule('node:zlib').gunzipSync(b);

const b64 = (s: string): Buffer => {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new Error('content is not valid base64');
  return Buffer.from(clean, 'base64');
};

export const decodeContent = (content: string, encoding: WriteFileEncoding | undefined): Buffer => {
  switch (encoding ?? '') {
    case '':
      return Buffer.from(content, 'utf8');
    case 'b64':
    case 'base64':
      return b64(content);
    case 'gz':
    case 'gzip':
      return gunzipSync(Buffer.from(content, 'latin1'));
    default:
      return gunzipSync(b64(content));
  }
};
