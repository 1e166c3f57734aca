package dev.orgprovisioner.notify;

import java.util.Map;

/** Writes the subject and text of a notification from an event, per event type. */
public final class MessageRenderer {

  private MessageRenderer() {}

  public static Message render(NotifyEvent event, String subjectPrefix) {
    String org = event.orgSlug().isEmpty() ? "the platform" : event.orgSlug();
    String subject;
    StringBuilder text = new StringBuilder();
    switch (event.type()) {
      case "org.onboarded" -> {
        subject = "Your workspace " + org + " is ready";
        text.append("The workspace of ")
            .append(org)
            .append(" is ready: dataset ")
            .append(event.text("dataset"))
            .append(" (status ")
            .append(event.text("status"))
            .append(").");
      }
      case "drift.detected" -> {
        subject = "Drift detected in " + org;
        text.append("The dataset ")
            .append(event.text("dataset"))
            .append(" of ")
            .append(org)
            .append(" differs from the catalog (")
            .append(event.text("status"))
            .append("); repair queued: ")
            .append(event.text("repair_queued"))
            .append(".");
        if (Boolean.FALSE.equals(event.data().get("confirmed"))) {
          text.append(
              " Unconfirmed: only the bulk metadata read shows it, and a fresh read of the"
                  + " dataset found it in sync (the bulk read can trail a change just made); not"
                  + " repaired.");
        }
        appendCount(text, "non-additive differences", event.data().get("non_additive"));
        appendCount(text, "additive differences", event.data().get("additive"));
      }
      default -> {
        if (event.type().endsWith(".failed")) {
          subject = "[FAILED] " + event.type() + " for " + org;
          text.append(event.type())
              .append(" for ")
              .append(org)
              .append(": ")
              .append(event.text("error_code"))
              .append(" ")
              .append(event.text("error"));
          if (event.data().get("attempts") != null) {
            text.append(" (after ").append(event.text("attempts")).append(" attempt(s))");
          }
        } else {
          subject = event.type() + " for " + org;
          text.append(event.type()).append(" for ").append(org).append(".");
        }
      }
    }
    text.append("\nEvent ").append(event.id());
    if (event.time() != null) {
      text.append(" at ").append(event.time());
    }
    String clean = Message.headerValue(subjectPrefix);
    String prefix = clean.isEmpty() ? "" : clean + " ";
    return new Message(prefix + subject, text.toString().strip());
  }

  private static void appendCount(StringBuilder text, String what, Object list) {
    if (list instanceof java.util.Collection<?> c && !c.isEmpty()) {
      text.append(" ").append(c.size()).append(" ").append(what).append(".");
    } else if (list instanceof Map<?, ?> m && !m.isEmpty()) {
      text.append(" ").append(m.size()).append(" ").append(what).append(".");
    }
  }
}
