package dev.fusebox.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link FuseboxConfigurationException} when the application fails to start: every problem on
 * a line of its own, and what to do about it.
 */
public final class FuseboxFailureAnalyzer extends AbstractFailureAnalyzer<FuseboxConfigurationException> {

  /** Creates the analyzer; Spring Boot finds it through {@code META-INF/spring.factories}. */
  public FuseboxFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, FuseboxConfigurationException cause) {
    StringBuilder description = new StringBuilder("Fusebox's configuration is invalid:\n");
    for (String problem : cause.problems()) {
      description.append("\n    - ").append(problem);
    }
    String action =
        "Correct the properties named above (application.yml, application.properties or the environment) or the"
            + " annotated methods. Every option, its default and its range are described in docs/spring-boot.md.";
    return new FailureAnalysis(description.toString(), action, cause);
  }
}
