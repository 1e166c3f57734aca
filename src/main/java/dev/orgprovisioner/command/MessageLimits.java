package dev.orgprovisioner.command;

/** Pub/Sub's limits on one message, checked on what comes in and kept on what goes out. */
public final class MessageLimits {

  /** Attributes per message. */
  public static final int MAX_ATTRIBUTES = 100;

  /** UTF-8 bytes of an attribute key. */
  public static final int MAX_KEY_BYTES = 256;

  /** UTF-8 bytes of an attribute value. */
  public static final int MAX_VALUE_BYTES = 1_024;

  /** Bytes of a whole message: data, attribute keys and values, ordering key. */
  public static final int MAX_MESSAGE_BYTES = 10_000_000;

  private MessageLimits() {}
}
