package dev.orgprovisioner.notify;

/**
 * One (rule, channel) pair an event is to be delivered on.
 *
 * @param channel null when the rule names a channel that does not exist or is inactive, or when the
 *     route is refused
 * @param channelId the id the rule named
 * @param platform whether the channel is one of the platform's operations channels (its secrets
 *     resolve in the platform's namespace, its recipients are not limited to the org's domains)
 * @param refusal why the route may not be delivered (e.g. an org's rule naming {@code ops}), or
 *     null
 */
public record Route(
    Rule rule, String channelId, Channel channel, boolean platform, String refusal) {

  /** A route to one of the org's own channels (or none, when {@code channel} is null). */
  public Route(Rule rule, String channelId, Channel channel) {
    this(rule, channelId, channel, false, null);
  }

  static Route platform(Rule rule, Channel channel) {
    return new Route(rule, channel.id(), channel, true, null);
  }

  static Route refused(Rule rule, String channelId, String reason) {
    return new Route(rule, channelId, null, false, reason);
  }
}
