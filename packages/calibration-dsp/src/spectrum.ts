import FFT from "fft.js";

/** An FFT size (a power of two, at least 4) with room for `n` samples. */
export function fftFor(n: number): FFT {
  let size = 4;
  while (size < n) size *= 2;
  return new FFT(size);
}

/** The full complex spectrum (interleaved re, im) of `values`, zero-padded to the FFT's size. */
export function realSpectrum(fft: FFT, values: Float32Array): number[] {
  const input = new Float64Array(fft.size);
  input.set(values);
  const out = fft.createComplexArray() as number[];
  fft.realTransform(out, input);
  fft.completeSpectrum(out);
  return out;
}
