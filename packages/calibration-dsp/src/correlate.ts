import { fftFor, realSpectrum } from "./spectrum.js";

/**
 * Matched filter: the envelope of the cross-correlation of `signal` with `template`, for every lag
 * at which the template fits inside the signal (`signal.length − template.length + 1` values;
 * lag k means "the template starts at sample k").
 *
 * Computed in the frequency domain (one FFT each, O(n log n)). The envelope is the magnitude of
 * the analytic correlation (negative frequencies removed): a band-limited sweep's raw correlation
 * oscillates at its carrier, and picking its tallest cycle would be ambiguous by one period
 * (≈ 0.2 ms at 5 kHz); the envelope has one smooth peak to interpolate.
 */
export function correlationEnvelope(signal: Float32Array, template: Float32Array): Float64Array {
  const lags = signal.length - template.length + 1;
  if (lags <= 0 || template.length === 0) return new Float64Array(0);
  const fft = fftFor(signal.length + template.length);
  const size = fft.size;
  const x = realSpectrum(fft, signal);
  const t = realSpectrum(fft, template);
  const product = fft.createComplexArray() as number[];
  const half = size / 2;
  for (let bin = 0; bin < size; bin++) {
    // X · conj(T) correlates; the weight keeps DC and Nyquist, doubles positive and drops negative bins.
    const weight = bin === 0 || bin === half ? 1 : bin < half ? 2 : 0;
    if (weight === 0) continue;
    const re = x[2 * bin]! * t[2 * bin]! + x[2 * bin + 1]! * t[2 * bin + 1]!;
    const im = x[2 * bin + 1]! * t[2 * bin]! - x[2 * bin]! * t[2 * bin + 1]!;
    product[2 * bin] = weight * re;
    product[2 * bin + 1] = weight * im;
  }
  const analytic = fft.createComplexArray() as number[];
  fft.inverseTransform(analytic, product);
  const envelope = new Float64Array(lags);
  for (let k = 0; k < lags; k++) envelope[k] = Math.hypot(analytic[2 * k]!, analytic[2 * k + 1]!);
  return envelope;
}
