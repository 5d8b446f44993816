package dev.fusebox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The ready-made breaker keys, and the validation of path templates. */
class HttpBreakerKeyTest {

  private static String key(HttpBreakerKey key, String uri) {
    return key.keyOf(HttpRequest.newBuilder(URI.create(uri)).build());
  }

  @ParameterizedTest
  @CsvSource({
      "https://API.Example.com/users/42, api.example.com",
      "https://api.example.com:443/, api.example.com",
      "http://api.example.com:80/, api.example.com",
      "https://api.example.com:8443/, api.example.com:8443",
      "http://localhost:8080/x, localhost:8080",
      "http://[::1]:9000/x, [::1]:9000"})
  void hostLeavesOutOnlyTheSchemesDefaultPort(String uri, String expected) {
    assertThat(key(HttpBreakerKey.host(), uri)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "https://api.example.com/users/42, api.example.com:443",
      "http://api.example.com/, api.example.com:80",
      "http://10.0.0.5:8080/x, 10.0.0.5:8080"})
  void hostAndPortAlwaysNamesThePort(String uri, String expected) {
    assertThat(key(HttpBreakerKey.hostAndPort(), uri)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "https://api.example.com/users/42, api.example.com/users/{id}",
      "https://api.example.com/users/42/, api.example.com/users/{id}",
      "https://api.example.com/users/42?fields=name, api.example.com/users/{id}",
      "https://api.example.com/users/42/orders/7, api.example.com/users/{id}/orders/{order}",
      "https://api.example.com/users, api.example.com/users",
      "https://api.example.com/, api.example.com/",
      "https://api.example.com, api.example.com/",
      "https://api.example.com/users/42/profile, api.example.com",
      "https://api.example.com/users//42, api.example.com",
      "https://api.example.com/usersX/42, api.example.com",
      "https://api.example.com/user/42, api.example.com"})
  void hostAndPathMatchesTheFirstTemplateOrFallsBackToTheHost(String uri, String expected) {
    HttpBreakerKey key = HttpBreakerKey.hostAndPath("/users/{id}", "/users/{id}/orders/{order}", "/users", "/");

    assertThat(key(key, uri)).isEqualTo(expected);
  }

  @Test
  void namedIsTheSameForEveryRequest() {
    HttpBreakerKey key = HttpBreakerKey.named("payments");

    assertThat(key(key, "http://10.0.0.5:8080/pay")).isEqualTo("payments");
    assertThat(key(key, "https://payments.internal/refund")).isEqualTo("payments");
  }

  @ParameterizedTest
  @ValueSource(strings = {"users/{id}", "/users//x", "/users/{id", "/users/x}", "/users/{a}{b}", "/{}", "//"})
  void malformedTemplatesAreRejectedNamingTheTemplate(String template) {
    assertThatThrownBy(() -> HttpBreakerKey.hostAndPath(template))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("path template ")
        .hasMessageEndingWith(", was '" + template + "'");
  }

  @Test
  void hostAndPathNeedsTemplates() {
    assertThatThrownBy(HttpBreakerKey::hostAndPath).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hostAndPath needs at least one path template");
    assertThatThrownBy(() -> HttpBreakerKey.hostAndPath((String[]) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("templates must not be null");
    assertThatThrownBy(() -> HttpBreakerKey.hostAndPath("/a", null)).isInstanceOf(NullPointerException.class)
        .hasMessage("templates must not contain null, found one at index 1");
  }

  @Test
  void namedRejectsBlankAndNull() {
    assertThatThrownBy(() -> HttpBreakerKey.named(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("named breaker key must not be blank, was ' '");
    assertThatThrownBy(() -> HttpBreakerKey.named(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }
}
