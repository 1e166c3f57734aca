package dev.orgprovisioner.notify;

/** Port: delivers one message over one kind of channel and classifies the outcome. */
public interface ChannelSender {

  ChannelType type();

  /**
   * One attempt; never throws for delivery problems (they are results). Error texts must not
   * contain the target URL or the secret.
   */
  SendResult send(Delivery delivery);
}
