package dev.orgprovisioner.notify;

import java.util.List;
import java.util.Optional;

/** Port: an org's notification rules and channels and its admin's e-mail address. */
public interface NotificationDirectory {

  /** The org's rules (active or not); empty when it has none. */
  List<Rule> rules(String org);

  /** The org's channels (active or not). */
  List<Channel> channels(String org);

  /** The admin e-mail of the org's profile, if the org has one. */
  Optional<String> adminEmail(String org);
}
