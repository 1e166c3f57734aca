package dev.orgprovisioner.warehouse.duckdb;

import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Maps BigQuery column types to DuckDB types and back. RECORD becomes STRUCT, REPEATED a LIST,
 * GEOGRAPHY text; types DuckDB cannot tell apart (GEOGRAPHY vs STRING) are resolved from the stored
 * metadata by the adapter.
 */
final class DuckDbTypes {

  private DuckDbTypes() {}

  /** The DuckDB type of a column, including LIST for REPEATED (NOT NULL is added separately). */
  static String ddlType(Column c) {
    String base =
        c.type() == FieldType.STRUCT
            ? "STRUCT("
                + c.fields().stream()
                    .map(f -> quote(f.name()) + " " + ddlType(f))
                    .collect(Collectors.joining(", "))
                + ")"
            : scalar(c.type());
    return c.mode() == FieldMode.REPEATED ? base + "[]" : base;
  }

  static String scalar(FieldType type) {
    return switch (type) {
      case STRING, GEOGRAPHY -> "VARCHAR";
      case BYTES -> "BLOB";
      case INT64 -> "BIGINT";
      case FLOAT64 -> "DOUBLE";
      case NUMERIC -> "DECIMAL(38,9)";
      // DuckDB decimals stop at 38 digits; a different scale keeps it distinguishable from NUMERIC.
      case BIGNUMERIC -> "DECIMAL(38,18)";
      case BOOL -> "BOOLEAN";
      case DATE -> "DATE";
      case DATETIME -> "TIMESTAMP";
      case TIME -> "TIME";
      case TIMESTAMP -> "TIMESTAMP WITH TIME ZONE";
      case JSON -> "JSON";
      case STRUCT -> throw new IllegalArgumentException("STRUCT is not scalar");
    };
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** A parsed DuckDB type: a scalar name, or a struct with fields, possibly a list of either. */
  record Parsed(String scalar, List<ParsedField> fields, boolean list) {}

  /** A named field of a parsed struct. */
  record ParsedField(String name, Parsed type) {}

  /** Parses a type as DuckDB prints it, e.g. {@code STRUCT("a" VARCHAR, b BIGINT[])[]}. */
  static Parsed parse(String text) {
    Parser p = new Parser(text);
    Parsed parsed = p.type();
    return parsed;
  }

  /**
   * Turns a parsed DuckDB type into a BigQuery-model column (description and nested modes unknown).
   */
  static Column toColumn(String name, Parsed t, boolean notNull) {
    FieldMode mode =
        t.list() ? FieldMode.REPEATED : notNull ? FieldMode.REQUIRED : FieldMode.NULLABLE;
    if (t.fields() != null) {
      List<Column> fields = new ArrayList<>();
      for (ParsedField f : t.fields()) {
        fields.add(toColumn(f.name(), f.type(), false));
      }
      return new Column(name, FieldType.STRUCT, mode, null, fields);
    }
    return new Column(name, fromScalar(t.scalar()), mode, null, List.of());
  }

  static FieldType fromScalar(String scalar) {
    String s = scalar.toUpperCase(Locale.ROOT).replace(" ", "");
    if (s.startsWith("DECIMAL") || s.startsWith("NUMERIC")) {
      return s.equals("DECIMAL(38,18)") ? FieldType.BIGNUMERIC : FieldType.NUMERIC;
    }
    return switch (s) {
      case "VARCHAR", "TEXT", "STRING", "UUID" -> FieldType.STRING;
      case "BLOB", "BYTEA" -> FieldType.BYTES;
      case "BIGINT",
          "INTEGER",
          "SMALLINT",
          "TINYINT",
          "HUGEINT",
          "UBIGINT",
          "UINTEGER",
          "USMALLINT",
          "UTINYINT",
          "INT8",
          "INT4" ->
          FieldType.INT64;
      case "DOUBLE", "FLOAT", "REAL" -> FieldType.FLOAT64;
      case "BOOLEAN", "BOOL" -> FieldType.BOOL;
      case "DATE" -> FieldType.DATE;
      case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" -> FieldType.DATETIME;
      case "TIME" -> FieldType.TIME;
      case "TIMESTAMPWITHTIMEZONE", "TIMESTAMPTZ" -> FieldType.TIMESTAMP;
      case "JSON" -> FieldType.JSON;
      default -> FieldType.STRING;
    };
  }

  /** Whether a declared BigQuery type is stored as this DuckDB scalar. */
  static boolean storedAs(FieldType declared, String scalar) {
    if (declared == FieldType.STRUCT) {
      return false;
    }
    return scalar(declared).replace(" ", "").equalsIgnoreCase(scalar.replace(" ", ""));
  }

  /** A small recursive-descent parser for DuckDB type strings. */
  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s.trim();
    }

    Parsed type() {
      skipSpaces();
      Parsed base;
      if (peekWord("STRUCT")) {
        i += "STRUCT".length();
        skipSpaces();
        expect('(');
        List<ParsedField> fields = new ArrayList<>();
        while (true) {
          skipSpaces();
          String name = identifier();
          Parsed fieldType = type();
          fields.add(new ParsedField(name, fieldType));
          skipSpaces();
          if (peek() == ',') {
            i++;
            continue;
          }
          expect(')');
          break;
        }
        base = new Parsed(null, fields, false);
      } else {
        int start = i;
        int depth = 0;
        while (i < s.length()) {
          char c = s.charAt(i);
          if (c == '(') {
            depth++;
          } else if (c == ')') {
            if (depth == 0) {
              break;
            }
            depth--;
          } else if ((c == ',' || c == '[') && depth == 0) {
            break;
          }
          i++;
        }
        base = new Parsed(s.substring(start, i).trim(), null, false);
      }
      skipSpaces();
      if (s.startsWith("[]", i)) {
        i += 2;
        if (base.list()) {
          throw new IllegalArgumentException("nested lists have no BigQuery equivalent: " + s);
        }
        base = new Parsed(base.scalar(), base.fields(), true);
      }
      return base;
    }

    private String identifier() {
      if (peek() == '"') {
        StringBuilder out = new StringBuilder();
        i++;
        while (i < s.length()) {
          char c = s.charAt(i++);
          if (c == '"') {
            if (peek() == '"') {
              out.append('"');
              i++;
              continue;
            }
            break;
          }
          out.append(c);
        }
        return out.toString();
      }
      int start = i;
      while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      return s.substring(start, i);
    }

    private boolean peekWord(String word) {
      return s.regionMatches(true, i, word, 0, word.length())
          && (i + word.length() == s.length()
              || !Character.isLetterOrDigit(s.charAt(i + word.length())));
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : '\0';
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("cannot parse DuckDB type '" + s + "' at " + i);
      }
      i++;
    }

    private void skipSpaces() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
