package dev.fusebox.spring.dashboard;

import dev.fusebox.PolicyRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.dashboard.Dashboard;
import dev.fusebox.dashboard.DashboardHandler;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import dev.fusebox.spring.support.ConfigBuilding;
import dev.fusebox.spring.support.PolicyProperties;
import jakarta.servlet.http.HttpServlet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Mounts the live dashboard of fusebox-dashboard in the application's own servlet web server, at
 * {@code fusebox.dashboard.path} ({@code /fusebox} by default), when fusebox-dashboard is on the class path;
 * off with {@code fusebox.dashboard.enabled=false}. See {@link FuseboxDashboardProperties} for its
 * security: the token guards every read of the data and every control. Besides the breakers it shows the
 * retries, bulkheads, adaptive bulkheads, rate limiters and time limiters of the application's registries,
 * and the chaos policies of a {@code ChaosRegistry} bean with their controls.
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass({DashboardHandler.class, HttpServlet.class, ServletRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(CircuitBreakerRegistry.class)
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "dashboard.enabled"}, matchIfMissing = true)
@EnableConfigurationProperties(FuseboxDashboardProperties.class)
public final class FuseboxDashboardAutoConfiguration {

  private static final System.Logger LOG = System.getLogger(FuseboxDashboardAutoConfiguration.class.getName());

  /** Creates the configuration; Spring Boot does. */
  public FuseboxDashboardAutoConfiguration() {}

  /**
   * The dashboard's request handling, sampling the breakers until the context closes.
   *
   * @param registry the breakers shown
   * @param history the application's event history, shared rather than duplicated
   * @param p the properties
   * @param registries every other policy registry bean (retries, bulkheads, a registry of the application's
   *     own policy...), each shown in a section of its kind; the first of a kind when there are several
   * @param beans where the {@code RedisSharedState} is found, when the breakers are shared: the dashboard then
   *     shows the fleet
    * @return the handler, sampling until the context closes
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public DashboardHandler fuseboxDashboardHandler(
      CircuitBreakerRegistry registry,
      ObjectProvider<EventHistory> history,
      FuseboxDashboardProperties p,
      ObjectProvider<PolicyRegistry<?, ?, ?>> registries,
      BeanFactory beans) {
    Dashboard.Builder b = Dashboard.builder(registry)
        .basePath(p.getPath())
        .publicReadOnly(p.isPublicReadOnly())
        .samplingInterval(p.getSamplingInterval())
        .historySize(p.getHistorySize())
        .maxStreams(p.getMaxStreams());
    if (p.getToken() != null) {
      b.token(p.getToken());
    }
    history.ifAvailable(b::eventHistory);
    DashboardFleet.attach(b, beans);
    Set<String> kinds = new HashSet<>(Set.of(registry.kind().id()));
    registries.orderedStream().filter(r -> kinds.add(r.kind().id())).forEach(b::registry);
    List<String> problems = new ArrayList<>();
    DashboardHandler handler = ConfigBuilding.build(
        new PolicyProperties.Resolved<>("fusebox.dashboard", p, Map.of()), Map.of("basePath", "path"), b::buildHandler,
        problems);
    ConfigBuilding.throwIfAny(problems);
    if (p.getToken() == null) {
      // As the standalone dashboard does: a generated token is useless unless its user learns it.
      LOG.log(System.Logger.Level.INFO, "Fusebox dashboard at {0}/#token={1}", handler.basePath(), handler.token());
    } else {
      LOG.log(System.Logger.Level.INFO, "Fusebox dashboard at {0}/", handler.basePath());
    }
    return handler;
  }

  /**
   * The servlet that serves the dashboard at its path and below.
   *
   * @param handler the dashboard's request handling
    * @return the servlet's registration at the dashboard's path
   */
  @Bean
  @ConditionalOnMissingBean(name = "fuseboxDashboardServlet")
  public ServletRegistrationBean<HttpServlet> fuseboxDashboardServlet(DashboardHandler handler) {
    String base = handler.basePath();
    ServletRegistrationBean<HttpServlet> registration =
        new ServletRegistrationBean<>(new DashboardServlet(handler), base.isEmpty() ? "/*" : base, base + "/*");
    registration.setName("fuseboxDashboard");
    registration.setLoadOnStartup(1);
    return registration;
  }
}
