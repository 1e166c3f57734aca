package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.orgprovisioner.app.OpenTelemetryTracing;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.testing.AdminRequests;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.InMemorySpans;
import dev.orgprovisioner.testing.PubSubTestClient;
import dev.orgprovisioner.testing.PubSubTestClient.Received;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One onboarding, published with a trace context, is one trace through the whole worker. */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingEndToEndAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Inject InMemorySpans spans;
  @Inject Ledger ledger;

  @ConfigProperty(name = "messaging.commands-topic")
  String commandsTopic;

  @ConfigProperty(name = "messaging.events-topic")
  String eventsTopic;

  private PubSubTestClient pubsub;
  private PubSubTestClient.Reader events;

  @BeforeAll
  void connect() {
    pubsub = PubSubTestClient.forSharedEmulator();
    events = pubsub.subscribe(eventsTopic);
  }

  @AfterAll
  void disconnect() throws Exception {
    pubsub.close();
  }

  @Test
  void
      onboardingPublishedWithATraceparent_isOneTrace_fromIntakeThroughEachWarehouseCallToItsEvent() {
    String org = "traced_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String id = "cmd-" + org;
    TraceContext publisher = TraceContext.newTrace();
    Map<String, String> attributes = MalformedCommands.onboardAttributes(id);
    attributes.putAll(publisher.attributes());
    pubsub.publish(
        commandsTopic, attributes, MalformedCommands.json(MalformedCommands.onboardData(org)), org);

    Received onboarded =
        await()
            .atMost(DEADLINE)
            .until(
                () ->
                    events.where("correlation-id", id).stream()
                        .filter(e -> "org.onboarded".equals(e.attributes().get("ce-type")))
                        .findFirst()
                        .orElse(null),
                e -> e != null);
    Job job = ledger.jobs(null, org, 10).get(0);
    SpanData jobSpan =
        await()
            .atMost(DEADLINE)
            .until(() -> one(publisher, s -> s.getName().startsWith("job ")), s -> s != null);
    SpanData intake = one(publisher, s -> s.getName().startsWith("intake "));

    assertThat(intake.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(intake.getParentSpanId()).isEqualTo(publisher.spanId());
    assertThat(job.trace().spanId())
        .as("the job keeps the intake's context")
        .isEqualTo(intake.getSpanId());
    assertThat(jobSpan.getParentSpanId()).isEqualTo(intake.getSpanId());
    assertThat(jobSpan.getAttributes().get(OpenTelemetryTracing.JOB)).isEqualTo(job.id());
    assertThat(jobSpan.getAttributes().get(OpenTelemetryTracing.ORG)).isEqualTo(org);

    List<SpanData> warehouseCalls =
        spans.ofTrace(publisher.traceId()).stream()
            .filter(s -> s.getName().startsWith("warehouse "))
            .toList();
    assertThat(warehouseCalls)
        .isNotEmpty()
        .allSatisfy(
            call -> {
              assertThat(call.getParentSpanId()).isEqualTo(jobSpan.getSpanId());
              assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
              assertThat(call.getAttributes().get(OpenTelemetryTracing.ORG)).isEqualTo(org);
              assertThat(call.getAttributes().get(OpenTelemetryTracing.JOB)).isEqualTo(job.id());
            });
    // The embedded warehouse takes the plan and the org's central rows whole: a span each.
    assertThat(warehouseCalls)
        .extracting(SpanData::getName)
        .contains("warehouse freshSnapshot", "warehouse selectRows org_profiles")
        .anyMatch(name -> name.startsWith("warehouse applyAll"))
        .anyMatch(name -> name.startsWith("warehouse upsertAll"));

    TraceContext eventTrace = TraceContext.from(onboarded.attributes()).orElseThrow();
    assertThat(eventTrace.traceId()).isEqualTo(publisher.traceId());
    assertThat(eventTrace.spanId())
        .as("the event's parent is the job's run")
        .isEqualTo(jobSpan.getSpanId());

    SpanData notification =
        await()
            .atMost(DEADLINE)
            .until(
                () -> one(publisher, s -> s.getName().equals("notify org.onboarded")),
                s -> s != null);
    assertThat(notification.getParentSpanId()).isEqualTo(jobSpan.getSpanId());
  }

  @Test
  void onboardingOverTheApi_withATraceparentHeader_runsItsJobInTheRequestsTrace() {
    String org = "traced_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    TraceContext caller = TraceContext.newTrace();

    String jobId =
        AdminRequests.admin()
            .contentType(ContentType.JSON)
            .header("traceparent", caller.traceparent())
            .body(MalformedCommands.json(MalformedCommands.onboardData(org)))
            .post("/api/v1/orgs")
            .then()
            .statusCode(202)
            .extract()
            .path("job_id");

    SpanData jobSpan =
        await()
            .atMost(DEADLINE)
            .until(() -> one(caller, s -> s.getName().startsWith("job ")), s -> s != null);
    assertThat(jobSpan.getAttributes().get(OpenTelemetryTracing.JOB)).isEqualTo(jobId);
    SpanData request = one(caller, s -> s.getSpanId().equals(jobSpan.getParentSpanId()));
    assertThat(request).as("the job's parent is the request's server span").isNotNull();
    assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(request.getParentSpanId()).isEqualTo(caller.spanId());
    AdminRequests.admin()
        .get("/api/v1/jobs/" + jobId)
        .then()
        .statusCode(200)
        .body("trace_id", equalTo(caller.traceId()));
  }

  private SpanData one(TraceContext trace, Predicate<SpanData> which) {
    List<SpanData> found = spans.ofTrace(trace.traceId()).stream().filter(which).toList();
    assertThat(found).hasSizeLessThanOrEqualTo(1);
    return found.isEmpty() ? null : found.get(0);
  }
}
