package dev.orgprovisioner.messaging;

import com.google.cloud.ServiceOptions;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.TopicName;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/** Reads one channel's connector attributes, applying the defaults declared on the connector. */
final class ChannelSettings {

  static final String CHANNEL_NAME = "channel-name";
  static final String PROJECT_ID = "project-id";
  static final String EMULATOR_HOST = "emulator-host";
  static final String TOPIC = "topic";
  static final String SUBSCRIPTION = "subscription";
  static final String MAX_OUTSTANDING_MESSAGES = "max-outstanding-messages";
  static final String MAX_OUTSTANDING_BYTES = "max-outstanding-bytes";
  static final String PARALLEL_PULL_COUNT = "parallel-pull-count";
  static final String EXECUTOR_THREADS = "executor-threads";
  static final String SHUTDOWN_TIMEOUT = "shutdown-timeout";
  static final String BATCH_MAX_MESSAGES = "batch-max-messages";
  static final String BATCH_MAX_BYTES = "batch-max-bytes";
  static final String BATCH_MAX_DELAY_MS = "batch-max-delay-ms";
  static final String ENABLE_ORDERING = "enable-ordering";
  static final String MAX_INFLIGHT_MESSAGES = "max-inflight-messages";
  static final String PUBLISH_MAX_RETRY_DELAY = "publish-max-retry-delay";

  static final long DEFAULT_MAX_OUTSTANDING_MESSAGES = 1000;
  static final long DEFAULT_MAX_OUTSTANDING_BYTES = 100L * 1024 * 1024;
  static final int DEFAULT_PARALLEL_PULL_COUNT = 1;
  static final int DEFAULT_EXECUTOR_THREADS = 4;
  static final String DEFAULT_SHUTDOWN_TIMEOUT = "30s";
  static final long DEFAULT_BATCH_MAX_MESSAGES = 100;
  static final long DEFAULT_BATCH_MAX_BYTES = 1_000_000;
  static final long DEFAULT_BATCH_MAX_DELAY_MS = 10;
  static final int DEFAULT_MAX_INFLIGHT_MESSAGES = 1000;
  static final String DEFAULT_PUBLISH_MAX_RETRY_DELAY = "5s";

  private static final Pattern SIMPLE_DURATION =
      Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  private ChannelSettings() {}

  /** Settings of an incoming channel. */
  record Inbound(
      String channel,
      Optional<String> emulatorHost,
      ProjectSubscriptionName subscription,
      long maxOutstandingMessages,
      long maxOutstandingBytes,
      int parallelPullCount,
      int executorThreads,
      Duration shutdownTimeout) {}

  /** Settings of an outgoing channel. */
  record Outbound(
      String channel,
      String projectId,
      Optional<String> emulatorHost,
      TopicName topic,
      long batchMaxMessages,
      long batchMaxBytes,
      Duration batchMaxDelay,
      boolean enableOrdering,
      int maxInflightMessages,
      int executorThreads,
      Duration shutdownTimeout,
      Duration publishMaxRetryDelay) {}

  static Inbound inbound(Config config) {
    String channel = channelName(config);
    String subscription = required(config, channel, SUBSCRIPTION);
    return new Inbound(
        channel,
        string(config, EMULATOR_HOST),
        subscription.startsWith("projects/")
            ? ProjectSubscriptionName.parse(subscription)
            : ProjectSubscriptionName.of(projectId(config, channel), subscription),
        positiveLong(config, channel, MAX_OUTSTANDING_MESSAGES, DEFAULT_MAX_OUTSTANDING_MESSAGES),
        positiveLong(config, channel, MAX_OUTSTANDING_BYTES, DEFAULT_MAX_OUTSTANDING_BYTES),
        (int) positiveLong(config, channel, PARALLEL_PULL_COUNT, DEFAULT_PARALLEL_PULL_COUNT),
        (int) positiveLong(config, channel, EXECUTOR_THREADS, DEFAULT_EXECUTOR_THREADS),
        shutdownTimeout(config, channel));
  }

  static Outbound outbound(Config config) {
    String channel = channelName(config);
    String topic = required(config, channel, TOPIC);
    String projectId = projectId(config, channel);
    return new Outbound(
        channel,
        projectId,
        string(config, EMULATOR_HOST),
        topicNamed(projectId, topic),
        positiveLong(config, channel, BATCH_MAX_MESSAGES, DEFAULT_BATCH_MAX_MESSAGES),
        positiveLong(config, channel, BATCH_MAX_BYTES, DEFAULT_BATCH_MAX_BYTES),
        Duration.ofMillis(
            positiveLong(config, channel, BATCH_MAX_DELAY_MS, DEFAULT_BATCH_MAX_DELAY_MS)),
        string(config, ENABLE_ORDERING).map(Boolean::parseBoolean).orElse(true),
        (int) positiveLong(config, channel, MAX_INFLIGHT_MESSAGES, DEFAULT_MAX_INFLIGHT_MESSAGES),
        (int) positiveLong(config, channel, EXECUTOR_THREADS, DEFAULT_EXECUTOR_THREADS),
        shutdownTimeout(config, channel),
        publishMaxRetryDelay(config, channel));
  }

  /** The topic named by {@code topic}: an id in {@code projectId}, or a full resource name. */
  static TopicName topicNamed(String projectId, String topic) {
    return topic.startsWith("projects/") ? TopicName.parse(topic) : TopicName.of(projectId, topic);
  }

  /**
   * Parses {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, ISO-8601 ({@code PT30S}) or seconds.
   */
  static Duration parseDuration(String text) {
    String value = text.strip();
    Matcher simple = SIMPLE_DURATION.matcher(value);
    if (simple.matches()) {
      long amount = Long.parseLong(simple.group(1));
      String unit = simple.group(2) == null ? "s" : simple.group(2).toLowerCase(Locale.ROOT);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofSeconds(amount);
      };
    }
    return Duration.parse(value.toUpperCase(Locale.ROOT));
  }

  private static String channelName(Config config) {
    return string(config, CHANNEL_NAME).orElse("(unnamed)");
  }

  private static String projectId(Config config, String channel) {
    return string(config, PROJECT_ID)
        .or(() -> Optional.ofNullable(ServiceOptions.getDefaultProjectId()))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Pub/Sub channel '"
                        + channel
                        + "': set the '"
                        + PROJECT_ID
                        + "' attribute (no default project found in the environment)"));
  }

  private static Duration shutdownTimeout(Config config, String channel) {
    return duration(config, channel, SHUTDOWN_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT);
  }

  private static Duration publishMaxRetryDelay(Config config, String channel) {
    Duration delay =
        duration(config, channel, PUBLISH_MAX_RETRY_DELAY, DEFAULT_PUBLISH_MAX_RETRY_DELAY);
    if (delay.isZero()) {
      throw invalid(
          channel, PUBLISH_MAX_RETRY_DELAY, "0", "a duration above zero such as 5s or 500ms");
    }
    return delay;
  }

  private static Duration duration(
      Config config, String channel, String attribute, String defaultValue) {
    String text = string(config, attribute).orElse(defaultValue);
    try {
      Duration value = parseDuration(text);
      if (value.isNegative()) {
        throw new IllegalArgumentException("negative");
      }
      return value;
    } catch (RuntimeException e) {
      throw invalid(channel, attribute, text, "a duration such as 30s, 500ms or PT1M");
    }
  }

  private static String required(Config config, String channel, String name) {
    return string(config, name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Pub/Sub channel '" + channel + "': the '" + name + "' attribute is required"));
  }

  private static long positiveLong(Config config, String channel, String name, long fallback) {
    Optional<String> text = string(config, name);
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.get());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(channel, name, text.get(), "a positive integer");
  }

  private static Optional<String> string(Config config, String name) {
    return config.getOptionalValue(name, String.class).map(String::strip).filter(s -> !s.isEmpty());
  }

  private static IllegalArgumentException invalid(
      String channel, String name, String value, String expected) {
    return new IllegalArgumentException(
        "Pub/Sub channel '"
            + channel
            + "': '"
            + name
            + "' is '"
            + value
            + "', expected "
            + expected);
  }
}
