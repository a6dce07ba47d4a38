// SHA-512 crypt ("$6$"), written from Ulrich Drepper's published
// specification ("Unix crypt using SHA-256 and SHA-512"), using node:crypto
// for the digest. busybox login and every glibc/musl system accept it.
// node:crypto is loaded when a password is hashed, not at every start of PID 1 (it is ~15 modules).
const createHash = (algorithm: string) => process.getBuiltinModule('node:crypto').createHash(algorithm);
const randomBytes = (n: number): Buffer => process.getBuiltinModule('node:crypto').randomBytes(n);

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ROUNDS_DEFAULT = 5000;
const ROUNDS_MIN = 1000;
const ROUNDS_MAX = 999_999_999;

const sha512 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** `len` bytes of `block` repeated. */
const stretch = (block: Buffer, len: number): Buffer => {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i += block.length) block.copy(out, i, 0, Math.min(block.length, len - i));
  return out;
};

// The spec's byte order for the final base64 step, three bytes per group.
const ORDER: Array<[number, number, number]> = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
  [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
  [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];

const b64 = (b2: number, b1: number, b0: number, n: number): string => {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let s = '';
  for (let i = 0; i < n; i++) { s += ALPHABET[w & 0x3f]; w >>= 6; }
  return s;
};

export const randomSalt = (): string => [...randomBytes(16)].map((b) => ALPHABET[b & 0x3f]).join('');

/**
 * crypt(3) with a "$6$" setting: "$6$salt" or "$6$rounds=N$salt" (the salt
 * is cut at 16 characters). Without a setting, a random salt is used.
 */
export const sha512Crypt = (password: string, setting = `$6$${randomSalt()}`): string => {
  const m = /^\$6\$(?:rounds=(\d+)\$)?([^$]*)/.exec(setting);
  if (!m) throw new Error('sha512Crypt: setting must start with $6$');
  const custom = m[1] !== undefined;
  const rounds = custom ? Math.min(ROUNDS_MAX, Math.max(ROUNDS_MIN, Number(m[1]))) : ROUNDS_DEFAULT;
  const saltStr = m[2]!.slice(0, 16);
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(saltStr, 'utf8');

  const B = sha512(P, S, P);
  const a = createHash('sha512').update(P).update(S);
  a.update(stretch(B, P.length));
  for (let n = P.length; n > 0; n >>= 1) a.update(n & 1 ? B : P);
  const A = a.digest();

  const DP = sha512(...Array<Buffer>(P.length).fill(P));
  const Pseq = stretch(DP, P.length);
  const DS = sha512(...Array<Buffer>(16 + A[0]!).fill(S));
  const Sseq = stretch(DS, S.length);

  let C = A;
  for (let i = 0; i < rounds; i++) {
    const h = createHash('sha512');
    h.update(i & 1 ? Pseq : C);
    if (i % 3 !== 0) h.update(Sseq);
    if (i % 7 !== 0) h.update(Pseq);
    h.update(i & 1 ? C : Pseq);
    C = h.digest();
  }

  let out = '';
  for (const [x, y, z] of ORDER) out += b64(C[x]!, C[y]!, C[z]!, 4);
  out += b64(0, 0, C[63]!, 2);
  return `$6$${custom ? `rounds=${rounds}$` : ''}${saltStr}$${out}`;
};
