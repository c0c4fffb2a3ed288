package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading Kaiten's JSON defensively, and the done check on flattened columns. */
class KaitenJsonTest {

  private static JsonNode json(String text) throws Exception {
    return KaitenJson.MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void theContractsSampleCardIsRead() throws Exception {
    Card card = KaitenJson.card(json("{'id': 69416673, 'uid': 'x', 'title': 'TG #-1001234567890/42: Cannot log in',"
        + "'description': 'Cannot log in', 'board_id': 101, 'column_id': 1001, 'lane_id': 2001, 'type_id': 7,"
        + "'owner_id': 5, 'state': 1, 'condition': 1, 'archived': false, 'created': '2026-09-01T12:00:00.123Z',"
        + "'updated': '2026-09-01T12:00:00.123Z', 'completed_at': null, 'last_moved_to_done_at': null,"
        + "'external_id': 'tg:-1001234567890:42', 'properties': {'id_15': 'Telegram'}, 'comments_total': 0,"
        + "'comment_last_added_at': null, 'tags': [], 'tag_ids': [], 'members': [], 'source': 'api', 'version': 1,"
        + "'a_field_added_later': {'x': 1}}"));

    assertThat(card.id()).isEqualTo(69416673L);
    assertThat(card.boardId()).isEqualTo(101);
    assertThat(card.columnId()).isEqualTo(1001);
    assertThat(card.laneId()).isEqualTo(2001L);
    assertThat(card.typeId()).isEqualTo(7L);
    assertThat(card.externalId()).isEqualTo("tg:-1001234567890:42");
    assertThat(card.properties().get("id_15").asText()).isEqualTo("Telegram");
    assertThat(card.created()).isEqualTo(Instant.parse("2026-09-01T12:00:00.123Z"));
    assertThat(card.completedAt()).isNull();
    assertThat(card.stateDone()).isFalse();
  }

  @Test
  void variationsInShapeAreTolerated() throws Exception {
    Card card = KaitenJson.card(json("{'id': '42', 'title': null, 'board': {'id': 10}, 'column': {'id': 102},"
        + "'external_id': 12345678901234, 'state': 3, 'updated': '2026-09-01T15:00:00+03:00', 'created': 'garbage',"
        + "'tags': [{'id': 900, 'tag_id': 5, 'name': 'telegram'}, {'id': 6, 'name': 'vip'}, 'odd']}"));

    assertThat(card.id()).isEqualTo(42);
    assertThat(card.title()).isEmpty();
    assertThat(card.description()).isNull();
    assertThat(card.boardId()).isEqualTo(10);
    assertThat(card.columnId()).isEqualTo(102);
    assertThat(card.laneId()).isNull();
    assertThat(card.externalId()).isEqualTo("12345678901234");
    assertThat(card.updated()).isEqualTo(Instant.parse("2026-09-01T12:00:00Z"));
    assertThat(card.created()).isNull();
    assertThat(card.tags()).containsExactly(new Tag(5, "telegram"), new Tag(6, "vip"));
    assertThat(card.stateDone()).isTrue();
  }

  @Test
  void aCardWithoutANumericIdIsRefused() throws Exception {
    assertThatThrownBy(() -> KaitenJson.card(json("{'title': 'x'}")))
        .isInstanceOf(KaitenJson.ShapeException.class).hasMessage("a card without a numeric id");
    assertThatThrownBy(() -> KaitenJson.card(json("{'id': 'abc'}"))).isInstanceOf(KaitenJson.ShapeException.class);
    assertThatThrownBy(() -> KaitenJson.card(json("[1]"))).hasMessage("a card that is not a JSON object");
  }

  @Test
  void aCommentsAuthorComesFromAuthorIdOrTheNestedAuthor() throws Exception {
    Comment listed = KaitenJson.comment(json("{'id': 1, 'card_id': 5, 'text': 'hi', 'author': {'id': 2,"
        + "'full_name': 'Anna Support', 'username': 'anna'}, 'internal': false, 'deleted': false}"));
    Comment posted = KaitenJson.comment(json("{'id': 2, 'card_id': 5, 'text': 'hi', 'author_id': 1,"
        + "'internal': true, 'sd_description': true}"));

    assertThat(listed.authorId()).isEqualTo(2);
    assertThat(listed.author().displayName()).isEqualTo("Anna Support");
    assertThat(listed.isStaffReply(1)).isTrue();
    assertThat(listed.isStaffReply(2)).as("the bridge's own comment").isFalse();
    assertThat(posted.author()).isNull();
    assertThat(posted.authorId()).isEqualTo(1);
    assertThat(posted.isStaffReply(99)).isFalse();
  }

  @Test
  void aUserWithoutANameIsShownByUsernameOrId() {
    assertThat(new User(7, "", "anna", null).displayName()).isEqualTo("anna");
    assertThat(new User(7, null, null, null).displayName()).isEqualTo("user 7");
  }

  @Test
  void subColumnsAreFlattenedAfterTheirParentAtAnyDepth() throws Exception {
    List<Column> columns = KaitenJson.columns(json("[{'id': 1, 'title': 'Queue', 'type': 1},"
        + "{'id': 2, 'title': 'Done', 'type': 3, 'subcolumns': [{'id': 3, 'title': 'Verified', 'type': null,"
        + "'subcolumns': [{'id': 4, 'title': 'Archived'}]}]},"
        + "{'id': 5, 'title': 'Orphan', 'type': 2, 'column_id': 1}]"), 10);

    assertThat(columns).extracting(Column::id).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(columns).extracting(Column::parentId).containsExactly(null, null, 2L, 3L, 1L);
    assertThat(columns).extracting(Column::boardId).containsOnly(10L);
    BoardColumns board = new BoardColumns(10, columns);
    assertThat(board.isDoneColumn(2)).isTrue();
    assertThat(board.isDoneColumn(3)).isTrue();
    assertThat(board.isDoneColumn(4)).as("two levels under a done column").isTrue();
    assertThat(board.isDoneColumn(1)).isFalse();
    assertThat(board.isDoneColumn(5)).isFalse();
    assertThat(board.isDoneColumn(99)).isFalse();
    assertThat(board.doneColumns()).extracting(Column::id).containsExactly(2L);
  }

  @Test
  void aCardIsDoneByItsColumnTypeOrItsState() {
    BoardColumns board = new BoardColumns(10, List.of(new Column(1, 10, null, "Queue", 1),
        new Column(2, 10, null, "Готово", 3)));
    assertThat(board.isDone(card(2, 0))).as("done column, no state sent").isTrue();
    assertThat(board.isDone(card(99, 3))).as("unknown column, state done").isTrue();
    assertThat(board.isDone(card(1, 3))).as("state done wins over a queue column").isTrue();
    assertThat(board.isDone(card(99, 2))).isFalse();
    assertThat(board.isDone(card(1, 1))).isFalse();
  }

  @Test
  void requestBodiesCarryOnlyWhatWasGiven() {
    NewCard card = NewCard.of("Title", 10).withExternalId("tg:1:2").withProperty(15, 123L)
        .withProperty(16, null).withTags(List.of("telegram"));
    assertThat(KaitenJson.newCardBody(card).toString()).isEqualTo("{\"title\":\"Title\",\"board_id\":10,"
        + "\"external_id\":\"tg:1:2\",\"properties\":{\"id_15\":123,\"id_16\":null}}");
    assertThat(KaitenJson.updateBody(CardUpdate.move(102, 200)).toString())
        .isEqualTo("{\"column_id\":102,\"lane_id\":200}");
    assertThat(KaitenJson.format(Instant.parse("2026-09-01T12:00:00Z"))).isEqualTo("2026-09-01T12:00:00.000Z");
  }

  private static Card card(long columnId, int state) {
    return new Card(1, "t", null, 10, columnId, null, null, state, 1, null, java.util.Map.of(), 0, null, null, null,
        null, null, List.of());
  }
}
