package dev.orgprovisioner.notify.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orgprovisioner.notify.ChannelSender;
import dev.orgprovisioner.notify.ChannelType;
import dev.orgprovisioner.notify.Delivery;
import dev.orgprovisioner.notify.SendResult;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/** Posts a one-message text to a Slack incoming webhook. */
public final class SlackSender implements ChannelSender {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration timeout;
  private final Clock clock;

  public SlackSender(HttpClient client, Duration timeout, Clock clock) {
    this.client = client;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public ChannelType type() {
    return ChannelType.SLACK;
  }

  @Override
  public SendResult send(Delivery delivery) {
    return HttpSenders.post(client, delivery.target(), body(delivery), timeout, clock);
  }

  static byte[] body(Delivery delivery) {
    StringBuilder text = new StringBuilder();
    for (String user : delivery.channel().slackMentions()) {
      text.append("<@").append(user).append("> ");
    }
    text.append('*').append(delivery.message().subject()).append("*\n");
    text.append(delivery.message().text());
    ObjectNode body = JSON.createObjectNode().put("text", text.toString());
    if (delivery.channel().slackChannel() != null && !delivery.channel().slackChannel().isBlank()) {
      body.put("channel", delivery.channel().slackChannel());
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }
}
