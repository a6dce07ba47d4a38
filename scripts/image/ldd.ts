// Shared libraries a dynamic executable needs, read from ldd's output.

/** Absolute paths of the libraries (and the loader) in `ldd` output; the vDSO has no file. */
export const parseLdd = (text: string): string[] => {
  const paths: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const arrow = /^\S+ => (\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
    const bare = /^(\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
    const path = arrow?.[1] ?? bare?.[1];
    if (path !== undefined && !paths.includes(path)) paths.push(path);
    if (/=> not found/.test(line)) throw new Error(`ldd: ${line}`);
  }
  return paths;
};
