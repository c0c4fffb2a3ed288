package dev.tgsupport.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookDedupTest {

  @Test
  void firstClaimOwnsTheIdAndLaterOnesWaitForItsOutcome() {
    WebhookDedup dedup = new WebhookDedup(10);

    WebhookDedup.Claim first = dedup.claim(7);
    WebhookDedup.Claim second = dedup.claim(7);

    assertThat(first.owner()).isTrue();
    assertThat(second.owner()).isFalse();
    assertThat(second.durable()).isNotDone();
    dedup.done(7, true);
    assertThat(second.durable()).isCompletedWithValue(true);
    assertThat(dedup.claim(7).owner()).isFalse();
    assertThat(dedup.claim(7).durable()).isCompletedWithValue(true);
  }

  @Test
  void failedAttemptIsNotRememberedSoTheNextDeliveryOwnsIt() {
    WebhookDedup dedup = new WebhookDedup(10);
    WebhookDedup.Claim first = dedup.claim(7);
    WebhookDedup.Claim waiting = dedup.claim(7);

    dedup.done(7, false);

    assertThat(first.durable()).isCompletedWithValue(false);
    assertThat(waiting.durable()).isCompletedWithValue(false);
    assertThat(dedup.remembers(7)).isFalse();
    assertThat(dedup.claim(7).owner()).isTrue();
  }

  @Test
  void windowKeepsOnlyTheMostRecentIds() {
    WebhookDedup dedup = new WebhookDedup(3);
    for (long id = 1; id <= 5; id++) {
      dedup.claim(id);
      dedup.done(id, true);
    }

    assertThat(dedup.size()).isEqualTo(3);
    assertThat(dedup.remembers(1)).isFalse();
    assertThat(dedup.remembers(2)).isFalse();
    assertThat(dedup.remembers(3)).isTrue();
    assertThat(dedup.remembers(5)).isTrue();
  }
}
