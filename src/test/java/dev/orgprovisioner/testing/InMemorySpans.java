package dev.orgprovisioner.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * In {@code @QuarkusTest}s finished spans are kept in memory (Quarkus' SDK exports to every
 * SpanExporter bean; the test profile switches OTLP off and exports each span as it ends). Only the
 * newest spans are kept, so a whole suite's jobs cannot fill the test JVM's heap.
 */
@Singleton
public class InMemorySpans implements SpanExporter {

  private static final int KEPT = 20_000;

  private final Deque<SpanData> spans = new ArrayDeque<>();

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> finished) {
    for (SpanData span : finished) {
      if (spans.size() == KEPT) {
        spans.removeFirst();
      }
      spans.addLast(span);
    }
    return CompletableResultCode.ofSuccess();
  }

  /** The finished spans of one trace, in the order they ended. */
  public synchronized List<SpanData> ofTrace(String traceId) {
    return spans.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
