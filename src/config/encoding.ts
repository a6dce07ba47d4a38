// write_files content decoding, with every spelling k3OS accepted.
import { gunzipSync } from 'node:zlib';
import type { WriteFileEncoding } from './schema.ts';

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
