package dev.orgprovisioner.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CloudEvents distributed-tracing extension as message attributes. */
class TraceContextTest {

  private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void ceTraceparent_isReadWithItsTracestate() {
    TraceContext trace =
        TraceContext.from(Map.of("ce-traceparent", PARENT, "ce-tracestate", "congo=t61rcWkgMzE"))
            .orElseThrow();

    assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(trace.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(trace.attributes())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("ce-traceparent", PARENT, "ce-tracestate", "congo=t61rcWkgMzE"));
  }

  @Test
  void bareW3cTraceparent_isReadToo_butTheCloudEventsOneWins() {
    String other = "00-11111111111111111111111111111111-2222222222222222-01";

    assertThat(TraceContext.from(Map.of("traceparent", PARENT)).orElseThrow().traceparent())
        .isEqualTo(PARENT);
    assertThat(
            TraceContext.from(Map.of("traceparent", other, "ce-traceparent", PARENT))
                .orElseThrow()
                .traceparent())
        .isEqualTo(PARENT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"
      })
  void malformedTraceparent_isNoContext_neverAnError(String value) {
    assertThat(TraceContext.from(Map.of("ce-traceparent", value))).isEmpty();
    assertThatThrownBy(() -> new TraceContext(value, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noTraceparent_isNoContext() {
    assertThat(TraceContext.from(Map.of("ce-tracestate", "a=b"))).isEmpty();
    assertThat(TraceContext.from(null)).isEmpty();
  }

  @Test
  void laterVersion_mayCarryMoreFields() {
    assertThat(
            TraceContext.from(
                Map.of("ce-traceparent", "01" + PARENT.substring(2) + "-what-comes-next")))
        .isPresent();
  }

  @Test
  void newTrace_isSampledValidAndNew() {
    TraceContext a = TraceContext.newTrace();
    TraceContext b = TraceContext.newTrace();

    assertThat(TraceContext.from(a.attributes())).contains(a);
    assertThat(a.traceparent()).endsWith("-01");
    assertThat(a.traceId()).isNotEqualTo(b.traceId());
  }

  @Test
  void oversizedTracestate_isDropped_keepingTheParent() {
    TraceContext trace = new TraceContext(PARENT, "k=" + "v".repeat(600));

    assertThat(trace.tracestate()).isNull();
    assertThat(trace.attributes()).containsOnlyKeys("ce-traceparent");
  }
}
