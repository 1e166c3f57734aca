package dev.orgprovisioner.notify;

import java.time.Duration;

/** Port: waiting between retries (a real sleep in production; recorded in unit tests). */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;
}
