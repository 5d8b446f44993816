package dev.fusebox.micrometer;

import java.lang.ref.WeakReference;

/** Asks the collector, a bounded number of times, to clear a weak reference. */
final class Gc {

  private Gc() {}

  /** Returns whether the referent was collected within 50 collections. */
  static boolean collected(WeakReference<?> reference) {
    for (int attempt = 0; attempt < 50 && reference.get() != null; attempt++) {
      System.gc();
      // Allocation nudges collectors that treat System.gc() as a hint.
      byte[][] garbage = new byte[16][];
      for (int i = 0; i < garbage.length; i++) {
        garbage[i] = new byte[64 * 1024];
      }
      if (garbage[15].length == 0) {
        return false;
      }
    }
    return reference.get() == null;
  }
}
