/** Renames that rotate `path` keeping `keep` old files: oldest first. */
export function planRotation(path: string, keep: number): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  for (let i = keep - 1; i >= 1; i--) out.push({ from: `${path}.${i}`, to: `${path}.${i + 1}` });
  if (keep >= 1) out.push({ from: path, to: `${path}.1` });
  return out;
}

/** A fixed-size ring of the most recent lines, for exit errors and status. */
export class LineTail {
  readonly #max: number;
  readonly #lines: string[] = [];
  #partial = '';

  constructor(max = 50) {
    this.#max = max;
  }

  push(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const p of parts) this.#add(p);
    if (this.#partial.length > 4096) {
      this.#add(this.#partial);
      this.#partial = '';
    }
  }

  lines(): string[] {
    return (this.#partial === '' ? [...this.#lines] : [...this.#lines, this.#partial]).slice(-this.#max);
  }

  #add(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#max) this.#lines.shift();
  }
}
