package dev.orgprovisioner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.testing.ScriptedQuotaBuckets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitQuotaBucketsTest {

  private final Instant now = Instant.parse("2026-12-03T10:00:00Z");
  private final List<String> sharedTakes = new ArrayList<>();
  private final LocalQuotaBuckets inner = new LocalQuotaBuckets();
  private final QuotaBuckets shared =
      ScriptedQuotaBuckets.taking(
          (id, quota, timeScale, ask, clock) -> {
            sharedTakes.add(id);
            return inner.take(id, quota, timeScale, ask, clock);
          });

  @Test
  void requestsPerMethod_arePacedAtThisInstancesShare_withoutTheSharedStore() {
    SplitQuotaBuckets buckets = new SplitQuotaBuckets(shared, 3);

    QuotaBuckets.Grant grant = buckets.take("m", Quota.API_REQUESTS, 1.0, 100, () -> now);

    assertThat(grant.granted()).as("a third of 100 per window").isEqualTo(33);
    assertThat(buckets.take("m", Quota.API_REQUESTS, 1.0, 1, () -> now).granted()).isZero();
    assertThat(sharedTakes).isEmpty();
  }

  @Test
  void metadataAndTableInserts_goToTheSharedStore_whole() {
    SplitQuotaBuckets buckets = new SplitQuotaBuckets(shared, 3);

    QuotaBuckets.Grant inserts = buckets.take("u", Quota.TABLES_INSERT, 1.0, 10, () -> now);
    buckets.take("t", Quota.TABLE_METADATA, 1.0, 1, () -> now);

    assertThat(inserts.granted()).isEqualTo(10);
    assertThat(sharedTakes).containsExactly("u", "t");
  }

  @Test
  void noInstances_isRefused() {
    assertThatThrownBy(() -> new SplitQuotaBuckets(shared, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("instances must be at least 1");
    assertThatThrownBy(() -> new LocalQuotaBuckets(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share must be in (0, 1]");
  }
}
