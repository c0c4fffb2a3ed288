package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tgsupport.core.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request records refuse what Kaiten would refuse, before a request is spent on it. */
class RequestValuesTest {

  @Test
  void aNewCardNeedsATitleAndABoardWithinKaitensLimits() {
    assertThat(catchThrowable(() -> NewCard.of(" ", 10))).isInstanceOf(InvalidInputException.class)
        .hasMessage("card.title must not be blank, was \" \"");
    assertThat(catchThrowable(() -> NewCard.of("t".repeat(1025), 10)))
        .hasMessageStartingWith("card.title must be at most 1024 characters, was \"ttt");
    assertThat(catchThrowable(() -> NewCard.of("t", 0))).hasMessage("card.boardId must be > 0, was 0");
    assertThat(catchThrowable(() -> NewCard.of("t", 1).withDescription("d".repeat(32769))))
        .hasMessageStartingWith("card.description must be at most 32768 characters");
    assertThat(catchThrowable(() -> NewCard.of("t", 1).withExternalId("e".repeat(1025))))
        .hasMessageStartingWith("card.externalId must be 1 to 1024 characters");
    assertThat(catchThrowable(() -> NewCard.of("t", 1).withTags(List.of("ok", "")))).hasMessage(
        "card.tags must hold names of 1 to 128 characters, was \"\"");
    assertThat(catchThrowable(() -> NewCard.of("t", 1).withProperty(0, "x"))).hasMessage(
        "card.properties keys must be > 0, was 0");
    assertThat(NewCard.of("t", 1).withProperty(15, null).properties()).containsEntry(15L, null);
  }

  @Test
  void anUpdateMustChangeSomething() {
    assertThat(catchThrowable(() -> new CardUpdate(null, null, null, null, null, null, null, Map.of())))
        .hasMessage("card.update must change at least one field, was \"nothing\"");
    assertThat(catchThrowable(() -> new CardUpdate(null, null, null, null, null, 3, null, Map.of())))
        .hasMessage("card.condition must be 1 or 2, was 3");
    assertThat(CardUpdate.move(5).moves()).isTrue();
    assertThat(CardUpdate.title("x").moves()).isFalse();
  }

  @Test
  void aQueryPagesByAtMost100() {
    assertThat(catchThrowable(() -> CardQuery.all().withPageSize(101)))
        .hasMessage("query.pageSize must be 1..100, was 101");
    assertThat(catchThrowable(() -> CardQuery.all().withStates(List.of(4))))
        .hasMessage("query.states must hold 1, 2 or 3, was 4");
    assertThat(catchThrowable(() -> CardQuery.externalId(" ")))
        .hasMessage("query.externalId must not be blank, was \" \"");
    assertThat(CardQuery.board(10).includingDescription().withDescription()).isTrue();
  }
}
