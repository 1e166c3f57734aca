package dev.orgprovisioner.testing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * In {@code @QuarkusTest}s finished spans are kept in memory (Quarkus' SDK exports to every
 * SpanExporter bean; the test profile switches OTLP off and exports each span as it ends).
 */
@Singleton
public class InMemorySpans {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

  @Produces
  @Singleton
  InMemorySpanExporter exporter() {
    return exporter;
  }

  /** The finished spans of one trace. */
  public List<SpanData> ofTrace(String traceId) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getTraceId().equals(traceId))
        .toList();
  }
}
