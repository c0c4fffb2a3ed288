package dev.tgsupport.kaiten;

import static dev.tgsupport.kaiten.fake.FakeKaitenServer.BOARD_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.BOT_USER_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.CARD_TYPE_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.DOING_SUBCOLUMN_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.DONE_COLUMN_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.IN_PROGRESS_COLUMN_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.LANE_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.OTHER_DONE_COLUMN_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.QUEUE_COLUMN_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.REVIEW_SUBCOLUMN_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.SPACE_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.STAFF_USER_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.TELEGRAM_CHAT_PROPERTY_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.TELEGRAM_USER_PROPERTY_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.VERIFIED_SUBCOLUMN_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.kaiten.fake.FakeCard;
import dev.tgsupport.kaiten.fake.FakeComment;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import dev.tgsupport.kaiten.fake.Fault;
import dev.tgsupport.kaiten.fake.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every client method against the fake, without a rate limit so the tests stay quick. */
class KaitenClientIT {

  private final FakeKaitenServer kaiten = FakeKaitenServer.builder().noRateLimit().start();
  private final KaitenClient client = TestClients.fastClient(kaiten);

  @AfterEach
  void stop() {
    kaiten.close();
  }

  private static NewCard question(String externalId) {
    return NewCard.of("TG #-1001234567890/42: Cannot log in", BOARD_ID)
        .withColumn(QUEUE_COLUMN_ID)
        .withLane(LANE_ID)
        .withType(CARD_TYPE_ID)
        .withDescription("**From:** @alice (id 123)\n\nCannot log in since morning…")
        .withExternalId(externalId)
        .withProperty(TELEGRAM_USER_PROPERTY_ID, 123456789L)
        .withProperty(TELEGRAM_CHAT_PROPERTY_ID, "-1001234567890");
  }

  @Test
  void currentUserIsTheTokensOwner() {
    User me = client.currentUser();
    assertThat(me.id()).isEqualTo(BOT_USER_ID);
    assertThat(me.fullName()).isEqualTo("Tgsupport Bot");
    assertThat(me.username()).isEqualTo("tgsupport-bot");
    assertThat(kaiten.requests()).singleElement().satisfies(r -> assertThat(r.line()).isEqualTo("GET /users/current"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "/api/latest", "/api/v1", "/api/v1/", "/api"})
  void everyFormOfTheBaseUrlReachesTheApi(String suffix) {
    KaitenClient other = new KaitenClient(TestClients.config(kaiten).baseUrl(kaiten.baseUrl() + suffix).build(),
        TestClients.fastTuning());
    assertThat(other.currentUser().id()).isEqualTo(BOT_USER_ID);
    assertThat(kaiten.requests()).singleElement()
        .satisfies(r -> assertThat(r.apiVersion()).isEqualTo(suffix.startsWith("/api/v1") ? "v1" : "latest"));
  }

  @Test
  void createCardSendsEveryFieldThenAddsTheTagsOneByOne() {
    Card card = client.createCard(question("tg:-1001234567890:42").withTags(List.of("telegram", "vip")));

    FakeCard stored = kaiten.card(card.id()).orElseThrow();
    assertThat(stored.title()).isEqualTo("TG #-1001234567890/42: Cannot log in");
    assertThat(stored.description()).startsWith("**From:** @alice");
    assertThat(stored.boardId()).isEqualTo(BOARD_ID);
    assertThat(stored.columnId()).isEqualTo(QUEUE_COLUMN_ID);
    assertThat(stored.laneId()).isEqualTo(LANE_ID);
    assertThat(stored.typeId()).isEqualTo(CARD_TYPE_ID);
    assertThat(stored.externalId()).isEqualTo("tg:-1001234567890:42");
    assertThat(stored.properties().get("id_15").asLong()).isEqualTo(123456789L);
    assertThat(stored.properties().get("id_16").asText()).isEqualTo("-1001234567890");
    assertThat(stored.tags()).containsExactly("telegram", "vip");
    assertThat(card.tags()).extracting(Tag::name).containsExactly("telegram", "vip");
    assertThat(card.externalId()).isEqualTo("tg:-1001234567890:42");
    assertThat(card.state()).isEqualTo(1);

    RecordedRequest post = kaiten.requests("POST", "/cards").get(0);
    assertThat(post.json().has("tags")).as("POST /cards has no tags field").isFalse();
    assertThat(post.json().get("text_format_type_id").asInt()).isEqualTo(1);
    assertThat(kaiten.requests("POST", "/cards/*/tags")).extracting(r -> r.json().get("name").asText())
        .containsExactly("telegram", "vip");
  }

  @Test
  void aTagThatCannotBeAddedDoesNotUndoTheCard() {
    kaiten.failNext("POST", "/cards/*/tags", 500, 1);
    Card card = client.createCard(question("tg:1:1").withTags(List.of("broken", "telegram")));

    assertThat(card.tags()).extracting(Tag::name).containsExactly("telegram");
    assertThat(kaiten.cardsByExternalId("tg:1:1")).singleElement()
        .satisfies(c -> assertThat(c.tags()).containsExactly("telegram"));
  }

  @Test
  void aCardWithoutColumnLandsInTheBoardsFirstColumn() {
    Card card = client.createCard(NewCard.of("minimal", BOARD_ID));
    assertThat(card.columnId()).isEqualTo(QUEUE_COLUMN_ID);
    assertThat(kaiten.requests("POST", "/cards").get(0).json().has("column_id")).isFalse();
  }

  @Test
  void getCardReturnsTheFullCard() {
    long id = client.createCard(question("tg:2:2")).id();
    kaiten.staffComment(id, "looking");

    Card card = client.getCard(id);
    assertThat(card.description()).startsWith("**From:**");
    assertThat(card.commentsTotal()).isEqualTo(1);
    assertThat(card.commentLastAddedAt()).isNotNull();
    assertThat(card.created()).isNotNull();
    assertThat(card.updated()).isNotNull();
    assertThat(card.properties()).containsKeys("id_15", "id_16");
    assertThat(kaiten.requests("GET", "/cards/*").get(0).param("broken_api")).hasValue("false");
  }

  @Test
  void updateCardChangesOnlyWhatIsGiven() {
    long id = client.createCard(question("tg:3:3")).id();
    Card updated = client.updateCard(id, CardUpdate.title("Cannot log in (Android)"));

    assertThat(updated.title()).isEqualTo("Cannot log in (Android)");
    assertThat(updated.description()).startsWith("**From:**");
    assertThat(kaiten.requests("PATCH", "/cards/*").get(0).body()).isEqualTo("{\"title\":\"Cannot log in (Android)\"}");
    assertThat(client.updateCard(id, CardUpdate.description("new text")).description()).isEqualTo("new text");
  }

  @Test
  void moveCardMovesAndChecksTheAnswer() {
    long id = client.createCard(question("tg:4:4")).id();
    Card moved = client.moveCard(id, DOING_SUBCOLUMN_ID, null);

    assertThat(moved.columnId()).isEqualTo(DOING_SUBCOLUMN_ID);
    assertThat(moved.state()).isEqualTo(2);
    assertThat(client.moveCard(id, DONE_COLUMN_ID, LANE_ID).state()).isEqualTo(3);
    assertThatThrownBy(() -> client.moveCard(id, OTHER_DONE_COLUMN_ID, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("column 107 not found on board 10");
  }

  @Test
  void listCardsPagesThroughEveryCard() {
    IntStream.range(0, 250).forEach(i -> kaiten.seedCard("card " + i, null));
    List<Card> cards = client.listCards(CardQuery.board(BOARD_ID));

    assertThat(cards).hasSize(250);
    assertThat(cards.get(249).title()).isEqualTo("card 249");
    assertThat(kaiten.requests("GET", "/cards")).extracting(r -> r.param("offset").orElseThrow())
        .containsExactly("0", "100", "200");
    assertThat(kaiten.requests("GET", "/cards")).allSatisfy(r -> {
      assertThat(r.param("limit")).hasValue("100");
      assertThat(r.param("board_id")).hasValue("10");
    });
  }

  @Test
  void anExactlyFullLastPageCostsOneMoreEmptyRequest() {
    IntStream.range(0, 6).forEach(i -> kaiten.seedCard("card " + i, null));
    assertThat(client.listCards(CardQuery.board(BOARD_ID).withPageSize(3))).hasSize(6);
    assertThat(kaiten.requests("GET", "/cards")).hasSize(3);
  }

  @Test
  void listCardsLeavesDescriptionsOutUnlessAsked() {
    client.createCard(question("tg:5:5"));
    assertThat(client.listCards(CardQuery.board(BOARD_ID)).get(0).description()).isNull();
    assertThat(client.listCards(CardQuery.board(BOARD_ID).includingDescription()).get(0).description())
        .startsWith("**From:**");
  }

  @Test
  void listCardsByUpdatedAfterReturnsTheChangedCardsOldestChangeFirst() throws InterruptedException {
    long a = client.createCard(question("tg:6:1")).id();
    long b = client.createCard(question("tg:6:2")).id();
    Instant since = kaiten.card(b).orElseThrow().updated();
    Thread.sleep(5);
    kaiten.moveToDone(a);

    List<Card> changed = client.listCards(CardQuery.board(BOARD_ID).withUpdatedAfter(since));
    assertThat(changed).extracting(Card::id).containsExactly(a);
    assertThat(changed.get(0).lastMovedToDoneAt()).isNotNull();
    RecordedRequest request = kaiten.requests("GET", "/cards").get(0);
    assertThat(request.param("updated_after")).hasValueSatisfying(v -> assertThat(Instant.parse(v)).isEqualTo(since));
    assertThat(request.param("order_by")).hasValue("updated");
    assertThat(request.param("order_direction")).hasValue("asc");
  }

  @Test
  void listCardsFiltersByState() {
    long a = client.createCard(question("tg:7:1")).id();
    client.createCard(question("tg:7:2"));
    kaiten.moveToDone(a);
    assertThat(client.listCards(CardQuery.board(BOARD_ID).withStates(List.of(3)))).extracting(Card::id)
        .containsExactly(a);
  }

  @Test
  void findCardsByExternalIdFindsTheOneCard() {
    client.createCard(question("tg:8:1"));
    long wanted = client.createCard(question("tg:8:10")).id();
    kaiten.archive(wanted);

    assertThat(client.findCardsByExternalId("tg:8:10")).extracting(Card::id).containsExactly(wanted);
    assertThat(client.findCardsByExternalId("tg:8:10").get(0).archived()).isTrue();
    assertThat(client.findCardsByExternalId("tg:8:99")).isEmpty();
    assertThat(kaiten.requests("GET", "/cards").get(0).param("external_id")).hasValue("tg:8:10");
  }

  @Test
  void commentsAreAddedAndListedWithTheirFlags() {
    long id = client.createCard(question("tg:9:9")).id();
    Comment mine = client.addComment(id, "Follow-up from the user: it works on the web", false);
    Comment note = client.addComment(id, "internal note from the bridge", true);
    FakeComment staff = kaiten.staffComment(id, "Please update the app");
    FakeComment removed = kaiten.staffComment(id, "wrong card, sorry");
    kaiten.deleteComment(id, removed.id());
    kaiten.internalNote(id, "customer is a VIP");

    assertThat(mine.authorId()).isEqualTo(BOT_USER_ID);
    assertThat(mine.internal()).isFalse();
    assertThat(note.internal()).isTrue();
    assertThat(kaiten.requests("POST", "/cards/*/comments")).extracting(RecordedRequest::body).containsExactly(
        "{\"text\":\"Follow-up from the user: it works on the web\"}",
        "{\"text\":\"internal note from the bridge\",\"internal\":true}");

    List<Comment> comments = client.listComments(id);
    assertThat(comments).hasSize(5);
    Comment fromStaff = comments.get(2);
    assertThat(fromStaff.id()).isEqualTo(staff.id());
    assertThat(fromStaff.cardId()).isEqualTo(id);
    assertThat(fromStaff.author().fullName()).isEqualTo("Anna Support");
    assertThat(fromStaff.created()).isNotNull();
    assertThat(comments.get(3).deleted()).isTrue();
    assertThat(comments).filteredOn(c -> c.isStaffReply(client.currentUser().id())).extracting(Comment::text)
        .containsExactly("Please update the app");
    assertThat(kaiten.requests("GET", "/cards/*/comments").get(0).params()).isEmpty();
  }

  @Test
  void addTagIsIdempotentByName() {
    long id = client.createCard(question("tg:10:10")).id();
    Tag first = client.addTag(id, "telegram");
    Tag again = client.addTag(id, "telegram");
    assertThat(again).isEqualTo(first);
    assertThat(client.getCard(id).tags()).containsExactly(first);
  }

  @Test
  void membersAreAddedAndListed() {
    long id = client.createCard(question("tg:11:11")).id();
    Member added = client.addMember(id, STAFF_USER_ID);
    assertThat(added.user().id()).isEqualTo(STAFF_USER_ID);
    assertThat(added.responsible()).isFalse();
    assertThat(client.listMembers(id)).extracting(m -> m.user().username()).containsExactly("anna");
  }

  @Test
  void boardAndLanesAreRead() {
    Board board = client.getBoard(BOARD_ID);
    assertThat(board.title()).isEqualTo("Support");
    assertThat(board.spaceId()).isEqualTo(SPACE_ID);
    assertThat(client.listLanes(BOARD_ID)).singleElement().satisfies(l -> {
      assertThat(l.id()).isEqualTo(LANE_ID);
      assertThat(l.defaultCardTypeId()).isEqualTo(CARD_TYPE_ID);
    });
  }

  @Test
  void columnsAreFlattenedWithSubColumnsAfterTheirParent() {
    assertThat(client.listColumns(BOARD_ID)).extracting(Column::id).containsExactly(QUEUE_COLUMN_ID,
        IN_PROGRESS_COLUMN_ID, DOING_SUBCOLUMN_ID, REVIEW_SUBCOLUMN_ID, DONE_COLUMN_ID, VERIFIED_SUBCOLUMN_ID);
    BoardColumns columns = client.columns(BOARD_ID);
    assertThat(columns.find(DOING_SUBCOLUMN_ID).orElseThrow().parentId()).isEqualTo(IN_PROGRESS_COLUMN_ID);
    assertThat(columns.find(VERIFIED_SUBCOLUMN_ID).orElseThrow().type()).isZero();
    assertThat(columns.doneColumns()).extracting(Column::id).containsExactly(DONE_COLUMN_ID);
  }

  @Test
  void columnsAreCachedUntilTheirTtlRunsOut() throws InterruptedException {
    client.columns(BOARD_ID);
    client.columns(BOARD_ID);
    client.listColumns(BOARD_ID);
    assertThat(kaiten.requests("GET", "/boards/*/columns")).hasSize(1);
    client.refreshColumns(BOARD_ID);
    assertThat(kaiten.requests("GET", "/boards/*/columns")).hasSize(2);

    KaitenClient shortLived = new KaitenClient(TestClients.config(kaiten).columnsCacheTtl(Duration.ofMillis(100))
        .requestsPerSecond(50).build(), TestClients.fastTuning());
    shortLived.columns(BOARD_ID);
    Thread.sleep(150);
    shortLived.columns(BOARD_ID);
    assertThat(kaiten.requests("GET", "/boards/*/columns")).hasSize(4);
  }

  @Test
  void aCardIsDoneInADoneColumnOrAnySubColumnOfOne() {
    long id = client.createCard(question("tg:12:12")).id();
    assertThat(client.isDone(client.getCard(id))).isFalse();
    assertThat(client.isDone(client.moveCard(id, REVIEW_SUBCOLUMN_ID, null))).isFalse();
    assertThat(client.isDone(client.moveCard(id, DONE_COLUMN_ID, null))).isTrue();
    // Verified has no type of its own: it is done because its parent is.
    assertThat(client.isDone(client.moveCard(id, VERIFIED_SUBCOLUMN_ID, null))).isTrue();
    assertThat(kaiten.requests("GET", "/boards/*/columns")).hasSize(1);
  }

  @Test
  void aColumnAddedAfterCachingIsFoundByReReadingTheColumnsOnce() {
    long id = client.createCard(question("tg:13:13")).id();
    long archive = kaiten.addColumn(BOARD_ID, "Closed", 3);
    kaiten.moveTo(id, archive);

    KaitenClient eager = new KaitenClient(TestClients.config(kaiten).requestsPerSecond(50).build(),
        new KaitenClient.Tuning(3, 5, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(100),
            Duration.ofSeconds(30), Duration.ofSeconds(2), 1.25, Duration.ZERO));
    eager.columns(BOARD_ID);
    assertThat(eager.isDone(eager.getCard(id))).isTrue();
    assertThat(eager.columns(BOARD_ID).find(archive)).isPresent();
  }

  @Test
  void anEmptyBodyOnAListIsAnEmptyList() {
    kaiten.emptyListsAsEmptyBody(true);
    long id = client.createCard(question("tg:14:14")).id();

    assertThat(client.listComments(id)).isEmpty();
    assertThat(client.findCardsByExternalId("nobody")).isEmpty();
    kaiten.failNext("GET", "/cards/*/members", Fault.emptyBody());
    assertThat(client.listMembers(id)).isEmpty();
  }

  @Test
  void toStringShowsTheAddressOnly() {
    assertThat(client.toString()).isEqualTo("KaitenClient{" + kaiten.apiUrl() + ", 50.0 req/s}");
  }
}
