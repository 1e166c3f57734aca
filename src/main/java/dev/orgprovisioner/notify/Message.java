package dev.orgprovisioner.notify;

import java.util.regex.Pattern;

/**
 * A rendered notification: subject line and plain-text body (no secrets). The subject is a header
 * value, so it never carries a control character.
 */
public record Message(String subject, String text) {

  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]+");

  public Message {
    subject = headerValue(subject);
  }

  /**
   * {@code value} fit for a mail or HTTP header: every run of control characters (CR and LF among
   * them, which would start a header of their own) becomes one space.
   */
  public static String headerValue(String value) {
    return value == null ? "" : CONTROL.matcher(value).replaceAll(" ").strip();
  }

  /** The first {@code max} characters of the body, for the history's preview column. */
  public String preview(int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }
}
