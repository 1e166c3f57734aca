package dev.orgprovisioner.notify.mail;

import dev.orgprovisioner.notify.ChannelSender;
import dev.orgprovisioner.notify.ChannelType;
import dev.orgprovisioner.notify.Delivery;
import dev.orgprovisioner.notify.Message;
import dev.orgprovisioner.notify.SendResult;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.vertx.ext.mail.SMTPException;

/**
 * Sends e-mail through quarkus-mailer (SMTP). SMTP 5xx replies are permanent; 4xx replies,
 * connection failures and timeouts are transient.
 */
public final class MailerSender implements ChannelSender {

  private final Mailer mailer;
  private final String from;

  public MailerSender(Mailer mailer, String from) {
    this.mailer = mailer;
    this.from = from;
  }

  @Override
  public ChannelType type() {
    return ChannelType.EMAIL;
  }

  @Override
  public SendResult send(Delivery delivery) {
    Mail mail =
        new Mail()
            .setFrom(from)
            .setTo(delivery.recipients())
            .setCc(delivery.cc())
            .setSubject(delivery.message().subject())
            .setText(delivery.message().text())
            .addHeader("X-Event-Id", Message.headerValue(delivery.event().id()));
    try {
      mailer.send(mail);
      return SendResult.sent();
    } catch (RuntimeException e) {
      return classify(e);
    }
  }

  static SendResult classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SMTPException smtp) {
        String error = "SMTP " + smtp.getReplyCode() + " " + smtp.getReplyMessage();
        return smtp.isPermanent()
            ? new SendResult.Permanent(error)
            : new SendResult.Transient(error, null);
      }
    }
    return new SendResult.Transient(
        "SMTP unreachable: " + failure.getClass().getSimpleName() + " " + failure.getMessage(),
        null);
  }
}
