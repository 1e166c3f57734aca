package dev.orgprovisioner.command;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.regex.Pattern;

/**
 * Evaluates JSON Schema {@code pattern}s with ECMA-262 semantics (as a JavaScript frontend does) by
 * translating them to {@link java.util.regex}: {@code $} matches only at the very end, {@code .}
 * and {@code \s} use ECMA's line terminators and white space, {@code \b} is ASCII.
 */
public final class EcmaRegex implements RegularExpressionFactory {

  /** The factory to hand to the JSON Schema validator. */
  public static final EcmaRegex FACTORY = new EcmaRegex();

  // ECMA-262 LineTerminator: LF, CR, LS, PS (not NEL, which Java's '.' and '$' also treat so).
  private static final String LINE_TERMINATORS = "\\n\\r\\u2028\\u2029";
  // ECMA-262 WhiteSpace (TAB, VT, FF, ZWNBSP, any Zs incl. SP and NBSP) plus LineTerminator.
  private static final String WHITE_SPACE = "\\t\\x0B\\f\\uFEFF\\p{Zs}" + LINE_TERMINATORS;
  private static final String WORD = "[A-Za-z0-9_]";

  private EcmaRegex() {}

  @Override
  public RegularExpression getRegularExpression(String regex) {
    Pattern pattern = compile(regex);
    return value -> pattern.matcher(value).find();
  }

  /** The Java pattern that behaves like the ECMA-262 pattern {@code ecma} (no flags). */
  public static Pattern compile(String ecma) {
    return Pattern.compile(translate(ecma));
  }

  /** True when {@code ecma} finds a match in {@code value}, as JavaScript's RegExp#test would. */
  public static boolean test(Pattern compiled, String value) {
    return value != null && compiled.matcher(value).find();
  }

  static String translate(String ecma) {
    StringBuilder out = new StringBuilder(ecma.length() + 16);
    boolean inClass = false;
    for (int i = 0; i < ecma.length(); i++) {
      char c = ecma.charAt(i);
      if (c == '\\' && i + 1 < ecma.length()) {
        char next = ecma.charAt(++i);
        out.append(escape(next, inClass));
        continue;
      }
      if (inClass) {
        switch (c) {
          case ']' -> {
            inClass = false;
            out.append(']');
          }
          // Literal in ECMA classes; nesting and intersection in Java's.
          case '[' -> out.append("\\[");
          case '&' -> out.append("\\&");
          default -> out.append(c);
        }
        continue;
      }
      switch (c) {
        case '[' -> {
          if (ecma.startsWith("[^]", i)) {
            out.append("[\\s\\S]");
            i += 2;
          } else if (ecma.startsWith("[]", i)) {
            out.append("(?!)");
            i += 1;
          } else {
            inClass = true;
            out.append('[');
            if (i + 1 < ecma.length() && ecma.charAt(i + 1) == '^') {
              out.append('^');
              i++;
            }
            // A ']' first in an ECMA class closes it (empty class); handled above.
          }
        }
        case '.' -> out.append("[^").append(LINE_TERMINATORS).append(']');
        case '$' -> out.append("\\z");
        case '^' -> out.append("\\A");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String escape(char c, boolean inClass) {
    return switch (c) {
      case 's' -> inClass ? WHITE_SPACE : "[" + WHITE_SPACE + "]";
      case 'S' -> "[^" + WHITE_SPACE + "]";
      case 'b' ->
          inClass
              ? "\\x08"
              : "(?:(?<=" + WORD + ")(?!" + WORD + ")|(?<!" + WORD + ")(?=" + WORD + "))";
      case 'B' -> "(?:(?<=" + WORD + ")(?=" + WORD + ")|(?<!" + WORD + ")(?!" + WORD + "))";
      case 'd' -> "[0-9]";
      case 'D' -> "[^0-9]";
      case 'w' -> WORD;
      case 'W' -> "[^A-Za-z0-9_]";
      default -> "\\" + c;
    };
  }
}
