/**
 * Latency histogram with logarithmic buckets 1 % wide, in microseconds: fixed memory whatever the
 * sample count, and mergeable across generator processes (they send it over IPC as sparse pairs).
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);

/** `[bucket, count]` pairs: the wire form of a {@link Histogram}. */
export type SparseHistogram = { buckets: [number, number][]; max: number; count: number; sum: number };

function bucketOf(micros: number): number {
  return micros <= 1 ? 0 : Math.ceil(Math.log(micros) / LOG_GROWTH);
}

function upperBoundOf(bucket: number): number {
  return GROWTH ** bucket;
}

export class Histogram {
  private readonly counts = new Map<number, number>();
  count = 0;
  sum = 0;
  max = 0;

  record(micros: number): void {
    const bucket = bucketOf(micros);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.count++;
    this.sum += micros;
    if (micros > this.max) this.max = micros;
  }

  merge(other: SparseHistogram): void {
    for (const [bucket, count] of other.buckets) this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
  }

  /** The value below which `fraction` of the samples lie, to within one bucket (1 %). */
  quantile(fraction: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.ceil(fraction * this.count);
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket)!;
      if (seen >= rank) return Math.min(upperBoundOf(bucket), this.max);
    }
    return this.max;
  }

  toSparse(): SparseHistogram {
    return { buckets: [...this.counts.entries()], max: this.max, count: this.count, sum: this.sum };
  }

  /** p50/p99/max in milliseconds, rounded for printing and JSON. */
  summaryMs(): { count: number; p50: number; p99: number; max: number } {
    const ms = (micros: number) => Math.round(micros / 10) / 100;
    return { count: this.count, p50: ms(this.quantile(0.5)), p99: ms(this.quantile(0.99)), max: ms(this.max) };
  }
}
