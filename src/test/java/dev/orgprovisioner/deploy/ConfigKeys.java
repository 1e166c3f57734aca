package dev.orgprovisioner.deploy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The worker's configuration keys, found from its {@code @ConfigMapping} interfaces (every one in
 * src/main/java) and its messaging channels, in the environment-variable form Cloud Run sets.
 */
final class ConfigKeys {

  /**
   * Keys another branch adds (admin API credential, shared decision): accepted until a mapping with
   * their prefix exists, then that mapping must declare them.
   */
  static final Map<String, String> PENDING = Map.of("admin.api-key-sha256", "admin");

  private final List<Class<?>> mappings;
  private final Map<String, String> envToKey = new LinkedHashMap<>();

  private ConfigKeys(List<Class<?>> mappings, Map<String, String> channelKeys) {
    this.mappings = mappings;
    for (Class<?> m : mappings) {
      String prefix = m.getAnnotation(ConfigMapping.class).prefix();
      for (String key : keysOf(m, prefix)) {
        envToKey.put(envForm(key), key);
      }
    }
    channelKeys.forEach(envToKey::put);
    Set<String> prefixes = new TreeSet<>();
    mappings.forEach(m -> prefixes.add(m.getAnnotation(ConfigMapping.class).prefix()));
    PENDING.forEach(
        (key, prefix) -> {
          if (!prefixes.contains(prefix)) {
            envToKey.put(envForm(key), key);
          }
        });
  }

  static ConfigKeys ofApplication() {
    List<Class<?>> mappings = new ArrayList<>();
    Path root = Path.of("src/main/java");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (Files.readString(file).contains("@ConfigMapping(")) {
          String name = root.relativize(file).toString().replace('/', '.');
          mappings.add(Class.forName(name.substring(0, name.length() - ".java".length())));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return new ConfigKeys(mappings, channelKeys());
  }

  /** MicroProfile Config's environment form: non-alphanumerics become '_', upper case. */
  static String envForm(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  boolean knows(String envName) {
    return envToKey.containsKey(envName);
  }

  Set<String> envNames() {
    return envToKey.keySet();
  }

  /**
   * Loads every mapping that one of the variables configures from those variables alone; fails when
   * a value does not convert (e.g. an unknown warehouse kind or a malformed duration).
   */
  void loadAll(Map<String, String> env) {
    for (Class<?> m : mappings) {
      String prefix = envForm(m.getAnnotation(ConfigMapping.class).prefix()) + "_";
      if (env.keySet().stream().noneMatch(k -> k.startsWith(prefix))) {
        continue;
      }
      DeploymentFilesTest.quarkusConverters(new SmallRyeConfigBuilder())
          .withSources(new EnvConfigSource(env, 300))
          .withMapping(m)
          .build()
          .getConfigMapping(m);
    }
  }

  /** Property names of a mapping: kebab-case method names, nested groups under their name. */
  static List<String> keysOf(Class<?> type, String prefix) {
    List<String> keys = new ArrayList<>();
    for (Method method : type.getMethods()) {
      if (method.getParameterCount() != 0
          || method.isDefault()
          || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      String key = prefix + "." + kebab(method.getName());
      Class<?> returned = method.getReturnType();
      if (returned.isInterface() && returned.getName().startsWith("dev.orgprovisioner.")) {
        keys.addAll(keysOf(returned, key));
      } else {
        keys.add(key);
      }
    }
    return keys;
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /**
   * {@code mp.messaging.<incoming|outgoing>.<channel>.<attribute>} for the channels of
   * application.properties and the attributes the Pub/Sub connector reads (ChannelSettings).
   */
  private static Map<String, String> channelKeys() {
    Set<String> channels = new TreeSet<>();
    Matcher m =
        Pattern.compile("(?m)^mp\\.messaging\\.(incoming|outgoing)\\.([\\w-]+)\\.connector=")
            .matcher(DeploymentFilesTest.applicationProperties());
    while (m.find()) {
      channels.add("mp.messaging." + m.group(1) + "." + m.group(2));
    }
    Map<String, String> out = new LinkedHashMap<>();
    try {
      Class<?> settings = Class.forName("dev.orgprovisioner.messaging.ChannelSettings");
      for (Field f : settings.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())
            && f.getType() == String.class
            && !f.getName().startsWith("DEFAULT_")) {
          f.setAccessible(true);
          String attribute = (String) f.get(null);
          for (String channel : channels) {
            String key = channel + "." + attribute;
            out.put(envForm(key), key);
          }
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
