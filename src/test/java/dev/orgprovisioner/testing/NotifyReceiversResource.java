package dev.orgprovisioner.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Real receivers for notification tests: a GreenMail SMTP server (quarkus-mailer sends to it, mock
 * mailer off) and a local HTTP server as the operations Slack and webhook endpoints.
 */
public class NotifyReceiversResource implements QuarkusTestResourceLifecycleManager {

  public static final String OPS_SECRET = "ops-signing-secret-for-tests";
  public static final String OPS_HOOK = "/ops-hook";
  public static final String OPS_SLACK = "/ops-slack";

  private static GreenMail smtp;
  private static HttpReceiver http;

  public static GreenMail smtp() {
    return smtp;
  }

  public static HttpReceiver http() {
    return http;
  }

  @Override
  public Map<String, String> start() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    http = new HttpReceiver();
    return Map.ofEntries(
        Map.entry("quarkus.mailer.mock", "false"),
        Map.entry("quarkus.mailer.host", "127.0.0.1"),
        Map.entry("quarkus.mailer.port", Integer.toString(smtp.getSmtp().getPort())),
        Map.entry("quarkus.mailer.start-tls", "DISABLED"),
        Map.entry("quarkus.mailer.tls", "false"),
        Map.entry("notify.from", "provisioner@test.example"),
        Map.entry("notify.ops.webhook-url", http.url(OPS_HOOK)),
        Map.entry("notify.ops.webhook-secret", OPS_SECRET),
        Map.entry("notify.ops.slack-webhook-url", http.url(OPS_SLACK)),
        Map.entry("notify.retry-initial-backoff", "50ms"),
        Map.entry("audit.drain-interval", "200ms"));
  }

  @Override
  public void stop() {
    if (smtp != null) {
      smtp.stop();
    }
    if (http != null) {
      http.close();
    }
  }
}
