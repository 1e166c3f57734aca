package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.ext.mail.MailMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The local run keeps mail in a mailbox it prints instead of sending it to SMTP on port 25. */
class LocalMailboxTest {

  @Test
  void theLocalProfile_usesTheMockMailer_andProductionDoesNot() throws IOException {
    assertThat(config("local").getOptionalValue("quarkus.mailer.mock", Boolean.class))
        .contains(true);
    assertThat(config("prod").getOptionalValue("quarkus.mailer.mock", Boolean.class)).isEmpty();
  }

  @Test
  void awaitMailTo_returnsTheMailOnceItArrives() throws InterruptedException {
    FakeMailbox mailbox = new FakeMailbox();
    new Thread(() -> mailbox.deliver(welcome())).start();

    Optional<Mail> mail =
        new LocalMailbox(mailbox).awaitMailTo("admin@demo-org.example", Duration.ofSeconds(10));

    assertThat(mail).isPresent();
    assertThat(mail.get().getSubject()).isEqualTo("Welcome: demo_org is ready");
  }

  @Test
  void awaitMailTo_givesUpAtTheDeadline_whenNoMailCame() throws InterruptedException {
    FakeMailbox mailbox = new FakeMailbox();
    mailbox.deliver(welcome());

    assertThat(
            new LocalMailbox(mailbox).awaitMailTo("someone@else.example", Duration.ofMillis(200)))
        .isEmpty();
  }

  @Test
  void format_showsTheHeadersAndTheBody_asTheRecipientReadsThem() {
    String text = LocalMailbox.format(welcome());

    assertThat(text)
        .startsWith("From: org-provisioner@localhost\nTo: admin@demo-org.example\n")
        .contains("Subject: Welcome: demo_org is ready\n")
        .contains("X-Event-Id: ev-1\n")
        .endsWith("\n\nYour dataset is ready.");
  }

  private static Mail welcome() {
    return new Mail()
        .setFrom("org-provisioner@localhost")
        .setTo(List.of("admin@demo-org.example"))
        .setSubject("Welcome: demo_org is ready")
        .setText("Your dataset is ready.")
        .addHeader("X-Event-Id", "ev-1");
  }

  private static SmallRyeConfig config(String profile) throws IOException {
    return new SmallRyeConfigBuilder()
        .withProfile(profile)
        .withSources(
            new PropertiesConfigSource(
                LocalMailboxTest.class.getClassLoader().getResource("application.properties")))
        .build();
  }

  /** A mock mailbox the test fills. */
  private static final class FakeMailbox implements MockMailbox {
    private final Map<String, List<Mail>> sent = new ConcurrentHashMap<>();

    void deliver(Mail mail) {
      mail.getTo()
          .forEach(to -> sent.computeIfAbsent(to, k -> new CopyOnWriteArrayList<>()).add(mail));
    }

    @Override
    public List<Mail> getMessagesSentTo(String address) {
      return getMailsSentTo(address);
    }

    @Override
    public List<Mail> getMailsSentTo(String address) {
      return sent.getOrDefault(address, List.of());
    }

    @Override
    public List<MailMessage> getMailMessagesSentTo(String address) {
      return List.of();
    }

    @Override
    public void clear() {
      sent.clear();
    }

    @Override
    public int getTotalMessagesSent() {
      return sent.values().stream().mapToInt(List::size).sum();
    }
  }
}
