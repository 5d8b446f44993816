package dev.fusebox.circuitbreaker;

/**
 * The traffic-following failure threshold of {@link CircuitBreakerConfig.Builder#failureRateConfidence}: the
 * window's failure rate reaches the threshold only when the lower bound of its Wilson score interval does, at
 * the configured one-sided confidence.
 *
 * <p>Why Wilson: a plain rate with a minimum number of calls either refuses to decide below the minimum
 * (a quiet service is never protected) or trips on a handful of calls (one failure in one call is 100%).
 * The lower bound of the Wilson interval is the smallest true failure rate the observed calls are still
 * consistent with; it is far below the observed rate on a few calls and converges on it as calls grow. So
 * at 50% and 95% confidence, 3 failures in 3 calls trip, 2 in 2 do not, and a thousand calls need about 53%.
 * It is computed only when a decision is due (after a failure), with one square root and no allocation.
 */
final class Significance {

  private Significance() {}

  /**
   * Returns z, the standard normal quantile of {@code confidence} (in (0, 1)), for a one-sided bound. Worked
   * out once per configuration, by a rational approximation of the inverse normal distribution (Acklam's;
   * relative error under 1.2e-9, far finer than any confidence an operator would write).
   */
  static double z(double confidence) {
    double p = confidence;
    double q;
    double x;
    if (p < LOW) {
      q = Math.sqrt(-2 * Math.log(p));
      x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
          / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    } else if (p <= 1 - LOW) {
      q = p - 0.5;
      double r = q * q;
      x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
          / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    } else {
      q = Math.sqrt(-2 * Math.log(1 - p));
      x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
          / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    }
    return x;
  }

  /**
   * Returns the lower bound of the Wilson score interval of {@code part} successes (here: failures) in
   * {@code total} trials for the quantile {@code z}, as a fraction.
   */
  static double lowerBound(long part, long total, double z) {
    double n = total;
    double p = part / n;
    double z2 = z * z;
    double centre = p + z2 / (2 * n);
    double spread = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return (centre - spread) / (1 + z2 / n);
  }

  /** Whether {@code part} of {@code total} is, with the confidence of {@code z}, at least {@code thresholdPercent}. */
  static boolean reaches(long part, long total, double z, float thresholdPercent) {
    return part > 0 && lowerBound(part, total, z) * 100.0 >= thresholdPercent;
  }

  private static final double LOW = 0.02425;
  private static final double[] A = {
    -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
  };
  private static final double[] B = {
    -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
    6.680131188771972e+01, -1.328068155288572e+01
  };
  private static final double[] C = {
    -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
  };
  private static final double[] D = {
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
  };
}
