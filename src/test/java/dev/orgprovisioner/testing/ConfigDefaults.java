package dev.orgprovisioner.testing;

import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;

/** A {@code @ConfigMapping} with its defaults, read as Quarkus reads them, outside Quarkus. */
public final class ConfigDefaults {

  private ConfigDefaults() {}

  public static <T> T of(Class<T> mapping) {
    return quarkusConverters(new SmallRyeConfigBuilder())
        .withMapping(mapping)
        .build()
        .getConfigMapping(mapping);
  }

  /** Durations such as "7d" as Quarkus reads them (plain SmallRye Config knows only ISO-8601). */
  public static SmallRyeConfigBuilder quarkusConverters(SmallRyeConfigBuilder builder) {
    return builder.withConverter(
        Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter());
  }
}
