package dev.fusebox.spring.docs;

import java.util.concurrent.CompletionStage;

/** What the documentation's bean calls; the test fakes it. */
public interface InventoryClient {

  /** Returns the stock of a product. */
  int fetch(String sku);

  /** Returns the stock of a product, later. */
  CompletionStage<Integer> fetchAsync(String sku);
}
