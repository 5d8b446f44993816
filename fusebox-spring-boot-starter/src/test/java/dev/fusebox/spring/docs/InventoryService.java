package dev.fusebox.spring.docs;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.spring.annotation.CircuitBreaker;
import dev.fusebox.spring.annotation.Retry;
import dev.fusebox.spring.annotation.TimeLimiter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The annotated bean of docs/spring-boot.md, run by {@link DocsExamplesTest}. */
// tag::annotated-bean[]
public class InventoryService {

  private final InventoryClient client;
  private final Map<String, Integer> lastKnown = new ConcurrentHashMap<>();

  public InventoryService(InventoryClient client) {
    this.client = client;
  }

  @Retry(name = "inventory")
  @CircuitBreaker(name = "inventory", fallbackMethod = "cachedStock")
  public int stock(String sku) {
    int stock = client.fetch(sku);
    lastKnown.put(sku, stock);
    return stock;
  }

  // The breaker is open: answer at once from what we know.
  private int cachedStock(String sku, CallNotPermittedException open) {
    return lastKnown.getOrDefault(sku, 0);
  }

  // Any other failure, once the retries are spent.
  private int cachedStock(String sku, Exception failure) {
    return lastKnown.getOrDefault(sku, -1);
  }

  @TimeLimiter(name = "inventory", fallbackMethod = "unknownStock")
  @CircuitBreaker(name = "inventory")
  public CompletionStage<Integer> stockAsync(String sku) {
    return client.fetchAsync(sku);
  }

  private CompletionStage<Integer> unknownStock(String sku, Throwable failure) {
    return CompletableFuture.completedFuture(-1);
  }
}
// end::annotated-bean[]
