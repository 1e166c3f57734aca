package dev.orgprovisioner.catalog;

import dev.orgprovisioner.catalog.DatasetSettings.Option;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * BigQuery's rules for dataset settings, checked wherever settings come from (catalog, onboarding
 * command, configuration) so that a bad value is refused where it is written, not by BigQuery.
 */
public final class DatasetSettingsRules {

  /** Labels BigQuery allows on one resource. */
  public static final int MAX_LABELS = 64;

  /** Labels the provisioner sets itself; settings may not set them. */
  public static final Set<String> RESERVED_LABELS = Set.of("managed-by", "schema-version", "org");

  private static final Duration MIN_TIME_TRAVEL = Duration.ofHours(48);
  private static final Duration MIN_TABLE_EXPIRATION = Duration.ofHours(1);
  private static final Pattern KMS_KEY =
      Pattern.compile("projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+");
  private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");

  private DatasetSettingsRules() {}

  /** One broken rule: the setting's key (as in the catalog and the command) and why. */
  public record Problem(String field, String message) {}

  /** Every broken rule; empty when the settings are valid. */
  public static List<Problem> check(DatasetSettings s) {
    List<Problem> out = new ArrayList<>();
    positive(Option.DEFAULT_TABLE_EXPIRATION, s.defaultTableExpiration(), out);
    Duration table = s.defaultTableExpiration();
    if (table != null
        && table.compareTo(Duration.ZERO) > 0
        && table.compareTo(MIN_TABLE_EXPIRATION) < 0) {
      out.add(
          new Problem(
              Option.DEFAULT_TABLE_EXPIRATION.key(),
              "must be at least one hour (BigQuery's minimum)"));
    }
    positive(Option.DEFAULT_PARTITION_EXPIRATION, s.defaultPartitionExpiration(), out);
    Duration travel = s.maxTimeTravel();
    if (travel != null
        && (travel.compareTo(MIN_TIME_TRAVEL) < 0
            || travel.compareTo(DatasetSettings.DEFAULT_MAX_TIME_TRAVEL) > 0
            || travel.toMillis() % Duration.ofDays(1).toMillis() != 0)) {
      out.add(
          new Problem(
              Option.MAX_TIME_TRAVEL.key(),
              "must be 48 to 168 hours in multiples of 24, is "
                  + Option.MAX_TIME_TRAVEL.text(travel)));
    }
    String key = s.defaultKmsKeyName();
    if (key != null && !KMS_KEY.matcher(key).matches()) {
      out.add(
          new Problem(
              Option.DEFAULT_KMS_KEY.key(),
              "must be a full key name projects/*/locations/*/keyRings/*/cryptoKeys/*"));
    }
    checkLabels(s.labels(), out);
    return out;
  }

  /** The problems as one line: {@code field: message; field: message}. */
  public static String describe(List<Problem> problems) {
    return String.join("; ", problems.stream().map(p -> p.field() + ": " + p.message()).toList());
  }

  private static void positive(Option option, Duration value, List<Problem> out) {
    if (value != null && (value.isZero() || value.isNegative())) {
      out.add(new Problem(option.key(), "must be a positive duration"));
    }
  }

  private static void checkLabels(Map<String, String> labels, List<Problem> out) {
    if (labels.size() > MAX_LABELS - RESERVED_LABELS.size()) {
      out.add(
          new Problem(
              DatasetSettings.LABELS,
              "at most "
                  + (MAX_LABELS - RESERVED_LABELS.size())
                  + " labels (BigQuery allows "
                  + MAX_LABELS
                  + ", the provisioner sets "
                  + RESERVED_LABELS.size()
                  + ")"));
    }
    labels.forEach(
        (k, v) -> {
          String field = DatasetSettings.LABELS + "." + k;
          if (RESERVED_LABELS.contains(k)) {
            out.add(new Problem(field, "is set by the provisioner and cannot be overridden"));
          } else if (!LABEL_KEY.matcher(k).matches()) {
            out.add(
                new Problem(
                    field,
                    "label key must start with a lowercase letter and have at most 63 of"
                        + " [a-z0-9_-]"));
          } else if (v == null || !LABEL_VALUE.matcher(v).matches()) {
            out.add(new Problem(field, "label value must have at most 63 of [a-z0-9_-]"));
          }
        });
  }
}
