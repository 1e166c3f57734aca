package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.testing.LedgerFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.execution.OutboxEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of the outbox and of named reports. */
public interface OutboxContract extends LedgerContract {

  @Test
  default void unpublished_listsTheOldestFirst_upToTheLimit() {
    // Ids sort the other way round from creation times: the order must come from the times.
    ledger()
        .storeEvents(
            List.of(
                event("ev-d", "acme", at(1)),
                event("ev-c", "acme", at(2)),
                event("ev-b", "beta", at(3)),
                event("ev-a", "acme", at(4))));

    assertThat(ledger().unpublished(2)).extracting(OutboxEvent::id).containsExactly("ev-d", "ev-c");
    assertThat(ledger().unpublished(10))
        .extracting(OutboxEvent::id)
        .containsExactly("ev-d", "ev-c", "ev-b", "ev-a");
  }

  @Test
  default void recentOf_listsOneOrgsEventsNewestFirst_publishedOrNot_upToTheLimit() {
    ledger()
        .storeEvents(
            List.of(
                event("ev-1", "acme", at(1)),
                event("ev-2", "beta", at(2)),
                event("ev-3", "acme", at(3)),
                event("ev-4", "acme", at(4))));
    ledger().markPublished("ev-1");

    assertThat(ledger().recentOf("acme", 10))
        .extracting(OutboxEvent::id)
        .containsExactly("ev-4", "ev-3", "ev-1");
    assertThat(ledger().recentOf("acme", 2))
        .extracting(OutboxEvent::id)
        .containsExactly("ev-4", "ev-3");
    assertThat(ledger().recentOf("nobody", 10)).isEmpty();
  }

  @Test
  default void markPublished_takesTheEventOutOfUnpublished_andKeepsIt() {
    OutboxEvent first = event("ev-1", "acme", at(1));
    OutboxEvent second = event("ev-2", "acme", at(2));
    ledger().storeEvents(List.of(first, second));

    ledger().markPublished("ev-1");

    assertThat(ledger().unpublished(10)).containsExactly(second);
    assertThat(ledger().event("ev-1")).contains(first.asPublished());
  }

  @Test
  default void markPublished_ofAnUnknownEvent_changesNothing() {
    ledger().storeEvents(List.of(event("ev-1", "acme", at(1))));

    ledger().markPublished("no-such-event");

    assertThat(ledger().event("no-such-event")).isEmpty();
    assertThat(ledger().unpublished(10)).extracting(OutboxEvent::id).containsExactly("ev-1");
  }

  @Test
  default void storeEvents_ofAnIdStoredBefore_replacesTheEvent() {
    ledger().storeEvents(List.of(event("ev-1", "acme", at(1))));
    OutboxEvent replacement =
        new OutboxEvent(
            "ev-1", "drift.detected", "acme", Map.of("ce-id", "ev-1"), "{}", at(2), false);

    ledger().storeEvents(List.of(replacement));

    assertThat(ledger().event("ev-1")).contains(replacement);
    assertThat(ledger().unpublished(10)).containsExactly(replacement);
  }

  @Test
  default void event_ofAnUnknownId_isEmpty_andAnEmptyStoreStoresNothing() {
    ledger().storeEvents(List.of());

    assertThat(ledger().event("no-such-event")).isEmpty();
    assertThat(ledger().unpublished(10)).isEmpty();
  }

  @Test
  default void saveReport_replacesTheReportOfThatName() {
    ledger().saveReport("drift", "{\"drifted\":1}", T0);
    ledger().saveReport("drift", "{\"drifted\":2}", at(1));
    ledger().saveReport("other", "{}", at(1));

    assertThat(ledger().report("drift")).contains("{\"drifted\":2}");
    assertThat(ledger().report("other")).contains("{}");
    assertThat(ledger().report("missing")).isEmpty();
  }
}
