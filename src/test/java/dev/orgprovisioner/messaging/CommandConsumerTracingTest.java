package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.app.OpenTelemetryTracing;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.testing.LedgerFixtures;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The intake's span: a child of the publisher's context when there is a valid one, else a root. */
class CommandConsumerTracingTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final List<Job> dispatched = new CopyOnWriteArrayList<>();
  private final AtomicInteger acks = new AtomicInteger();
  private final AtomicInteger nacks = new AtomicInteger();
  private final List<Map<String, String>> published = new CopyOnWriteArrayList<>();

  /** An emitter that records what is sent and answers each message at once. */
  private final class RecordingEmitter extends StubEmitter {
    @Override
    public CompletionStage<Void> send(byte[] payload) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public <M extends Message<? extends byte[]>> void send(M message) {
      message
          .getMetadata(PubSubOutgoingMetadata.class)
          .ifPresent(m -> published.add(m.attributes()));
      message.ack();
    }
  }

  private SdkTracerProvider provider;
  private CommandConsumer consumer;

  @BeforeEach
  void setUp() {
    provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    MessagingConfig config =
        PubSubEmulatorFixture.topologyConfig("localhost:1", "tracing", Map.of());
    consumer =
        new CommandConsumer(
            CommandDecoder.fromClasspath(
                getClass().getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES),
            new Submission(
                LedgerFixtures.inMemory(Duration.ofSeconds(30)),
                new EventFactory("//test"),
                Clock.systemUTC(),
                dispatched::add),
            publisher(),
            config,
            Metrics.NONE,
            new OpenTelemetryTracing(
                OpenTelemetrySdk.builder().setTracerProvider(provider).build()));
  }

  private PubSubEventPublisher publisher() {
    PubSubEventPublisher publisher = new PubSubEventPublisher();
    publisher.events = new RecordingEmitter();
    publisher.deadLetters = new RecordingEmitter();
    return publisher;
  }

  @AfterEach
  void stop() {
    consumer.stop();
    provider.close();
  }

  private SpanData take(String org, Map<String, String> extra) {
    return take(org, extra, MalformedCommands.json(MalformedCommands.onboardData(org)));
  }

  private SpanData take(String org, Map<String, String> extra, byte[] data) {
    Map<String, String> attributes = MalformedCommands.onboardAttributes("cmd-" + org);
    attributes.putAll(extra);
    consumer.consume(
        Message.of(
            data,
            Metadata.of(
                new PubSubIncomingMetadata("m-" + org, attributes, org, 1, Instant.now(), "s")),
            () -> {
              acks.incrementAndGet();
              return CompletableFuture.completedFuture(null);
            },
            failure -> {
              nacks.incrementAndGet();
              return CompletableFuture.completedFuture(null);
            }));
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                    .filter(s -> ("m-" + org).equals(attributeOf(s)))
                    .findFirst()
                    .orElse(null),
            s -> s != null);
  }

  private static String attributeOf(SpanData span) {
    return span.getAttributes()
        .get(io.opentelemetry.api.common.AttributeKey.stringKey("messaging.message.id"));
  }

  @Test
  void rejectedCommand_endsItsIntakeSpanInError_andItsRejectionEventIsInTheSameTrace() {
    TraceContext publisher = TraceContext.newTrace();

    SpanData intake =
        take("bad", publisher.attributes(), "not json".getBytes(StandardCharsets.UTF_8));

    assertThat(intake.getParentSpanId()).isEqualTo(publisher.spanId());
    assertThat(intake.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    Map<String, String> rejected =
        published.stream()
            .filter(a -> "command.rejected".equals(a.get("ce-type")))
            .findFirst()
            .orElseThrow();
    assertThat(TraceContext.from(rejected).orElseThrow().spanId()).isEqualTo(intake.getSpanId());
    assertThat(acks.get()).isEqualTo(1);
    assertThat(dispatched).isEmpty();
  }

  private Job jobOf(String org) {
    return dispatched.stream().filter(j -> org.equals(j.orgSlug())).findFirst().orElseThrow();
  }

  @Test
  void messageWithATraceparent_isTakenInAsAChildOfThePublishersSpan_andItsJobContinuesTheIntake() {
    TraceContext publisher = TraceContext.newTrace();

    SpanData intake = take("acme", publisher.attributes());

    assertThat(intake.getTraceId()).isEqualTo(publisher.traceId());
    assertThat(intake.getParentSpanId()).isEqualTo(publisher.spanId());
    assertThat(jobOf("acme").trace().traceId()).isEqualTo(publisher.traceId());
    assertThat(jobOf("acme").trace().spanId()).isEqualTo(intake.getSpanId());
    assertThat(acks.get()).isEqualTo(1);
  }

  @Test
  void messageWithoutTraceparent_startsANewTrace_thatItsJobContinues() {
    SpanData intake = take("plain", Map.of());

    assertThat(intake.getParentSpanId()).isEqualTo(SpanId.getInvalid());
    assertThat(jobOf("plain").trace().traceId()).isEqualTo(intake.getTraceId());
    assertThat(acks.get()).isEqualTo(1);
  }

  @Test
  void malformedTraceparent_isIgnored_neverRejectsTheCommand() {
    SpanData intake = take("odd", Map.of("ce-traceparent", "00-not-a-trace-01"));

    assertThat(intake.getParentSpanId()).isEqualTo(SpanId.getInvalid());
    assertThat(jobOf("odd").trace().traceId()).isEqualTo(intake.getTraceId());
    assertThat(acks.get()).isEqualTo(1);
    assertThat(nacks.get()).isZero();
  }
}
