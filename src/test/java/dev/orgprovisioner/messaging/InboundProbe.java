package dev.orgprovisioner.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Subscribes to an incoming channel like SmallRye would and records what it is handed. */
final class InboundProbe implements Flow.Subscriber<Message<?>> {

  private final long initialRequest;
  private final boolean requestAfterEach;
  private final Consumer<Message<?>> handler;
  final List<Message<?>> messages = new CopyOnWriteArrayList<>();
  private volatile Flow.Subscription subscription;
  volatile boolean completed;
  volatile Throwable failure;

  private InboundProbe(
      long initialRequest, boolean requestAfterEach, Consumer<Message<?>> handler) {
    this.initialRequest = initialRequest;
    this.requestAfterEach = requestAfterEach;
    this.handler = handler;
  }

  /** Requests one message at a time and handles each with {@code handler}. */
  static InboundProbe oneByOne(Consumer<Message<?>> handler) {
    return new InboundProbe(1, true, handler);
  }

  /** Requests {@code n} messages in all, holding them unacked unless told otherwise. */
  static InboundProbe requesting(long n) {
    return new InboundProbe(n, false, message -> {});
  }

  static InboundProbe subscribe(PubSubConnector connector, Config config, InboundProbe probe) {
    connector.getPublisher(config).subscribe(probe);
    return probe;
  }

  void request(long n) {
    subscription.request(n);
  }

  List<String> payloads() {
    return messages.stream().map(InboundProbe::text).toList();
  }

  static String text(Message<?> message) {
    return new String((byte[]) message.getPayload(), StandardCharsets.UTF_8);
  }

  static PubSubIncomingMetadata metadata(Message<?> message) {
    return message.getMetadata(PubSubIncomingMetadata.class).orElseThrow();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(initialRequest);
  }

  @Override
  public void onNext(Message<?> message) {
    messages.add(message);
    handler.accept(message);
    if (requestAfterEach) {
      subscription.request(1);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    failure = throwable;
  }

  @Override
  public void onComplete() {
    completed = true;
  }
}
