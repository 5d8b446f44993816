package dev.fusebox.spring.dashboard;

import dev.fusebox.dashboard.Dashboard;
import dev.fusebox.redis.RedisSharedState;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Shows the fleet on the dashboard when the breakers are shared through Redis. The only class of the
 * dashboard's configuration that names a fusebox-redis type, loaded only when fusebox-redis is present.
 */
final class DashboardFleet {

  private static final String SHARED = "dev.fusebox.redis.RedisSharedState";

  private DashboardFleet() {}

  static void attach(Dashboard.Builder builder, BeanFactory beans) {
    if (ClassUtils.isPresent(SHARED, DashboardFleet.class.getClassLoader())) {
      Attach.to(builder, beans);
    }
  }

  /** Holds the reference to fusebox-redis, so that it is resolved only after the presence check. */
  private static final class Attach {
    static void to(Dashboard.Builder builder, BeanFactory beans) {
      RedisSharedState shared = beans.getBeanProvider(RedisSharedState.class).getIfAvailable();
      if (shared != null) {
        builder.sharedState(shared);
      }
    }
  }
}
