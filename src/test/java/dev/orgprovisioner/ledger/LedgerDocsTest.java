package dev.orgprovisioner.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.testing.Envelopes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job's document keeps its trace; documents from before jobs had one still decode. */
class LedgerDocsTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private static Job job(TraceContext trace) {
    return Job.accepted("job-1", Envelopes.onboard("acme", "cmd-1").withTrace(trace), "key", NOW);
  }

  @Test
  void jobsTrace_survivesItsDocument() {
    TraceContext trace =
        new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "a=b");

    Job read = LedgerDocs.toJob("job-1", LedgerDocs.jobDoc(job(trace)));

    assertThat(read.trace()).isEqualTo(trace);
    assertThat(read).isEqualTo(job(trace));
  }

  @Test
  void documentWithoutTrace_decodesAsAJobWithoutOne() {
    Map<String, Object> old = new HashMap<>(LedgerDocs.jobDoc(job(null)));

    assertThat(old).doesNotContainKeys(LedgerDocs.TRACE_PARENT, LedgerDocs.TRACE_STATE);
    assertThat(LedgerDocs.toJob("job-1", old).trace()).isNull();
  }

  @Test
  void documentWithABrokenTrace_decodesAsAJobWithoutOne() {
    Map<String, Object> doc = new HashMap<>(LedgerDocs.jobDoc(job(null)));
    doc.put(LedgerDocs.TRACE_PARENT, "broken");

    assertThat(LedgerDocs.toJob("job-1", doc).trace()).isNull();
  }
}
