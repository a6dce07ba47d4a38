// "Did you mean": the known key nearest to a misspelled one.

export const editDistance = (a: string, b: string): number => {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
};

/** The nearest candidate within a distance that still looks like a typo. */
export const nearest = (key: string, candidates: Iterable<string>): string | undefined => {
  const k = key.toLowerCase().replace(/-/g, '_');
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(k, c);
    if (d < bestD) { best = c; bestD = d; }
  }
  const limit = Math.max(2, Math.floor(k.length / 3));
  return bestD <= limit ? best : undefined;
};
