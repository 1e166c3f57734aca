package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Tracing;
import dev.orgprovisioner.testing.Envelopes;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tracing port on OpenTelemetry: parents, current spans, and the context when export is off.
 */
class OpenTelemetryTracingTest {

  private static final TraceContext INTAKE =
      new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null);

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();

  @AfterEach
  void close() {
    provider.close();
  }

  private Tracing sdk() {
    return new OpenTelemetryTracing(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
  }

  private static Job job(TraceContext trace) {
    return Job.accepted(
        "job-1", Envelopes.onboard("acme", "cmd-1").withTrace(trace), "key", Instant.now());
  }

  @Test
  void everyRunOfAJob_onAnyInstance_isAChildOfItsStoredContext() {
    Tracing first = sdk();
    Tracing second = sdk(); // another instance: nothing shared but the job

    first.job(job(INTAKE)).close();
    try (Tracing.Span run = second.job(job(INTAKE))) {
      run.failed("WAREHOUSE_UNAVAILABLE");
    }

    List<SpanData> runs = spans.getFinishedSpanItems();
    assertThat(runs).hasSize(2);
    assertThat(runs)
        .allSatisfy(
            s -> {
              assertThat(s.getTraceId()).isEqualTo(INTAKE.traceId());
              assertThat(s.getParentSpanId()).isEqualTo(INTAKE.spanId());
              assertThat(s.getAttributes().get(OpenTelemetryTracing.JOB)).isEqualTo("job-1");
              assertThat(s.getAttributes().get(OpenTelemetryTracing.ORG)).isEqualTo("acme");
            });
    assertThat(runs.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void whileAJobRuns_itsSpanIsCurrent_forWarehouseCallsAndEvents() {
    Tracing tracing = sdk();
    EventFactory events = new EventFactory("//test", tracing);
    OutboxEvent event;
    try (Tracing.Span run = tracing.job(job(INTAKE))) {
      tracing.warehouseCall("freshSnapshot", "org_acme", "acme", "job-1").close();
      event = events.event("org.onboarded", "acme", "cmd-1", "key", "{}", Instant.now());
      assertThat(tracing.current()).isEqualTo(run.context());
    }

    SpanData call = spans.getFinishedSpanItems().get(0);
    SpanData run = spans.getFinishedSpanItems().get(1);
    assertThat(call.getParentSpanId()).isEqualTo(run.getSpanId());
    assertThat(TraceContext.from(event.attributes()).orElseThrow().spanId())
        .isEqualTo(run.getSpanId());
    assertThat(tracing.current()).as("nothing current after the run").isNull();
  }

  @Test
  void withExportOff_nothingIsRecorded_butThePublishersContextPassesThroughToTheEvents() {
    Tracing off = new OpenTelemetryTracing(OpenTelemetry.noop());
    EventFactory events = new EventFactory("//test", off);
    TraceContext publisher = TraceContext.newTrace();

    TraceContext intake;
    try (Tracing.Span span = off.intake(publisher, "m-1", "org.onboard.requested")) {
      intake = span.context();
    }
    OutboxEvent event;
    try (Tracing.Span run = off.job(job(intake))) {
      event = events.event("org.onboarded", "acme", "cmd-1", "key", "{}", Instant.now());
    }

    assertThat(intake.traceparent()).isEqualTo(publisher.traceparent());
    assertThat(TraceContext.from(event.attributes())).contains(publisher);
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void withExportOff_aCommandWithoutContext_getsNone() {
    Tracing off = new OpenTelemetryTracing(OpenTelemetry.noop());

    try (Tracing.Span span = off.intake(null, "m-1", "org.onboard.requested")) {
      assertThat(span.context()).isNull();
    }
  }
}
