package dev.fusebox.spring.cloud;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** A WebFlux application serving a controllable upstream on a real port, with the Fusebox factories in it. */
// No component scan: each test names the configuration it adds.
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class CloudTestApplication {

  /** What the upstream answers and how often it was asked. */
  public static final class Upstream {
    public final AtomicInteger hits = new AtomicInteger();
    public final AtomicInteger hangs = new AtomicInteger();
    public final AtomicInteger hangsCancelled = new AtomicInteger();
    public volatile int status = 200;
  }

  @Bean
  Upstream upstream() {
    return new Upstream();
  }

  @Bean
  RouterFunction<ServerResponse> routes(Upstream upstream) {
    return RouterFunctions.route()
        .GET("/flaky", request -> {
          upstream.hits.incrementAndGet();
          return ServerResponse.status(HttpStatus.valueOf(upstream.status)).bodyValue("upstream " + upstream.status);
        })
        .GET("/hang", request -> Mono.<ServerResponse>never()
            .doOnSubscribe(s -> upstream.hangs.incrementAndGet())
            .doOnCancel(upstream.hangsCancelled::incrementAndGet))
        .build();
  }

  public static ConfigurableApplicationContext start(Class<?> extra, String... properties) {
    return new SpringApplicationBuilder(CloudTestApplication.class, extra)
        .web(WebApplicationType.REACTIVE)
        .properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
        .properties(properties)
        .run();
  }

  public static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }
}
