package nightwatch.generate;

import java.util.SplittableRandom;

/** Hashing helpers: all randomness of the generator is a pure function of (seed, ids, purpose). */
final class H {
  private H() {}

  /** SplitMix64 finaliser: a bijection on 64-bit values. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long h(long a, long b) {
    return mix(mix(a * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L) + b);
  }

  static long h(long a, long b, long c) {
    return mix(h(a, b) + c * 0xD1B54A32D192ED03L);
  }

  static long h(long a, long b, long c, long d) {
    return mix(h(a, b, c) + d * 0x8CB92BA72F3D8DD7L);
  }

  static long h(long a, long b, long c, long d, long e) {
    return mix(h(a, b, c, d) + e * 0xABC98388FB8FAC03L);
  }

  /** Uniform double in [0, 1). */
  static double u(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }

  /** Uniform int in [0, n). */
  static int below(long h, int n) {
    return (int) ((h >>> 1) % n);
  }

  static int between(long h, int lo, int hi) {
    return lo + below(h, hi - lo + 1);
  }

  static SplittableRandom rng(long a, long b, long c) {
    return new SplittableRandom(h(a, b, c));
  }

  static String base62(long v, int len) {
    final String abc = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    StringBuilder sb = new StringBuilder(len);
    long x = v;
    for (int i = 0; i < len; i++) {
      sb.append(abc.charAt((int) Long.remainderUnsigned(x, 62)));
      x = Long.divideUnsigned(x, 62);
      if (x == 0) {
        x = mix(v + i);
      }
    }
    return sb.toString();
  }
}
