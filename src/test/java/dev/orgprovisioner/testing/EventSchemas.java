package dev.orgprovisioner.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/** Validates event data against the published JSON Schemas in {@code schemas/messages/}. */
public final class EventSchemas {

  private static final ObjectMapper JSON = new ObjectMapper();

  private EventSchemas() {}

  /** The schema violations of {@code data} as an event of {@code type}; empty when valid. */
  public static String violations(String type, String data) {
    try {
      String schema = Files.readString(Path.of("schemas/messages", type + ".schema.json"));
      Set<ValidationMessage> errors =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
              .getSchema(schema)
              .validate(JSON.readTree(data));
      return errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("; "));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
