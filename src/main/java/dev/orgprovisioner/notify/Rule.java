package dev.orgprovisioner.notify;

import java.time.Duration;
import java.util.List;

/**
 * Routes events to channels: an event matches when its type matches one of the patterns ({@code *}
 * is a wildcard, e.g. {@code *.failed}) and its priority is at least {@code minPriority}.
 *
 * @param priority priority of the notifications the rule raises (copied into the history)
 * @param channelIds target channels; {@link DefaultRules#OPS} means the global operations channels
 * @param cooldown least time between two notifications of this rule for one org; null means the
 *     configured default, zero means none
 */
public record Rule(
    String id,
    String orgSlug,
    String name,
    boolean active,
    Priority priority,
    List<String> eventPatterns,
    Priority minPriority,
    List<String> channelIds,
    Duration cooldown) {

  public Rule {
    eventPatterns = List.copyOf(eventPatterns);
    channelIds = List.copyOf(channelIds);
    minPriority = minPriority == null ? Priority.LOW : minPriority;
  }

  /** Whether the rule fires for the event. */
  public boolean matches(NotifyEvent event) {
    return active
        && event.priority().compareTo(minPriority) >= 0
        && eventPatterns.stream().anyMatch(p -> typeMatches(p, event.type()));
  }

  /** Glob match on event types: {@code *} matches any run of characters, dots included. */
  static boolean typeMatches(String pattern, String type) {
    String regex =
        java.util.Arrays.stream(pattern.trim().split("\\*", -1))
            .map(java.util.regex.Pattern::quote)
            .collect(java.util.stream.Collectors.joining(".*"));
    return type.matches(regex);
  }
}
