package dev.orgprovisioner.notify;

import java.util.List;

/**
 * A place notifications go. Secrets (webhook URLs, signing secrets) are held as references such as
 * {@code env:ORG_ACME__SLACK_WEBHOOK}, resolved only when sending, so a channel can be logged
 * safely.
 *
 * @param recipients e-mail recipients; {@link #ORG_ADMIN} stands for the org's admin address
 * @param targetRef reference to the Slack or webhook URL
 * @param secretRef reference to the webhook signing secret
 */
public record Channel(
    String id,
    String orgSlug,
    ChannelType type,
    String name,
    boolean active,
    List<String> recipients,
    List<String> ccRecipients,
    String subjectPrefix,
    String targetRef,
    String secretRef,
    String slackChannel,
    List<String> slackMentions) {

  /** Recipient placeholder for the org's admin e-mail (from {@code org_profiles.admin_email}). */
  public static final String ORG_ADMIN = "{org_admin}";

  public Channel {
    recipients = recipients == null ? List.of() : List.copyOf(recipients);
    ccRecipients = ccRecipients == null ? List.of() : List.copyOf(ccRecipients);
    slackMentions = slackMentions == null ? List.of() : List.copyOf(slackMentions);
    subjectPrefix = subjectPrefix == null ? "" : subjectPrefix;
  }

  public static Channel email(String id, String org, String name, List<String> recipients) {
    return new Channel(
        id, org, ChannelType.EMAIL, name, true, recipients, List.of(), "", null, null, null, null);
  }

  public static Channel slack(String id, String org, String name, String urlRef) {
    return new Channel(
        id, org, ChannelType.SLACK, name, true, null, null, "", urlRef, null, null, null);
  }

  public static Channel webhook(
      String id, String org, String name, String urlRef, String secretRef) {
    return new Channel(
        id, org, ChannelType.WEBHOOK, name, true, null, null, "", urlRef, secretRef, null, null);
  }

  @Override
  public String toString() {
    // Never print the references' resolved values; the references themselves are names only.
    return "Channel[" + id + " " + type.lower() + " of " + orgSlug + "]";
  }
}
