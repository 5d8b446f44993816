package dev.fusebox.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Locale;
import java.util.function.Function;

/**
 * Item 7: the heap a breaker keeps, and the cost of a registry of a million breakers. Run by {@link Main} in
 * a fresh JVM per contender, so no library's leftovers or heap sizing affect another's figures:
 * {@code java -cp benchmarks.jar dev.fusebox.benchmarks.Footprint CONTENDER REGISTRY_SIZE}. It prints one
 * {@code FOOTPRINT key value} line per figure, and {@code FOOTPRINT_CLASS window class bytes objects} lines
 * that say where a breaker's bytes go.
 *
 * <p>Per breaker: {@value #BREAKERS} breakers are created from one shared configuration, each records
 * {@value #CALLS} calls through its call API (every tenth a failure: 10%, below every threshold, so all stay
 * closed), and {@link RetainedSize} sums what they hold, leaving out the shared configuration, the names, and
 * classes and enum constants; the sum divided by {@value #BREAKERS} is the figure. This is done for the
 * count window of 100 calls and for the 10 s time window.
 *
 * <p>Registry: one warm-up round of 100,000 names (so the JIT has compiled the creation path), then the
 * time to create {@code REGISTRY_SIZE} breakers by name in a fresh registry, the time to look every one of
 * them up again, and the growth of the live heap (after full collections) between before the registry and
 * after it, its names excluded since they exist before. Failsafe has no registry: a
 * {@code ConcurrentHashMap.computeIfAbsent} stands in for one.
 */
public final class Footprint {

  static final int BREAKERS = 10_000;
  static final int CALLS = 200;
  static final int WARM_UP_NAMES = 100_000;

  private Footprint() {}

  /**
   * Measures one contender in this JVM and prints its figures.
   *
   * @param args the contender's name and the number of breakers to create in the registry
   * @throws InterruptedException if interrupted while waiting for the heap to settle
   */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: Footprint CONTENDER REGISTRY_SIZE");
      System.exit(2);
    }
    String contender = args[0];
    int registrySize = Integer.parseInt(args[1]);
    for (Window window : Window.values()) {
      perBreaker(contender, window);
    }
    if (registrySize > 0) {
      registry(contender, registrySize);
    }
  }

  private static void perBreaker(String contender, Window window) {
    Contenders.Factory factory = Contenders.factory(contender, Contenders.Scenario.CLOSED, window, 0);
    String[] names = names(BREAKERS);
    Object[] breakers = new Object[BREAKERS];
    for (int i = 0; i < BREAKERS; i++) {
      Subject subject = factory.create(names[i]);
      for (int call = 1; call <= CALLS; call++) {
        try {
          if (call % 10 == 0) {
            subject.fail.get();
          } else {
            subject.succeed.get();
          }
        } catch (Calls.RecordedFailure expected) {
          // Recorded by the breaker; nothing else to do.
        }
      }
      subject.expect("CLOSED");
      breakers[i] = subject.breaker;
    }
    RetainedSize.Total total = new RetainedSize(factory.sharedConfig(), names).of(breakers);
    report("perBreaker." + window + ".bytes", (double) total.bytes() / BREAKERS);
    report("perBreaker." + window + ".objects", (double) total.objects() / BREAKERS);
    total.byClass().forEach(
        (type, sizeAndCount) ->
            System.out.println(
                String.format(
                    Locale.ROOT,
                    "FOOTPRINT_CLASS %s %s %.1f %.2f",
                    window,
                    type,
                    (double) sizeAndCount[0] / BREAKERS,
                    (double) sizeAndCount[1] / BREAKERS)));
  }

  private static void registry(String contender, int size) throws InterruptedException {
    Contenders.Factory factory = Contenders.factory(contender, Contenders.Scenario.CLOSED, Window.COUNT, 0);
    String[] names = names(size);
    Function<String, Object> warmUp = factory.newRegistry();
    for (int i = 0; i < Math.min(WARM_UP_NAMES, size); i++) {
      warmUp.apply(names[i]);
      warmUp.apply(names[i]);
    }
    warmUp = null;

    long before = liveHeap();
    long start = System.nanoTime();
    Function<String, Object> registry = factory.newRegistry();
    for (String name : names) {
      registry.apply(name);
    }
    long created = System.nanoTime();
    int mismatches = 0;
    for (String name : names) {
      if (registry.apply(name) == null) {
        mismatches++;
      }
    }
    long lookedUp = System.nanoTime();
    long after = liveHeap();
    Reference.reachabilityFence(registry);
    if (mismatches != 0) {
      throw new IllegalStateException(mismatches + " lookups found nothing");
    }
    report("registry.size", size);
    report("registry.createMillis", (created - start) / 1e6);
    report("registry.lookupMillis", (lookedUp - created) / 1e6);
    report("registry.heapBytes", after - before);
  }

  private static String[] names(int count) {
    String[] names = new String[count];
    for (int i = 0; i < count; i++) {
      names[i] = "breaker-" + i;
    }
    return names;
  }

  /** The heap in use after full collections, once it has stopped shrinking. */
  private static long liveHeap() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      System.gc();
      Thread.sleep(100);
      long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (now >= used) {
        return now;
      }
      used = now;
    }
    return used;
  }

  private static void report(String key, double value) {
    System.out.println("FOOTPRINT " + key + " " + String.format(Locale.ROOT, "%.3f", value));
  }
}
