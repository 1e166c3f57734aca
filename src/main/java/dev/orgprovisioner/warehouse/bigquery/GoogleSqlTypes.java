package dev.orgprovisioner.warehouse.bigquery;

import dev.orgprovisioner.catalog.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses GoogleSQL types as INFORMATION_SCHEMA prints them in {@code data_type} columns. */
final class GoogleSqlTypes {

  private GoogleSqlTypes() {}

  /** A parsed GoogleSQL type: the element type when {@code repeated} (an ARRAY). */
  record ParsedType(FieldType type, boolean repeated, List<ParsedField> fields) {}

  record ParsedField(String name, ParsedType type, boolean notNull) {}

  /**
   * Parses a GoogleSQL type as INFORMATION_SCHEMA prints it, e.g. {@code ARRAY<STRUCT<sku STRING
   * NOT NULL, cost FLOAT64>>}, {@code STRING(10)}, {@code NUMERIC(10, 2)}.
   */
  static ParsedType parse(String dataType) {
    return dataType == null ? null : new TypeParser(dataType).type();
  }

  private static final class TypeParser {
    private final String s;
    private int i;

    TypeParser(String s) {
      this.s = s;
    }

    ParsedType type() {
      skipSpace();
      String word = word();
      String upper = word.toUpperCase(Locale.ROOT);
      if (upper.equals("ARRAY")) {
        expect('<');
        ParsedType element = type();
        expect('>');
        return new ParsedType(element.type(), true, element.fields());
      }
      if (upper.equals("STRUCT")) {
        expect('<');
        List<ParsedField> fields = new ArrayList<>();
        skipSpace();
        while (peek() != '>' && i < s.length()) {
          String name = name();
          ParsedType ft = type();
          boolean notNull = skipModifiers();
          fields.add(new ParsedField(name, ft, notNull));
          skipSpace();
          if (peek() == ',') {
            i++;
            skipSpace();
          }
        }
        expect('>');
        return new ParsedType(FieldType.STRUCT, false, fields);
      }
      skipSpace();
      if (peek() == '(') {
        skipBalanced('(', ')'); // STRING(10), NUMERIC(10, 2)
      }
      if (peek() == '<') {
        skipBalanced('<', '>'); // RANGE<DATE>
      }
      return new ParsedType(FieldType.parse(upper).orElse(null), false, null);
    }

    /** Skips NOT NULL, COLLATE '...', OPTIONS(...), DEFAULT ...; true when NOT NULL was seen. */
    private boolean skipModifiers() {
      boolean notNull = false;
      while (true) {
        skipSpace();
        char c = peek();
        if (c == ',' || c == '>' || c == 0) {
          return notNull;
        }
        if (c == '(') {
          skipBalanced('(', ')');
          continue;
        }
        if (c == '\'' || c == '"') {
          skipQuoted(c);
          continue;
        }
        String w = word().toUpperCase(Locale.ROOT);
        if (w.isEmpty()) {
          i++;
        } else if (w.equals("NOT")) {
          skipSpace();
          if (word().equalsIgnoreCase("NULL")) {
            notNull = true;
          }
        }
      }
    }

    private String name() {
      skipSpace();
      if (peek() == '`') {
        int end = s.indexOf('`', i + 1);
        String n = s.substring(i + 1, end);
        i = end + 1;
        return n;
      }
      return word();
    }

    private String word() {
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        i++;
      }
      return s.substring(start, i);
    }

    private void skipBalanced(char open, char close) {
      int depth = 0;
      do {
        char c = s.charAt(i++);
        if (c == open) {
          depth++;
        } else if (c == close) {
          depth--;
        }
      } while (depth > 0 && i < s.length());
    }

    private void skipQuoted(char q) {
      i++;
      while (i < s.length() && s.charAt(i) != q) {
        i += s.charAt(i) == '\\' ? 2 : 1;
      }
      i++;
    }

    private void expect(char c) {
      skipSpace();
      if (peek() != c) {
        throw new IllegalArgumentException("unexpected type syntax at " + i + " in " + s);
      }
      i++;
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : 0;
    }

    private void skipSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
