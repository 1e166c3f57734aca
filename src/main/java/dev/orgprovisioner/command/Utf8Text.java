package dev.orgprovisioner.command;

import java.nio.charset.StandardCharsets;

/** Cuts text to a budget of UTF-8 bytes without splitting a code point, visibly. */
public final class Utf8Text {

  /** Appended to any text that was cut. */
  public static final String TRUNCATED = "…[truncated]";

  private static final int MARK_BYTES = bytes(TRUNCATED);

  private Utf8Text() {}

  /** UTF-8 length of {@code text}. */
  public static int bytes(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * {@code text} if it fits in {@code maxBytes}, else its longest prefix that fits together with
   * {@link #TRUNCATED}, which it then ends with.
   */
  public static String truncate(String text, int maxBytes) {
    if (text == null || bytes(text) <= maxBytes) {
      return text;
    }
    if (maxBytes < MARK_BYTES) {
      return prefix(text, maxBytes);
    }
    return prefix(text, maxBytes - MARK_BYTES) + TRUNCATED;
  }

  /** The longest prefix of whole code points whose UTF-8 form fits in {@code maxBytes}. */
  public static String prefix(String text, int maxBytes) {
    int used = 0;
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (Character.isSurrogate((char) cp)) {
        size = 3; // a lone surrogate is encoded as '?' by Java; count it as the worst case
      }
      if (used + size > maxBytes) {
        break;
      }
      used += size;
      i += Character.charCount(cp);
    }
    return text.substring(0, i);
  }
}
