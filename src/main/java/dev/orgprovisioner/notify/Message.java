package dev.orgprovisioner.notify;

/** A rendered notification: subject line and plain-text body (no secrets). */
public record Message(String subject, String text) {

  /** The first {@code max} characters of the body, for the history's preview column. */
  public String preview(int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }
}
