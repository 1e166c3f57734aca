package dev.orgprovisioner.app;

import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.port.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tracing port on OpenTelemetry (Quarkus' SDK; off unless {@code quarkus.otel.sdk.disabled} is
 * false, when it only passes contexts on). Contexts travel as W3C trace context whatever the
 * configured propagators, since the CloudEvents extension is defined on it.
 */
@Singleton
public class OpenTelemetryTracing implements Tracing {

  /** The org a span concerns. */
  public static final AttributeKey<String> ORG = AttributeKey.stringKey("org.slug");

  /** The job a span belongs to. */
  public static final AttributeKey<String> JOB = AttributeKey.stringKey("job.id");

  public static final AttributeKey<String> DATASET = AttributeKey.stringKey("warehouse.dataset");

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<TraceContext> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
          return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(TraceContext carrier, String key) {
          if (carrier == null) {
            return null;
          }
          return "traceparent".equals(key) ? carrier.traceparent() : carrier.tracestate();
        }
      };

  private final Tracer tracer;

  public OpenTelemetryTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("org-provisioner");
  }

  @Override
  public Tracing.Span intake(TraceContext publisher, String messageId, String commandType) {
    io.opentelemetry.api.trace.Span span =
        tracer
            .spanBuilder("intake " + (commandType == null ? "command" : commandType))
            .setParent(parent(publisher))
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("messaging.system", "gcp_pubsub")
            .setAttribute("messaging.operation.type", "process")
            .setAttribute("messaging.message.id", messageId)
            .setAttribute("cloudevents.event_type", commandType)
            .startSpan();
    return new OtelSpan(span, null);
  }

  @Override
  public Tracing.Span job(Job job) {
    SpanBuilder builder =
        tracer
            .spanBuilder("job " + job.type().ceType())
            .setParent(parent(job.trace()))
            .setAttribute(JOB, job.id())
            .setAttribute("job.attempt", job.attempts())
            .setAttribute("cloudevents.event_id", job.commandId());
    if (job.orgSlug() != null) {
      builder.setAttribute(ORG, job.orgSlug());
    }
    return current(builder.startSpan());
  }

  @Override
  public Tracing.Span warehouseCall(
      String operation, String dataset, String orgSlug, String jobId) {
    SpanBuilder builder = tracer.spanBuilder("warehouse " + operation).setSpanKind(SpanKind.CLIENT);
    if (dataset != null) {
      builder.setAttribute(DATASET, dataset);
    }
    if (orgSlug != null) {
      builder.setAttribute(ORG, orgSlug);
    }
    if (jobId != null) {
      builder.setAttribute(JOB, jobId);
    }
    return current(builder.startSpan());
  }

  @Override
  public Tracing.Span notification(TraceContext event, String eventType, String eventId) {
    return current(
        tracer
            .spanBuilder("notify " + eventType)
            .setParent(parent(event))
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("cloudevents.event_type", eventType)
            .setAttribute("cloudevents.event_id", eventId)
            .startSpan());
  }

  @Override
  public TraceContext current() {
    return contextOf(Context.current());
  }

  private static Context parent(TraceContext trace) {
    // No context (or a malformed one, which TraceContext never holds): a new trace.
    return trace == null ? Context.root() : W3C.extract(Context.root(), trace, GETTER);
  }

  private static TraceContext contextOf(Context context) {
    Map<String, String> carrier = new HashMap<>();
    W3C.inject(context, carrier, Map::put);
    return TraceContext.from(carrier).orElse(null);
  }

  private static Tracing.Span current(io.opentelemetry.api.trace.Span span) {
    return new OtelSpan(span, span.makeCurrent());
  }

  /** An OpenTelemetry span behind the port; {@code scope} is set when it was made current. */
  private record OtelSpan(io.opentelemetry.api.trace.Span span, Scope scope)
      implements Tracing.Span {

    @Override
    public TraceContext context() {
      return contextOf(Context.root().with(span));
    }

    @Override
    public void failed(String reason) {
      span.setStatus(StatusCode.ERROR, reason);
    }

    @Override
    public void close() {
      if (scope != null) {
        scope.close();
      }
      span.end();
    }
  }
}
