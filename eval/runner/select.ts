/** A small seeded PRNG (mulberry32): the same seed always selects the same sample. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Which dataset items a run covers: the first `limit`, or a seeded random `sample` (sorted, so results read in
 * dataset order), or everything.
 */
export function selectItems(
  count: number,
  opts: { limit: number | null; sample: number | null; seed: number },
): number[] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (opts.sample !== null && opts.sample < count) {
    const rand = mulberry32(opts.seed);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return all.slice(0, opts.sample).sort((a, b) => a - b);
  }
  return opts.limit !== null ? all.slice(0, opts.limit) : all;
}
