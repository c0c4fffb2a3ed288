package dev.tgsupport.core.contract;

import static dev.tgsupport.core.contract.Fixtures.EMOJI;
import static dev.tgsupport.core.contract.Fixtures.RUSSIAN;
import static dev.tgsupport.core.contract.Fixtures.SQL_INJECTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.port.Stores;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.core.port.UpdateStore.RawUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link dev.tgsupport.core.port.UpdateStore} every storage must have: one row per update id, the
 * payload verbatim (but for NUL characters), the newest first. Extend it and return a fresh, empty storage from
 * {@link #transactions()} for each test.
 */
public abstract class UpdateStoreContract {
  /** A fresh, empty storage for the current test. */
  protected abstract Transactions transactions();

  private boolean save(long updateId, String kind, String payload, String error) {
    return transactions().inTransaction(s -> s.updates().saveRaw(updateId, kind, payload, error));
  }

  private List<RawUpdate> list(int limit) {
    return transactions().inTransaction(s -> s.updates().listRaw(limit));
  }

  @Test
  void anUpdateIsKeptOnceAndTheFirstVersionWins() {
    assertThat(save(1001, "message_reaction", "{\"update_id\":1001}", null)).isTrue();

    assertThat(save(1001, "unparsable", "{\"update_id\":1001,\"again\":true}", "boom")).isFalse();

    assertThat(list(10)).singleElement().satisfies(u -> {
      assertThat(u.updateId()).isEqualTo(1001);
      assertThat(u.kind()).isEqualTo("message_reaction");
      assertThat(u.payload()).isEqualTo("{\"update_id\":1001}");
      assertThat(u.error()).isNull();
      assertThat(u.receivedAt()).isNotNull();
    });
  }

  @Test
  void thePayloadAndTheErrorAreKeptVerbatim() {
    String payload = "{\"update_id\":7,\"message\":{\"text\":\"" + RUSSIAN + " " + EMOJI + "\",\"x\":\""
        + SQL_INJECTION + "\"}}\n  ";
    String error = "Cannot map field 'date': \"вчера\" " + EMOJI;

    save(7, "unparsable", payload, error);

    assertThat(list(1)).singleElement().satisfies(u -> {
      assertThat(u.payload()).isEqualTo(payload);
      assertThat(u.error()).isEqualTo(error);
      assertThat(u.kind()).isEqualTo("unparsable");
    });
  }

  @Test
  void nulCharactersAreStrippedFromThePayloadAndTheError() {
    save(8, "unparsable", "{\"text\":\"a\u0000b\"}", "bad\u0000 byte");

    assertThat(list(1)).singleElement().satisfies(u -> {
      assertThat(u.payload()).isEqualTo("{\"text\":\"ab\"}");
      assertThat(u.error()).isEqualTo("bad byte");
    });
  }

  @Test
  void theNewestComeFirstAndOnlyUpToTheLimit() {
    save(1, "message_reaction", "{\"n\":1}", null);
    save(2, "chat_boost", "{\"n\":2}", null);
    save(3, "poll", "{\"n\":3}", null);

    assertThat(list(10)).extracting(RawUpdate::updateId).containsExactly(3L, 2L, 1L);
    assertThat(list(2)).extracting(RawUpdate::updateId).containsExactly(3L, 2L);
    assertThat(list(0)).isEmpty();
  }

  @Test
  void nothingIsListedWhenNothingWasKept() {
    assertThat(list(10)).isEmpty();
  }

  @Test
  void aRolledBackSaveLeavesNothingAndTheUpdateCanBeSavedAgain() {
    RuntimeException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> transactions().run(s -> {
      assertThat(s.updates().saveRaw(42, "poll", "{}", null)).isTrue();
      throw boom;
    })).isSameAs(boom);

    assertThat(list(10)).isEmpty();
    assertThat(save(42, "poll", "{}", null)).isTrue();
  }

  @Test
  void aBlankKindIsRefusedNamingTheField() {
    assertThatThrownBy(() -> save(9, " ", "{}", null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("kind");
    assertThat(transactions().inTransaction((Stores s) -> s.updates().listRaw(10))).isEmpty();
  }
}
