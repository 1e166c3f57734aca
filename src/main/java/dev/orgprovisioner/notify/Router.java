package dev.orgprovisioner.notify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns an event into the (rule, channel) pairs to deliver on: the org's active rules, or the
 * {@link DefaultRules} when it has none; {@code ops} expands to the global operations channels in
 * the default rules only: an org's own rule naming {@code ops} is refused, so a tenant cannot page
 * the platform's on-call. A channel reached by two rules is delivered once, for the first rule.
 */
public final class Router {

  private Router() {}

  public static List<Route> route(
      NotifyEvent event, List<Rule> orgRules, List<Channel> orgChannels, List<Channel> ops) {
    boolean defaults = orgRules.isEmpty();
    List<Rule> rules = defaults ? DefaultRules.forOrg(event.historyOrg()) : List.copyOf(orgRules);
    Map<String, Channel> byId =
        orgChannels.stream()
            .collect(Collectors.toMap(Channel::id, Function.identity(), (a, b) -> a));
    List<Route> routes = new ArrayList<>();
    Set<String> taken = new LinkedHashSet<>();
    for (Rule rule : rules) {
      if (!rule.matches(event)) {
        continue;
      }
      for (String id : rule.channelIds()) {
        if (id.equals(DefaultRules.OPS) && !defaults) {
          if (taken.add(id)) {
            routes.add(
                Route.refused(
                    rule,
                    id,
                    "rule "
                        + rule.id()
                        + " of org "
                        + event.historyOrg()
                        + " names the operations channels ("
                        + DefaultRules.OPS
                        + "); an org's rules may only name the org's own channels"));
          }
        } else if (id.equals(DefaultRules.OPS)) {
          for (Channel channel : ops) {
            if (taken.add(channel.id())) {
              routes.add(Route.platform(rule, channel));
            }
          }
        } else if (taken.add(id)) {
          Channel channel = byId.get(id);
          if (channel == null && id.equals(DefaultRules.ORG_ADMIN_EMAIL)) {
            channel = DefaultRules.orgAdminEmail(event.historyOrg());
          }
          routes.add(new Route(rule, id, channel != null && channel.active() ? channel : null));
        }
      }
    }
    return routes;
  }
}
