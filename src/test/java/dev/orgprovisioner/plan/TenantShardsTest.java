package dev.orgprovisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantShardsTest {

  @Test
  void anOrgsShard_isStable_andWithinTheCount() {
    TenantShards shards = new TenantShards("organizations", 40);

    // A fixed value (SHA-256("acme") begins 822b33ad): a changed hash would move every org.
    assertThat(shards.shardOf("acme")).isEqualTo(37);
    assertThat(shards.shardDatasetOf("acme"))
        .isEqualTo("organizations_shard_" + shards.shardOf("acme"));
    for (int i = 0; i < 1_000; i++) {
      assertThat(shards.shardOf("org_" + i)).isBetween(0, 39);
    }
  }

  @Test
  void theHash_isSha256OfTheSlug_notJavasStringHash() {
    long head = Long.parseLong(sha256Head("acme"), 16);

    assertThat(new TenantShards("organizations", 40).shardOf("acme")).isEqualTo((int) (head % 40));
  }

  @Test
  void orgsSpreadOverEveryShard() {
    TenantShards shards = new TenantShards("organizations", 40);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      counts.merge(shards.shardOf(String.format("org_%06d", i)), 1, Integer::sum);
    }

    assertThat(counts).hasSize(40);
    // 2,500 on average; no shard near the bound of its access list.
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(2_200, 2_800));
    assertThat(shards.capacity()).isEqualTo(100_000);
  }

  @Test
  void aShardCountOutsideOneToTheListBound_isRefused_namingTheBound() {
    assertThatThrownBy(() -> new TenantShards("organizations", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 2500");
    assertThatThrownBy(() -> new TenantShards("organizations", 2_501))
        .hasMessageContaining("1 to 2500");
  }

  private static String sha256Head(String s) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
