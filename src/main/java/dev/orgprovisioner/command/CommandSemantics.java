package dev.orgprovisioner.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.DatasetSettingsJson;
import dev.orgprovisioner.catalog.DatasetSettingsRules;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What a command's JSON Schema cannot say: e-mails, currencies, time zones, settings, grants. */
final class CommandSemantics {

  // Deliberately simple: one @, a dot in the domain, no spaces or control characters.
  private static final Pattern EMAIL =
      Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$");
  // Both JDK calls copy their whole set on every call (a sixth of the intake's decoding time).
  private static final Set<String> CURRENCY_CODES =
      Currency.getAvailableCurrencies().stream()
          .map(Currency::getCurrencyCode)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
  private static final Set<String> ZONE_IDS = Set.copyOf(ZoneId.getAvailableZoneIds());

  private CommandSemantics() {}

  /** The first problem of a schema-valid command's data, or null when there is none. */
  static Rejection check(CommandType type, JsonNode json) {
    if (type == CommandType.SYNC) {
      return AccessGrantsJson.check(json.path("access"));
    }
    if (type == CommandType.ROLLOUT_START) {
      return RolloutJson.check(json);
    }
    if (type != CommandType.ONBOARD) {
      return null;
    }
    Rejection access = AccessGrantsJson.check(json.path("access"));
    if (access != null) {
      return access;
    }
    String email = json.path("admin_email").asText();
    if (!EMAIL.matcher(email).matches()) {
      return new Rejection(
          RejectionCode.INVALID_EMAIL,
          "data.admin_email",
          "data.admin_email is not an e-mail address");
    }
    String currency = json.path("default_currency").asText();
    if (!CURRENCY_CODES.contains(currency)) {
      return new Rejection(
          RejectionCode.INVALID_CURRENCY,
          "data.default_currency",
          "data.default_currency '" + currency + "' is not an ISO 4217 currency");
    }
    String zone = json.path("default_timezone").asText();
    if (!ZONE_IDS.contains(zone)) {
      return new Rejection(
          RejectionCode.UNKNOWN_TIMEZONE,
          "data.default_timezone",
          "data.default_timezone is not an IANA time zone (e.g. Europe/Berlin, UTC)");
    }
    return checkDatasetSettings(json.path(CommandDecoder.DATASET_SETTINGS));
  }

  /** The settings' shapes and BigQuery's rules, beyond what the schema says; null when valid. */
  private static Rejection checkDatasetSettings(JsonNode node) {
    List<DatasetSettingsRules.Problem> problems = new ArrayList<>();
    DatasetSettings settings =
        DatasetSettingsJson.read(
            node,
            (field, message) -> problems.add(new DatasetSettingsRules.Problem(field, message)));
    problems.addAll(DatasetSettingsRules.check(settings));
    if (problems.isEmpty()) {
      return null;
    }
    String field = "data." + CommandDecoder.DATASET_SETTINGS + "." + problems.get(0).field();
    return new Rejection(
        RejectionCode.INVALID_VALUE, field, field + " " + problems.get(0).message());
  }
}
