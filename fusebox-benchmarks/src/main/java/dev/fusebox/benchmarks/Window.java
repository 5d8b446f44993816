package dev.fusebox.benchmarks;

/** The two sliding windows every library is measured with: the last 100 calls, or the last 10 seconds. */
public enum Window {
  /** A count-based window of the last {@value Contenders#WINDOW_CALLS} calls. */
  COUNT,
  /** A time-based window of the last {@value Contenders#WINDOW_SECONDS} seconds. */
  TIME
}
