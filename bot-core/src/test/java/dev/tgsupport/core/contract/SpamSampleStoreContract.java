package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.GROUP_ID;
import static dev.tgsupport.core.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.model.SpamSample;
import dev.tgsupport.core.model.SpamSample.Draft;
import dev.tgsupport.core.model.SpamSample.Kind;
import dev.tgsupport.core.port.SpamSampleStore;
import dev.tgsupport.core.port.Transactions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link SpamSampleStore} every storage must have: samples are stored verbatim, one per message and
 * kind, listed oldest first per kind, and removed per message. Extend it and return a fresh, empty storage from
 * {@link #transactions()} for each test.
 */
public abstract class SpamSampleStoreContract {
  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  private SpamSample add(Draft draft) {
    return transactions().inTransaction(s -> s.spamSamples().add(draft, T0));
  }

  private List<SpamSample> list(Kind kind) {
    return transactions().inTransaction(s -> s.spamSamples().list(kind));
  }

  private static Draft spam(long messageId, String text) {
    return new Draft(Kind.SPAM, text, GROUP_ID, messageId, 7L);
  }

  @Test
  void aSampleIsStoredVerbatimWithItsSource() {
    String text = Fixtures.RUSSIAN + " " + Fixtures.SQL_INJECTION + " " + Fixtures.EMOJI;
    SpamSample s = add(new Draft(Kind.SPAM, text, GROUP_ID, 5L, 7L));

    assertThat(s.id()).isPositive();
    assertThat(list(Kind.SPAM)).containsExactly(new SpamSample(s.id(), Kind.SPAM, text, GROUP_ID, 5L, 7L, T0));
    assertThat(list(Kind.HAM)).isEmpty();
  }

  @Test
  void aSampleFromNoMessageHasNoSource() {
    SpamSample s = add(new Draft(Kind.HAM, "see you at the meetup", null, null, null));

    assertThat(list(Kind.HAM)).containsExactly(
        new SpamSample(s.id(), Kind.HAM, "see you at the meetup", null, null, null, T0));
  }

  @Test
  void teachingTheSameMessageTwiceKeepsOneSamplePerKind() {
    SpamSample first = add(spam(5, "earn 500$ a day"));
    SpamSample again = add(spam(5, "earn 500$ a day"));
    add(new Draft(Kind.HAM, "earn 500$ a day", GROUP_ID, 5L, 8L));

    assertThat(again).isEqualTo(first);
    assertThat(list(Kind.SPAM)).hasSize(1);
    assertThat(list(Kind.HAM)).hasSize(1);
  }

  @Test
  void samplesAreListedOldestFirstPerKind() {
    SpamSample a = add(spam(1, "first"));
    SpamSample b = add(new Draft(Kind.HAM, "ham", GROUP_ID, 2L, 7L));
    SpamSample c = add(spam(3, "third"));

    assertThat(list(Kind.SPAM)).extracting(SpamSample::id).containsExactly(a.id(), c.id());
    assertThat(list(Kind.HAM)).extracting(SpamSample::id).containsExactly(b.id());
  }

  @Test
  void removeForMessageRemovesOnlyThatMessagesSamplesOfThatKind() {
    add(spam(1, "one"));
    SpamSample keep = add(spam(2, "two"));
    SpamSample ham = add(new Draft(Kind.HAM, "one", GROUP_ID, 1L, 7L));

    int removed = transactions().inTransaction(s -> s.spamSamples().removeForMessage(GROUP_ID, 1, Kind.SPAM));

    assertThat(removed).isEqualTo(1);
    assertThat(list(Kind.SPAM)).containsExactly(keep);
    assertThat(list(Kind.HAM)).containsExactly(ham);
    int again = transactions().inTransaction(s -> s.spamSamples().removeForMessage(GROUP_ID, 1, Kind.SPAM));
    assertThat(again).isZero();
  }

  @Test
  void aRemovedSampleCanBeTaughtAgain() {
    add(spam(1, "one"));
    transactions().run(s -> s.spamSamples().removeForMessage(GROUP_ID, 1, Kind.SPAM));

    SpamSample again = add(spam(1, "one"));

    assertThat(list(Kind.SPAM)).containsExactly(again);
  }

  @Test
  void aRolledBackAddLeavesNothing() {
    assertThatThrownBy(() -> transactions().run(s -> {
      s.spamSamples().add(spam(1, "one"), T0);
      throw new IllegalStateException("boom");
    })).hasMessage("boom");

    assertThat(list(Kind.SPAM)).isEmpty();
  }

  @Test
  void badDraftsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new Draft(Kind.SPAM, " ", GROUP_ID, 1L, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("spamSample.text");
    assertThatThrownBy(() -> new Draft(Kind.SPAM, "x", GROUP_ID, null, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("spamSample.telegramMessageId");
    assertThatThrownBy(() -> new Draft(null, "x", null, null, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("spamSample.kind");
  }
}
