package dev.orgprovisioner.notify.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orgprovisioner.notify.ChannelSender;
import dev.orgprovisioner.notify.ChannelType;
import dev.orgprovisioner.notify.Delivery;
import dev.orgprovisioner.notify.NotifyEvent;
import dev.orgprovisioner.notify.SendResult;
import dev.orgprovisioner.notify.WebhookSigner;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * POSTs the event as a structured-mode CloudEvent JSON, signed: {@code X-Timestamp} (epoch seconds)
 * and {@code X-Signature: sha256=HMAC(secret, timestamp + "." + body)}.
 */
public final class WebhookSender implements ChannelSender {

  public static final String EVENT_ID_HEADER = "X-Event-Id";
  public static final String EVENT_TYPE_HEADER = "X-Event-Type";
  public static final String TRACEPARENT_HEADER = "traceparent";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration timeout;
  private final Clock clock;

  public WebhookSender(HttpClient client, Duration timeout, Clock clock) {
    this.client = client;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public ChannelType type() {
    return ChannelType.WEBHOOK;
  }

  @Override
  public SendResult send(Delivery delivery) {
    byte[] body = body(delivery.event());
    long ts = clock.instant().getEpochSecond();
    List<String> headers =
        new ArrayList<>(
            List.of(
                WebhookSigner.TIMESTAMP_HEADER,
                Long.toString(ts),
                WebhookSigner.SIGNATURE_HEADER,
                WebhookSigner.sign(delivery.secret(), ts, body),
                EVENT_ID_HEADER,
                delivery.event().id(),
                EVENT_TYPE_HEADER,
                delivery.event().type()));
    if (delivery.event().traceparent() != null) {
      // W3C trace context over HTTP: the receiver's spans join the trace of the job that emitted
      // it.
      headers.addAll(List.of(TRACEPARENT_HEADER, delivery.event().traceparent()));
    }
    return HttpSenders.post(
        client, delivery.target(), body, timeout, clock, headers.toArray(String[]::new));
  }

  /** The event as structured-mode CloudEvents JSON. */
  static byte[] body(NotifyEvent event) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("specversion", "1.0")
            .put("id", event.id())
            .put("type", event.type())
            .put("source", event.source());
    if (!event.orgSlug().isEmpty()) {
      node.put("subject", event.orgSlug());
    }
    if (event.time() != null) {
      node.put("time", event.time().toString());
    }
    node.put("datacontenttype", "application/json");
    JsonNode data;
    try {
      data = JSON.readTree(event.json() == null ? "{}" : event.json());
    } catch (java.io.IOException e) {
      data = JSON.getNodeFactory().textNode(event.json());
    }
    node.set("data", data);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }
}
