package dev.orgprovisioner.notify;

import dev.orgprovisioner.execution.port.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Delivers one event: routes it through the org's rules (or the defaults) to channels, skips what
 * was handled before or is cooling down, sends with retries and backoff on transient failures, and
 * records every step durably in the history before going on. Delivery problems are recorded, never
 * thrown; only a failure of the state store or the history spool is thrown, so the event is not
 * acked and comes back later.
 */
public final class Notifier {

  private static final Logger LOG = Logger.getLogger(Notifier.class.getName());
  private static final int PREVIEW = 500;

  /**
   * Tunables.
   *
   * @param defaultCooldown cooldown of rules that set none (and of the default rules)
   * @param ops the global operations channels ({@code ops} in a rule)
   * @param recipientDomains per org, e-mail domains its channels may send to besides its admin's
   */
  public record Settings(
      RetryPolicy retry,
      Duration defaultCooldown,
      List<Channel> ops,
      Map<String, List<String>> recipientDomains) {
    public Settings {
      ops = List.copyOf(ops);
      recipientDomains = Map.copyOf(recipientDomains);
    }

    public Settings(RetryPolicy retry, Duration defaultCooldown, List<Channel> ops) {
      this(retry, defaultCooldown, ops, Map.of());
    }
  }

  /** What happened to one route. */
  public record RouteOutcome(
      String ruleId, String channelId, DeliveryStatus status, int attempts, Duration waited) {}

  /** What happened to an event. */
  public record Outcome(List<RouteOutcome> routes, int duplicates) {
    public long count(DeliveryStatus status) {
      return routes.stream().filter(r -> r.status() == status).count();
    }
  }

  private final NotificationDirectory directory;
  private final NotificationHistory history;
  private final NotificationState state;
  private final Deliveries deliveries;
  private final Map<ChannelType, ChannelSender> senders = new EnumMap<>(ChannelType.class);
  private final Sleeper sleeper;
  private final Clock clock;
  private final Settings settings;
  private final Metrics metrics;

  public Notifier(
      NotificationDirectory directory,
      NotificationHistory history,
      NotificationState state,
      SecretResolver secrets,
      List<ChannelSender> senders,
      Sleeper sleeper,
      Clock clock,
      Settings settings) {
    this(directory, history, state, secrets, senders, sleeper, clock, settings, Metrics.NONE);
  }

  public Notifier(
      NotificationDirectory directory,
      NotificationHistory history,
      NotificationState state,
      SecretResolver secrets,
      List<ChannelSender> senders,
      Sleeper sleeper,
      Clock clock,
      Settings settings,
      Metrics metrics) {
    this.metrics = metrics;
    this.directory = directory;
    this.history = history;
    this.state = state;
    this.deliveries = new Deliveries(directory, secrets, settings.recipientDomains());
    senders.forEach(s -> this.senders.put(s.type(), s));
    this.sleeper = sleeper;
    this.clock = clock;
    this.settings = settings;
  }

  /** A stable id per (event, rule, channel), shared by all history rows of that notification. */
  public static String notificationId(String eventId, String ruleId, String channelId) {
    return UUID.nameUUIDFromBytes(
            (eventId + "|" + ruleId + "|" + channelId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  public Outcome handle(NotifyEvent event) throws InterruptedException {
    String org = event.orgSlug();
    List<Rule> rules = org.isEmpty() ? List.of() : directory.rules(org);
    List<Channel> channels = org.isEmpty() ? List.of() : directory.channels(org);
    List<Route> routes = Router.route(event, rules, channels, settings.ops());
    Map<String, NotificationState.CooldownVerdict> verdicts = new HashMap<>();
    List<RouteOutcome> outcomes = new ArrayList<>();
    int duplicates = 0;
    for (Route route : routes) {
      String id = notificationId(event.id(), route.rule().id(), route.channelId());
      if (state.handled(id).isPresent()) {
        duplicates++;
        continue;
      }
      outcomes.add(deliver(event, route, id, verdicts));
    }
    return new Outcome(outcomes, duplicates);
  }

  private RouteOutcome deliver(
      NotifyEvent event,
      Route route,
      String id,
      Map<String, NotificationState.CooldownVerdict> verdicts)
      throws InterruptedException {
    Rule rule = route.rule();
    Channel channel = route.channel();
    Message message = MessageRenderer.render(event, channel == null ? "" : channel.subjectPrefix());
    Row row = new Row(id, event, route, message);
    if (route.refusal() != null) {
      return finish(row, DeliveryStatus.FAILED, 0, route.refusal(), List.of(), Duration.ZERO);
    }
    if (channel == null) {
      return finish(
          row,
          DeliveryStatus.FAILED,
          0,
          "channel " + route.channelId() + " does not exist or is inactive",
          List.of(),
          Duration.ZERO);
    }
    Duration cooldown = rule.cooldown() != null ? rule.cooldown() : settings.defaultCooldown();
    NotificationState.CooldownVerdict verdict =
        verdicts.computeIfAbsent(
            rule.id(),
            r ->
                state.acquireCooldown(
                    event.historyOrg(), r, event.id(), clock.instant(), cooldown));
    if (!verdict.allowed()) {
      return finish(
          row,
          DeliveryStatus.SKIPPED,
          0,
          "cooldown of "
              + cooldown.toMinutes()
              + " min: rule "
              + rule.id()
              + " last fired at "
              + verdict.lastSentAt(),
          List.of(),
          Duration.ZERO);
    }
    Delivery delivery;
    try {
      delivery = deliveries.resolve(event, route, message);
    } catch (Deliveries.UndeliverableException e) {
      return finish(row, DeliveryStatus.FAILED, 0, e.getMessage(), List.of(), Duration.ZERO);
    }
    ChannelSender sender = senders.get(channel.type());
    if (sender == null) {
      return finish(
          row,
          DeliveryStatus.FAILED,
          0,
          "no sender configured for " + channel.type().lower() + " channels",
          delivery.recipients(),
          Duration.ZERO);
    }
    history.append(row.entry(DeliveryStatus.QUEUED, 0, null, delivery.recipients(), clock));
    Duration waited = Duration.ZERO;
    int attempt = 0;
    while (true) {
      attempt++;
      SendResult result;
      try {
        result = sender.send(delivery);
      } catch (RuntimeException e) {
        result = new SendResult.Transient("sender error: " + e.getClass().getSimpleName(), null);
      }
      if (result instanceof SendResult.Sent) {
        return finish(
            row, DeliveryStatus.SENT, attempt - 1, null, delivery.recipients(), waited, attempt);
      }
      if (result instanceof SendResult.Permanent p) {
        return finish(
            row,
            DeliveryStatus.FAILED,
            attempt - 1,
            p.error() + " (permanent, not retried)",
            delivery.recipients(),
            waited,
            attempt);
      }
      SendResult.Transient t = (SendResult.Transient) result;
      if (attempt >= settings.retry().maxAttempts()) {
        return finish(
            row,
            DeliveryStatus.FAILED,
            attempt - 1,
            t.error() + " (gave up after " + attempt + " attempts)",
            delivery.recipients(),
            waited,
            attempt);
      }
      Duration delay = settings.retry().delay(attempt, t.retryAfter());
      history.append(
          row.entry(
              DeliveryStatus.RETRYING,
              attempt - 1,
              t.error() + "; retrying in " + delay.toMillis() + " ms",
              delivery.recipients(),
              clock));
      sleeper.sleep(delay);
      waited = waited.plus(delay);
    }
  }

  private RouteOutcome finish(
      Row row,
      DeliveryStatus status,
      int retries,
      String error,
      List<String> recipients,
      Duration waited) {
    return finish(row, status, retries, error, recipients, waited, 0);
  }

  private RouteOutcome finish(
      Row row,
      DeliveryStatus status,
      int retries,
      String error,
      List<String> recipients,
      Duration waited,
      int attempts) {
    history.append(row.entry(status, retries, error, recipients, clock));
    state.markHandled(row.id, status, clock.instant());
    // Labelled by channel type, not id: ids are per org and would explode the series count.
    metrics.notification(
        row.route.channel() == null ? "unknown" : row.route.channel().type().lower(),
        status.name().toLowerCase(java.util.Locale.ROOT));
    if (status == DeliveryStatus.FAILED) {
      LOG.warning(
          "Notification "
              + row.event.type()
              + " "
              + row.event.id()
              + " on channel "
              + row.route.channelId()
              + " failed: "
              + error);
    }
    return new RouteOutcome(row.route.rule().id(), row.route.channelId(), status, attempts, waited);
  }

  /** The parts every history row of one notification shares. */
  private record Row(String id, NotifyEvent event, Route route, Message message) {
    HistoryEntry entry(
        DeliveryStatus status, int retries, String error, List<String> recipients, Clock clock) {
      return new HistoryEntry(
          id,
          event.historyOrg(),
          route.rule().id(),
          route.channelId(),
          event.id(),
          event.type(),
          route.rule().priority(),
          message.subject(),
          message.preview(PREVIEW),
          status,
          retries,
          error,
          recipients,
          clock.instant());
    }
  }
}
