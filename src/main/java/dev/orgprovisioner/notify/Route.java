package dev.orgprovisioner.notify;

/**
 * One (rule, channel) pair an event is to be delivered on.
 *
 * @param channel null when the rule names a channel that does not exist or is inactive
 * @param channelId the id the rule named
 */
public record Route(Rule rule, String channelId, Channel channel) {}
