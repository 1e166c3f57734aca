package dev.orgprovisioner.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Terraform configuration in {@code deploy/terraform}, parsed with hcl4j (no terraform binary
 * is needed): variables resolve to their defaults, references to other resources stay as text
 * ({@code google_pubsub_topic.dlq.id}) and are resolved by {@link #resolve}.
 */
final class Terraform {

  static final Path DIR = Path.of("deploy", "terraform");

  /** Values for the variables that have no default, as a tfvars file would give them. */
  static final Map<String, Object> REQUIRED_VARIABLES =
      Map.of("project_id", "example-project", "environment", "prod", "image_tag", "abc123");

  private final Map<String, Object> root;

  private Terraform(Map<String, Object> root) {
    this.root = root;
  }

  static Terraform load() {
    StringBuilder all = new StringBuilder();
    // Variables first: hcl4j resolves var.* only after it has seen their declarations.
    try (Stream<Path> files = Files.list(DIR)) {
      List<Path> tf =
          files
              .filter(p -> p.toString().endsWith(".tf"))
              .sorted(
                  (a, b) ->
                      a.getFileName().toString().equals("variables.tf")
                          ? -1
                          : b.getFileName().toString().equals("variables.tf") ? 1 : a.compareTo(b))
              .toList();
      for (Path p : tf) {
        all.append(Files.readString(p)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HCLParser parser = new HCLParser();
    parser.setVariables(new HashMap<>(REQUIRED_VARIABLES));
    // hcl4j prints its parser's decisions to standard out; keep the test output readable.
    PrintStream out = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream()));
    try {
      return new Terraform(plain(parser.parse(all.toString())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("deploy/terraform does not parse: " + e.getMessage(), e);
    } finally {
      System.setOut(out);
    }
  }

  /**
   * Maps, lists, strings, numbers and booleans as they are; anything else hcl4j leaves unevaluated
   * (a reference such as {@code google_pubsub_topic.dlq.id}) as its text.
   */
  @SuppressWarnings("unchecked")
  private static <T> T plain(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return (T) out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(plain(v)));
      return (T) out;
    }
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return (T) value;
    }
    return (T) value.toString();
  }

  /** All resources of one type, by name. */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> resources(String type) {
    Map<String, Object> resources = (Map<String, Object>) root.getOrDefault("resource", Map.of());
    return (Map<String, Map<String, Object>>) resources.getOrDefault(type, Map.of());
  }

  /** One resource; fails naming it when it is missing. */
  Map<String, Object> resource(String type, String name) {
    Map<String, Object> r = resources(type).get(name);
    if (r == null) {
      throw new AssertionError("deploy/terraform has no resource " + type + "." + name);
    }
    return r;
  }

  /** The resource of a type whose {@code name} (or another key attribute) equals a value. */
  Optional<Map.Entry<String, Map<String, Object>>> resourceWhere(
      String type, String attribute, Object value) {
    return resources(type).entrySet().stream()
        .filter(e -> value.equals(e.getValue().get(attribute)))
        .findFirst();
  }

  /** A variable's default (null when it has none). */
  @SuppressWarnings("unchecked")
  Object variableDefault(String name) {
    Map<String, Object> variables = (Map<String, Object>) root.getOrDefault("variable", Map.of());
    Map<String, Object> v = (Map<String, Object>) variables.get(name);
    if (v == null) {
      throw new AssertionError("deploy/terraform has no variable " + name);
    }
    return v.get("default");
  }

  /**
   * A value with references to resources resolved one level: {@code google_pubsub_topic.dlq.name}
   * (and {@code .id}, which Terraform fills with the full name ending in it) becomes that
   * resource's {@code name}; other attributes are looked up on the resource; anything else is
   * returned as it is.
   */
  Object resolve(Object value) {
    if (!(value instanceof String s) || !s.startsWith("google_")) {
      return value;
    }
    String[] parts = s.split("\\.");
    if (parts.length != 3 || !resources(parts[0]).containsKey(parts[1])) {
      return value;
    }
    Map<String, Object> target = resources(parts[0]).get(parts[1]);
    String attribute = parts[2].equals("id") ? "name" : parts[2];
    if (parts[0].equals("google_secret_manager_secret") && parts[2].equals("secret_id")) {
      attribute = "secret_id";
    }
    return target.containsKey(attribute) ? target.get(attribute) : value;
  }

  /**
   * A nested block or attribute, e.g. {@code get(sub, "dead_letter_policy",
   * "max_delivery_attempts")}.
   */
  @SuppressWarnings("unchecked")
  static Object get(Map<String, Object> block, String... path) {
    Object current = block;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
        throw new AssertionError("missing " + String.join(".", path) + " in " + block);
      }
      current = ((Map<String, Object>) map).get(key);
    }
    return current;
  }

  /** A repeated block (hcl4j gives one block as a map and several as a list of maps). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> blocks(Object value) {
    if (value instanceof List<?> list) {
      return (List<Map<String, Object>>) list;
    }
    List<Map<String, Object>> one = new ArrayList<>();
    if (value instanceof Map<?, ?>) {
      one.add((Map<String, Object>) value);
    }
    return one;
  }

  /** A number as Terraform means it (hcl4j parses numbers as doubles). */
  static int integer(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    throw new AssertionError("not a number: " + value);
  }

  /** Seconds of a Terraform duration such as {@code "60s"} or {@code "604800s"}. */
  static long seconds(Object duration) {
    String s = String.valueOf(duration);
    if (!s.matches("\\d+(\\.\\d+)?s")) {
      throw new AssertionError("not a duration in seconds: " + s);
    }
    return (long) Double.parseDouble(s.substring(0, s.length() - 1));
  }
}
