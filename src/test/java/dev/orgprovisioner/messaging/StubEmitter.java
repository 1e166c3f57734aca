package dev.orgprovisioner.messaging;

import org.eclipse.microprofile.reactive.messaging.Emitter;

/** An emitter for tests: never cancelled, always ready; subclasses say what sending does. */
abstract class StubEmitter implements Emitter<byte[]> {

  @Override
  public void complete() {}

  @Override
  public void error(Exception e) {}

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public boolean hasRequests() {
    return true;
  }
}
