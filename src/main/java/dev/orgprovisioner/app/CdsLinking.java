package dev.orgprovisioner.app;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Links every class the application's class loader has loaded, at the end of the {@code
 * cds-training} start: JDK 17 writes only linked classes into a dynamic archive, and about 1,600
 * classes a start loads are loaded but never linked during it (annotation and reflection look-ups,
 * interfaces of unused paths). Linked here, they come verified from the archive at the next start
 * instead of being read from their jars.
 */
final class CdsLinking {

  /** One line of {@code VM.class_hierarchy}: tree prefix, class name, "/" and its loader. */
  private static final Pattern LINE = Pattern.compile("^[|\\s-]*([\\w.$]+)/(\\S+)");

  private CdsLinking() {}

  /**
   * Links the loaded classes whose loader is not the boot loader (the JVM links those itself) and
   * returns how many it linked; a class that fails to link is left as it is.
   */
  static int linkLoadedClasses(ClassLoader loader) {
    int linked = 0;
    for (String name : loadedClassNames()) {
      try {
        // Reflecting on a class's constructors makes the JVM link (and verify) it first; unlike
        // initialisation, linking runs none of the class's code.
        Class.forName(name, false, loader).getDeclaredConstructors();
        linked++;
      } catch (LinkageError | ClassNotFoundException | SecurityException e) {
        // Not loadable through this loader, or fails verification: the JVM skips it when dumping.
      }
    }
    return linked;
  }

  private static List<String> loadedClassNames() {
    try {
      return classNames(
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      new ObjectName("com.sun.management:type=DiagnosticCommand"),
                      "vmClassHierarchy",
                      new Object[] {null},
                      new String[] {String[].class.getName()}));
    } catch (JMException e) {
      throw new IllegalStateException("VM.class_hierarchy not available", e);
    }
  }

  /**
   * The names in a {@code VM.class_hierarchy} listing of the classes not loaded by the boot loader
   * (shown as {@code /null}), without hidden classes, which JDK 17 cannot archive for a custom
   * loader.
   */
  static List<String> classNames(String hierarchy) {
    List<String> names = new ArrayList<>();
    for (String line : hierarchy.split("\n")) {
      Matcher m = LINE.matcher(line);
      // A hidden class shows its own address before its loader's: name/0x.../0x....
      if (m.find() && !m.group(2).startsWith("null") && !m.group(2).contains("/")) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
