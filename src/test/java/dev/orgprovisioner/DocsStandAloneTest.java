package dev.orgprovisioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The repository's docs stand on their own: no pointer outside it, no dead relative link. */
class DocsStandAloneTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();

  /** Build output, VCS and IDE folders: not part of what a clone holds. */
  private static final Set<String> SKIPPED_DIRS =
      Set.of("target", ".git", ".idea", ".vscode", "node_modules");

  /**
   * Files the workspace outside the repository held; built from parts so this file does not match.
   */
  private static final List<String> OUTSIDE_REFERENCES =
      List.of(".." + "/shared", "ARCHITECTURE" + ".md", "PIT" + "FALLS");

  /**
   * Link targets written on another branch in parallel (the execution protocol). Remove an entry
   * once its file is merged; until then a link to it is not reported.
   */
  private static final Set<String> PENDING_TARGETS = Set.of();

  private static final Pattern FENCED_CODE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```[^\\n]*$");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)[^)]*\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");

  @Test
  void noFileInTheRepository_pointsAtTheWorkspaceOutsideIt() throws IOException {
    List<String> offending = new ArrayList<>();
    for (Path file : repositoryFiles()) {
      String text = textOf(file);
      if (text == null) {
        continue;
      }
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        for (String reference : OUTSIDE_REFERENCES) {
          if (lines[i].contains(reference)) {
            offending.add(ROOT.relativize(file) + ":" + (i + 1) + " mentions " + reference);
          }
        }
      }
    }

    assertThat(offending)
        .as("point at docs/architecture.md or docs/stack-facts.md instead")
        .isEmpty();
  }

  @Test
  void everyRelativeLinkInTheDocs_resolvesToAFileAndAnchor() throws IOException {
    List<Path> docs = markdownDocs();
    List<String> broken = new ArrayList<>();
    for (Path doc : docs) {
      for (String target : links(Files.readString(doc))) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue; // https:, mailto: …
        }
        String problem = check(doc, target);
        if (problem != null) {
          broken.add(ROOT.relativize(doc) + ": (" + target + ") " + problem);
        }
      }
    }

    assertThat(docs).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/architecture.md"));
    assertThat(broken).isEmpty();
  }

  @Test
  void architectureDoc_namesEveryCatalogRuleTheValidatorReports() throws IOException {
    String architecture = Files.readString(ROOT.resolve("docs/architecture.md"));

    List<String> missing =
        Arrays.stream(Violation.Rule.values())
            .map(rule -> "`" + rule.name() + "`")
            .filter(name -> !architecture.contains(name))
            .toList();

    assertThat(missing).as("catalog rules missing from docs/architecture.md §4").isEmpty();
  }

  @Test
  void anchors_areGitHubHeadingSlugsAndHtmlIds() {
    String doc = "## 4. The schema catalog (`schemas/`)\n## Notes\n## Notes\n<a id=\"x-1\"></a>\n";

    assertThat(anchors(doc))
        .containsExactlyInAnyOrder("4-the-schema-catalog-schemas", "notes", "notes-1", "x-1");
  }

  private static String check(Path doc, String target) throws IOException {
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
    if (!resolved.startsWith(ROOT)) {
      return "points outside the repository";
    }
    if (!Files.exists(resolved)) {
      return PENDING_TARGETS.contains(ROOT.relativize(resolved).toString().replace('\\', '/'))
          ? null
          : "no such file";
    }
    if (anchor == null || anchor.isEmpty() || !resolved.toString().endsWith(".md")) {
      return null;
    }
    return anchors(Files.readString(resolved)).contains(anchor) ? null : "no such anchor";
  }

  private static List<String> links(String markdown) {
    String prose = INLINE_CODE.matcher(FENCED_CODE.matcher(markdown).replaceAll("")).replaceAll("");
    List<String> out = new ArrayList<>();
    Matcher m = LINK.matcher(prose);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /**
   * GitHub's heading anchors (lower case, punctuation dropped, spaces as hyphens, -1 on repeats)
   * and explicit HTML anchors.
   */
  private static Set<String> anchors(String markdown) {
    Set<String> out = new HashSet<>();
    Matcher html = HTML_ANCHOR.matcher(markdown);
    while (html.find()) {
      out.add(html.group(1));
    }
    Map<String, Integer> seen = new HashMap<>();
    Matcher m = HEADING.matcher(FENCED_CODE.matcher(markdown).replaceAll(""));
    while (m.find()) {
      String slug =
          m.group(1)
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum) - 1;
      out.add(n == 0 ? slug : slug + "-" + n);
    }
    return out;
  }

  private static List<Path> markdownDocs() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    Path deploy = ROOT.resolve("deploy/README.md");
    if (Files.exists(deploy)) {
      docs.add(deploy);
    }
    return docs;
  }

  private static List<Path> repositoryFiles() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                for (Path part : ROOT.relativize(p)) {
                  if (SKIPPED_DIRS.contains(part.toString())) {
                    return false;
                  }
                }
                return true;
              })
          .sorted()
          .toList();
    }
  }

  /** The file's text, or null for a binary file. */
  private static String textOf(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    for (byte b : bytes) {
      if (b == 0) {
        return null;
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
