package dev.orgprovisioner.app;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The local run's mailbox: mails the mock mailer kept, shown as their recipient would read them.
 */
final class LocalMailbox {

  private static final Duration POLL = Duration.ofMillis(100);

  private final MockMailbox mailbox;

  LocalMailbox(MockMailbox mailbox) {
    this.mailbox = mailbox;
  }

  /** The first mail sent to {@code address}, waiting for it up to {@code timeout}. */
  Optional<Mail> awaitMailTo(String address, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Mail> mails = mailbox.getMailsSentTo(address);
      if (!mails.isEmpty()) {
        return Optional.of(mails.get(0));
      }
      if (System.nanoTime() - deadline >= 0) {
        return Optional.empty();
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The mail as text: its headers, a blank line, its body. */
  static String format(Mail mail) {
    StringBuilder out = new StringBuilder();
    out.append("From: ").append(mail.getFrom()).append('\n');
    out.append("To: ").append(String.join(", ", mail.getTo())).append('\n');
    if (!mail.getCc().isEmpty()) {
      out.append("Cc: ").append(String.join(", ", mail.getCc())).append('\n');
    }
    out.append("Subject: ").append(mail.getSubject()).append('\n');
    mail.getHeaders()
        .forEach(
            (name, values) ->
                out.append(name).append(": ").append(String.join(", ", values)).append('\n'));
    out.append('\n').append(mail.getText() == null ? "" : mail.getText());
    return out.toString();
  }
}
