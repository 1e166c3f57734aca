package dev.orgprovisioner.messaging;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Points Pub/Sub clients at Google Cloud (Application Default Credentials) or, when an emulator
 * host is given, at the emulator over a plaintext channel without credentials.
 */
public final class PubSubTransport implements AutoCloseable {

  private final ManagedChannel channel;
  private final TransportChannelProvider channelProvider;
  private final CredentialsProvider credentialsProvider;

  private PubSubTransport(ManagedChannel channel) {
    this.channel = channel;
    this.channelProvider =
        channel == null
            ? null
            : FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    this.credentialsProvider = channel == null ? null : NoCredentialsProvider.create();
  }

  /** Google Cloud when {@code emulatorHost} is empty or blank, else the emulator at host:port. */
  public static PubSubTransport create(Optional<String> emulatorHost) {
    return emulatorHost
        .map(String::strip)
        .filter(host -> !host.isEmpty())
        // The Java client ignores PUBSUB_EMULATOR_HOST: it must be given a channel explicitly.
        .map(
            host ->
                new PubSubTransport(ManagedChannelBuilder.forTarget(host).usePlaintext().build()))
        .orElseGet(() -> new PubSubTransport(null));
  }

  /** Whether clients talk to an emulator. */
  public boolean emulated() {
    return channel != null;
  }

  /** A publisher builder for {@code topic} with this transport applied. */
  public Publisher.Builder publisher(TopicName topic) {
    Publisher.Builder builder = Publisher.newBuilder(topic);
    if (emulated()) {
      builder.setChannelProvider(channelProvider).setCredentialsProvider(credentialsProvider);
    }
    return builder;
  }

  /**
   * A publisher builder for {@code topic} that keeps each ordering key's messages in order, every
   * message sent as a batch of its own. With batching, the client leaves a key's partial batch
   * behind when its delay alarm fires while the key's previous batch is still in flight, and
   * nothing re-arms the alarm until the next publish: in a quiet moment that message is never sent
   * and shutdown, which waits for it, blocks. Messages of different keys never share a batch
   * anyway.
   */
  public Publisher.Builder orderedPublisher(TopicName topic) {
    return publisher(topic)
        .setEnableMessageOrdering(true)
        .setBatchingSettings(
            Publisher.Builder.getDefaultBatchingSettings().toBuilder()
                .setElementCountThreshold(1L)
                .build());
  }

  /** A streaming-pull subscriber builder for {@code subscription} with this transport applied. */
  public Subscriber.Builder subscriber(
      ProjectSubscriptionName subscription, MessageReceiver receiver) {
    Subscriber.Builder builder = Subscriber.newBuilder(subscription, receiver);
    if (emulated()) {
      builder.setChannelProvider(channelProvider).setCredentialsProvider(credentialsProvider);
    }
    return builder;
  }

  /** A topic admin client; the caller closes it. */
  public TopicAdminClient topicAdmin() {
    try {
      TopicAdminSettings.Builder settings = TopicAdminSettings.newBuilder();
      if (emulated()) {
        settings
            .setTransportChannelProvider(channelProvider)
            .setCredentialsProvider(credentialsProvider);
      }
      return TopicAdminClient.create(settings.build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Pub/Sub topic admin client", e);
    }
  }

  /** A subscription admin client; the caller closes it. */
  public SubscriptionAdminClient subscriptionAdmin() {
    try {
      SubscriptionAdminSettings.Builder settings = SubscriptionAdminSettings.newBuilder();
      if (emulated()) {
        settings
            .setTransportChannelProvider(channelProvider)
            .setCredentialsProvider(credentialsProvider);
      }
      return SubscriptionAdminClient.create(settings.build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Pub/Sub subscription admin client", e);
    }
  }

  /** Closes the emulator channel; clients built on it must be closed first. */
  @Override
  public void close() {
    if (channel == null) {
      return;
    }
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
