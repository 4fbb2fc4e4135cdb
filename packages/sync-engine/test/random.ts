/** Seeded uniform [0, 1) generator (mulberry32), so every synthetic test is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponentially distributed value with the given mean (a queueing delay). */
export function exponential(random: () => number, mean: number): number {
  return -mean * Math.log(1 - random());
}
