package dev.orgprovisioner.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which shard dataset holds an org's views of the central data: a stable hash of the slug modulo a
 * shard count fixed at first deploy, so an org never moves.
 *
 * @param centralDataset the central dataset every shard reads from (and is authorized on)
 * @param count how many shard datasets there are: 1 to {@link #MAX_AUTHORIZED_PER_LIST}
 */
public record TenantShards(String centralDataset, int count) {

  /** BigQuery's bound on authorized views, datasets and routines in one access list. */
  public static final int MAX_AUTHORIZED_PER_LIST = 2_500;

  /** The shard count when configuration names none: 100,000 orgs fit in 40 shards of 2,500. */
  public static final int DEFAULT_COUNT = 40;

  public TenantShards {
    if (centralDataset == null || centralDataset.isBlank()) {
      throw new IllegalArgumentException("the central dataset of the shards is not named");
    }
    if (count < 1 || count > MAX_AUTHORIZED_PER_LIST) {
      throw new IllegalArgumentException(
          "the shard count must be 1 to "
              + MAX_AUTHORIZED_PER_LIST
              + " (each shard is an authorized dataset of "
              + centralDataset
              + "), not "
              + count);
    }
  }

  /** The org's shard, 0 to count - 1: the first four bytes of SHA-256 of the slug, modulo count. */
  public int shardOf(String orgSlug) {
    byte[] digest = sha256(orgSlug);
    long head =
        ((digest[0] & 0xFFL) << 24)
            | ((digest[1] & 0xFFL) << 16)
            | ((digest[2] & 0xFFL) << 8)
            | (digest[3] & 0xFFL);
    return (int) (head % count);
  }

  /** The dataset of shard {@code n}: {@code {central}_shard_{n}}. */
  public String shardDataset(int n) {
    if (n < 0 || n >= count) {
      throw new IllegalArgumentException("no shard " + n + " of " + count);
    }
    return centralDataset + "_shard_" + n;
  }

  /** The shard dataset holding the org's views. */
  public String shardDatasetOf(String orgSlug) {
    return shardDataset(shardOf(orgSlug));
  }

  /** The most orgs the shards can take: each shard's list authorizes at most 2,500 of them. */
  public long capacity() {
    return (long) count * MAX_AUTHORIZED_PER_LIST;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
