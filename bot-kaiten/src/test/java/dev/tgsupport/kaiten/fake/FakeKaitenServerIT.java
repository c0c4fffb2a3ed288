package dev.tgsupport.kaiten.fake;

import static dev.tgsupport.kaiten.fake.FakeKaitenServer.BOARD_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.BOT_USER_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.DONE_COLUMN_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.DOING_SUBCOLUMN_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.IN_PROGRESS_COLUMN_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.QUEUE_COLUMN_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.SPACE_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.STAFF_USER_ID;
import static dev.tgsupport.kaiten.fake.FakeKaitenServer.VERIFIED_SUBCOLUMN_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The fake behaves as the contract describes Kaiten, checked on the wire with the plain JDK client. */
class FakeKaitenServerIT {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private FakeKaitenServer kaiten = FakeKaitenServer.builder().noRateLimit().start();

  @AfterEach
  void stop() {
    kaiten.close();
  }

  private HttpResponse<String> send(String method, String path, String json) throws Exception {
    return send(method, path, json, kaiten.token());
  }

  private HttpResponse<String> send(String method, String path, String json, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(kaiten.apiUrl() + path))
        .timeout(Duration.ofSeconds(5))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private JsonNode json(HttpResponse<String> response) {
    return Json.tryParse(response.body()).orElseThrow(() -> new AssertionError("not JSON: " + response.body()));
  }

  private long createCard(String title, String extra) throws Exception {
    HttpResponse<String> r = send("POST", "/cards",
        "{\"title\":\"" + title + "\",\"board_id\":" + BOARD_ID + (extra.isEmpty() ? "" : "," + extra) + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).get("id").asLong();
  }

  @Nested
  class AuthAndBase {
    @Test
    void aMissingOrWrongTokenGets401WithAPlainStringBody() throws Exception {
      for (String token : new String[] {null, "wrong-token"}) {
        HttpResponse<String> r = send("GET", "/users/current", null, token);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("Unauthorized");
        assertThat(Json.tryParse(r.body())).isEmpty();
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
            .startsWith("text/plain"));
      }
      assertThat(kaiten.requests()).extracting(RecordedRequest::authorized).containsOnly(false);
    }

    @Test
    void theSameApiIsServedUnderLatestAndV1AndNothingElse() throws Exception {
      HttpResponse<String> latest = send("GET", "/users/current", null);
      HttpResponse<String> v1 = http.send(HttpRequest.newBuilder(URI.create(kaiten.apiV1Url() + "/users/current"))
          .header("Authorization", "Bearer " + kaiten.token()).build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(URI.create(kaiten.baseUrl()
          + "/users/current")).header("Authorization", "Bearer " + kaiten.token()).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(json(latest).get("id").asLong()).isEqualTo(BOT_USER_ID);
      assertThat(json(latest).get("full_name").asText()).isEqualTo("Tgsupport Bot");
      assertThat(v1.body()).isEqualTo(latest.body());
      assertThat(elsewhere.statusCode()).isEqualTo(404);
      assertThat(kaiten.requests()).extracting(RecordedRequest::apiVersion).containsExactly("latest", "v1", "");
    }

    @Test
    void anotherTokenActsAsItsUser() throws Exception {
      kaiten.addToken("staff-token", STAFF_USER_ID);
      assertThat(json(send("GET", "/users/current", null, "staff-token")).get("username").asText())
          .isEqualTo("anna");
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
      assertThat(send("GET", "/nothing", null).statusCode()).isEqualTo(404);
      assertThat(send("GET", "/cards/abc", null).statusCode()).isEqualTo(404);
      assertThat(send("PUT", "/cards", "{}").statusCode()).isEqualTo(405);
      assertThat(send("GET", "/cards/5/nothing", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theTokenIsNotInToString() {
      assertThat(kaiten.toString()).doesNotContain(kaiten.token()).contains(kaiten.apiUrl());
    }
  }

  @Nested
  class RateLimit {
    @Test
    void fivePerSecondPassWithHeadersThenA429UntilTheReset() throws Exception {
      kaiten.close();
      kaiten = FakeKaitenServer.start();
      // Start just after a second begins, so that seven quick requests share one second.
      long now = System.currentTimeMillis();
      Thread.sleep(1000 - now % 1000 + 20);
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        responses.add(send("GET", "/users/current", null));
      }
      long second = responses.get(0).headers().firstValue("X-RateLimit-Reset").map(Long::parseLong).orElseThrow();

      assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 200, 200, 429, 429);
      assertThat(responses).extracting(r -> r.headers().firstValue("X-RateLimit-Remaining").orElse(null))
          .containsExactly("4", "3", "2", "1", "0", "0", "0");
      assertThat(responses).extracting(r -> r.headers().firstValue("X-RateLimit-Reset").orElse(null))
          .containsOnly(String.valueOf(second));
      assertThat(second * 1000).isGreaterThan(now).isLessThanOrEqualTo(System.currentTimeMillis() + 1000);
      assertThat(responses.get(5).headers().firstValue("Retry-After")).isEmpty();
      assertThat(kaiten.http429()).isEqualTo(2);
      // The seventh came after the sixth had been told to wait until the reset.
      assertThat(kaiten.violations()).isEqualTo(1);

      Thread.sleep(Math.max(0, second * 1000 - System.currentTimeMillis()) + 20);
      assertThat(send("GET", "/users/current", null).statusCode()).isEqualTo(200);
      assertThat(kaiten.violations()).isEqualTo(1);
      // A sliding window over arrivals: the seven of one second, and perhaps the one just after the reset too.
      assertThat(kaiten.maxRequestsPerSecond()).isBetween(7, 8);
    }

    @Test
    void theLimitCountsPerToken() throws Exception {
      kaiten.rateLimit(2);
      kaiten.addToken("staff-token", STAFF_USER_ID);
      Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        statuses.add(send("GET", "/users/current", null).statusCode());
        statuses.add(send("GET", "/users/current", null, "staff-token").statusCode());
      }
      statuses.add(send("GET", "/users/current", null).statusCode());
      assertThat(statuses).containsExactly(200, 200, 200, 200, 429);
    }

    @Test
    void withoutALimitThereAreNeitherRefusalsNorHeaders() throws Exception {
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = send("GET", "/users/current", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-RateLimit-Remaining")).isEmpty();
      }
      assertThat(kaiten.http429()).isZero();
    }

    @Test
    void aScripted429CarriesTheHeadersAndCountsWhoComesBackTooEarly() throws Exception {
      kaiten.failNext("GET", "/users/current", Fault.tooManyRequests().retryAfter(Duration.ofSeconds(2))
          .resetIn(Duration.ofSeconds(3)));
      HttpResponse<String> limited = send("GET", "/users/current", null);
      HttpResponse<String> tooEarly = send("GET", "/users/current", null);

      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
      assertThat(limited.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
      long reset = Long.parseLong(limited.headers().firstValue("X-RateLimit-Reset").orElseThrow());
      assertThat(reset).isBetween(Instant.now().getEpochSecond() + 2, Instant.now().getEpochSecond() + 4);
      assertThat(tooEarly.statusCode()).isEqualTo(200);
      assertThat(kaiten.violations()).isEqualTo(1);
      assertThat(kaiten.http429()).isEqualTo(1);
    }
  }

  @Nested
  class Cards {
    @Test
    void createAnswersAFlatCardAndGetTheFullOne() throws Exception {
      HttpResponse<String> created = send("POST", "/cards", "{\"title\":\"Cannot log in\",\"board_id\":10,"
          + "\"column_id\":100,\"lane_id\":200,\"type_id\":7,\"description\":\"**From:** @alice\","
          + "\"external_id\":\"tg:-100:42\",\"properties\":{\"id_15\":123456789,\"id_16\":\"-100\"}}");
      JsonNode flat = json(created);
      JsonNode full = json(send("GET", "/cards/" + flat.get("id").asLong() + "?broken_api=false", null));

      assertThat(flat.get("board").isNull()).isTrue();
      assertThat(flat.get("column").isNull()).isTrue();
      assertThat(flat.get("state").asInt()).isEqualTo(1);
      assertThat(flat.get("condition").asInt()).isEqualTo(1);
      assertThat(flat.get("external_id").asText()).isEqualTo("tg:-100:42");
      assertThat(flat.get("owner_id").asLong()).isEqualTo(BOT_USER_ID);
      assertThat(full.get("board").get("title").asText()).isEqualTo("Support");
      assertThat(full.get("column").get("type").asInt()).isEqualTo(1);
      assertThat(full.get("description").asText()).isEqualTo("**From:** @alice");
      assertThat(full.get("properties").get("id_15").asLong()).isEqualTo(123456789L);
      assertThat(full.get("members").isArray()).isTrue();
      assertThat(full.get("comments_total").asInt()).isZero();
    }

    @Test
    void createValidatesLikeKaitenAndIgnoresUnknownFields() throws Exception {
      HttpResponse<String> noTitle = send("POST", "/cards", "{\"board_id\":10}");
      HttpResponse<String> badColumn = send("POST", "/cards", "{\"title\":\"x\",\"board_id\":10,\"column_id\":106}");
      HttpResponse<String> badProperty = send("POST", "/cards",
          "{\"title\":\"x\",\"board_id\":10,\"properties\":{\"id_99\":1}}");
      HttpResponse<String> notJson = send("POST", "/cards", "title=x");
      HttpResponse<String> longTitle = send("POST", "/cards",
          "{\"title\":\"" + "t".repeat(1025) + "\",\"board_id\":10}");
      long withTags = createCard("tags are not a create field", "\"tags\":[\"bug\"]");

      assertThat(noTitle.statusCode()).isEqualTo(400);
      assertThat(json(noTitle).get("message").asText()).isEqualTo("title is required");
      assertThat(json(badColumn).get("message").asText()).contains("column 106 not found on board 10");
      assertThat(badProperty.statusCode()).isEqualTo(400);
      assertThat(notJson.statusCode()).isEqualTo(400);
      assertThat(longTitle.statusCode()).isEqualTo(400);
      assertThat(kaiten.card(withTags).orElseThrow().tags()).isEmpty();
      assertThat(kaiten.cards()).hasSize(1);
    }

    @Test
    void cardsArePagedWithLimitAndOffsetAsPlainArrays() throws Exception {
      IntStream.range(0, 250).forEach(i -> kaiten.seedCard("card " + i, null));
      JsonNode first = json(send("GET", "/cards?board_id=10&limit=100&offset=0", null));
      JsonNode last = json(send("GET", "/cards?board_id=10&limit=100&offset=200", null));
      HttpResponse<String> tooMany = send("GET", "/cards?limit=101", null);

      assertThat(first.isArray()).isTrue();
      assertThat(first).hasSize(100);
      assertThat(last).hasSize(50);
      assertThat(last.get(49).get("title").asText()).isEqualTo("card 249");
      assertThat(tooMany.statusCode()).isEqualTo(400);
      assertThat(json(tooMany).get("message").asText()).isEqualTo("limit must be between 1 and 100");
      assertThat(json(send("GET", "/cards", null))).hasSize(100);
    }

    @Test
    void aListLeavesTheDescriptionOutUnlessAskedFor() throws Exception {
      long id = createCard("with text", "\"description\":\"the question\"");
      JsonNode plain = json(send("GET", "/cards?board_id=10", null)).get(0);
      JsonNode asked = json(send("GET", "/cards?board_id=10&additional_card_fields=description", null)).get(0);

      assertThat(plain.get("id").asLong()).isEqualTo(id);
      assertThat(plain.has("description")).isFalse();
      assertThat(plain.has("board")).isFalse();
      assertThat(asked.get("description").asText()).isEqualTo("the question");
    }

    @Test
    void externalIdFiltersExactlyWhetherSentAsTextOrNumber() throws Exception {
      long a = createCard("a", "\"external_id\":\"tg:1:1\"");
      createCard("b", "\"external_id\":\"tg:1:10\"");
      long numeric = createCard("c", "\"external_id\":42");
      createCard("d", "");

      assertThat(json(send("GET", "/cards?external_id=tg%3A1%3A1", null))).extracting(n -> n.get("id").asLong())
          .containsExactly(a);
      assertThat(json(send("GET", "/cards?external_id=42", null))).extracting(n -> n.get("id").asLong())
          .containsExactly(numeric);
      assertThat(json(send("GET", "/cards?external_id=none", null))).isEmpty();
    }

    @Test
    void updatedAfterSeesMovesAndEditsButNotComments() throws Exception {
      long a = createCard("a", "");
      Thread.sleep(5);
      long b = createCard("b", "");
      Instant aUpdated = kaiten.card(a).orElseThrow().updated();
      String after = Json.time(aUpdated);

      assertThat(json(send("GET", "/cards?updated_after=" + after, null))).extracting(n -> n.get("id").asLong())
          .containsExactly(b);
      Thread.sleep(5);
      kaiten.staffComment(a, "a reply");
      assertThat(json(send("GET", "/cards?updated_after=" + after, null))).hasSize(1);
      kaiten.moveToDone(a);
      assertThat(json(send("GET", "/cards?updated_after=" + after + "&order_by=updated&order_direction=asc", null)))
          .extracting(n -> n.get("id").asLong()).containsExactly(b, a);
      assertThat(send("GET", "/cards?updated_after=yesterday", null).statusCode()).isEqualTo(400);
    }

    @Test
    void aCardsStateFollowsItsColumnTypeIncludingSubColumns() throws Exception {
      long id = createCard("moving", "");
      JsonNode doing = json(send("PATCH", "/cards/" + id, "{\"column_id\":" + DOING_SUBCOLUMN_ID + "}"));
      FakeCard done = kaiten.moveToDone(id);
      JsonNode verified = json(send("PATCH", "/cards/" + id, "{\"column_id\":" + VERIFIED_SUBCOLUMN_ID + "}"));
      JsonNode back = json(send("PATCH", "/cards/" + id, "{\"column_id\":" + QUEUE_COLUMN_ID + "}"));

      assertThat(doing.get("state").asInt()).isEqualTo(2);
      assertThat(doing.get("column_id").asLong()).isEqualTo(DOING_SUBCOLUMN_ID);
      assertThat(done.state()).isEqualTo(3);
      assertThat(done.columnId()).isEqualTo(DONE_COLUMN_ID);
      assertThat(done.lastMovedToDoneAt()).isNotNull();
      assertThat(verified.get("state").asInt()).isEqualTo(3);
      assertThat(back.get("state").asInt()).isEqualTo(1);
      assertThat(back.get("completed_at").isNull()).isTrue();
      assertThat(json(send("GET", "/cards?states=3", null))).isEmpty();
    }

    @Test
    void aPatchToAColumnOfAnotherBoardIsRefusedAndChangesNothing() throws Exception {
      long id = createCard("stay", "");
      HttpResponse<String> r = send("PATCH", "/cards/" + id, "{\"title\":\"renamed\",\"column_id\":107}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(kaiten.card(id).orElseThrow().title()).isEqualTo("stay");
    }

    @Test
    void deletedCardsAreGoneAndArchivedOnesStayListed() throws Exception {
      long deleted = createCard("deleted", "");
      long archived = createCard("archived", "");
      assertThat(send("DELETE", "/cards/" + deleted, null).statusCode()).isEqualTo(200);
      kaiten.archive(archived);

      assertThat(send("GET", "/cards/" + deleted, null).statusCode()).isEqualTo(404);
      assertThat(json(send("GET", "/cards", null))).extracting(n -> n.get("id").asLong()).containsExactly(archived);
      assertThat(json(send("GET", "/cards/" + archived, null)).get("condition").asInt()).isEqualTo(2);
      assertThat(json(send("GET", "/cards?condition=1", null))).isEmpty();
    }

    @Test
    void aCardStaffDeleteIsGoneFromTheApiAndReportedAsRemoved() throws Exception {
      long id = createCard("to delete", "");
      kaiten.staffComment(id, "a reply");

      FakeCard deleted = kaiten.deleteCard(id);

      assertThat(deleted.condition()).isEqualTo(3);
      assertThat(send("GET", "/cards/" + id, null).statusCode()).isEqualTo(404);
      assertThat(send("GET", "/cards/" + id + "/comments", null).statusCode()).isEqualTo(404);
      assertThat(json(send("GET", "/cards", null))).isEmpty();
      assertThat(kaiten.card(id)).isEmpty();
      assertThatThrownBy(() -> kaiten.deleteCard(id)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class BoardsAndColumns {
    @Test
    void columnsHaveTypesAndNestedSubColumns() throws Exception {
      JsonNode columns = json(send("GET", "/boards/" + BOARD_ID + "/columns", null));

      assertThat(columns).extracting(c -> c.get("type").asInt()).containsExactly(1, 2, 3);
      JsonNode progress = columns.get(1);
      assertThat(progress.get("subcolumns")).extracting(c -> c.get("title").asText()).containsExactly("Doing",
          "Review");
      assertThat(progress.get("subcolumns").get(0).get("column_id").asLong()).isEqualTo(IN_PROGRESS_COLUMN_ID);
      JsonNode verified = columns.get(2).get("subcolumns").get(0);
      assertThat(verified.get("id").asLong()).isEqualTo(VERIFIED_SUBCOLUMN_ID);
      assertThat(verified.get("type").isNull()).isTrue();
      assertThat(json(send("GET", "/columns/" + DONE_COLUMN_ID + "/subcolumns", null))).hasSize(1);
      assertThat(send("GET", "/boards/999/columns", null).statusCode()).isEqualTo(404);
    }

    @Test
    void boardsLanesTypesAndPropertiesAreListed() throws Exception {
      JsonNode board = json(send("GET", "/boards/" + BOARD_ID, null));
      assertThat(board.get("space_id").asLong()).isEqualTo(SPACE_ID);
      assertThat(board.get("columns")).hasSize(3);
      assertThat(json(send("GET", "/boards/" + BOARD_ID + "/lanes", null)).get(0).get("default_card_type_id")
          .asLong()).isEqualTo(7);
      assertThat(json(send("GET", "/spaces/" + SPACE_ID + "/boards", null))).hasSize(2);
      assertThat(json(send("GET", "/card-types", null))).extracting(n -> n.get("id").asLong()).contains(7L);
      assertThat(json(send("GET", "/company/custom-properties", null))).extracting(n -> n.get("id").asLong())
          .containsExactly(15L, 16L);
      assertThat(json(send("GET", "/users?limit=2", null))).hasSize(2);
    }
  }

  @Nested
  class CommentsTagsMembers {
    @Test
    void commentsAreNotPaginated() throws Exception {
      long id = createCard("chatty", "");
      for (int i = 0; i < 3; i++) {
        send("POST", "/cards/" + id + "/comments", "{\"text\":\"comment " + i + "\"}");
      }
      assertThat(json(send("GET", "/cards/" + id + "/comments?limit=1&offset=2", null))).hasSize(3);
      assertThat(json(send("GET", "/cards/" + id + "/comments?limit=1&offset=100", null))).hasSize(3);
      assertThat(json(send("GET", "/cards/" + id, null)).get("comments_total").asInt()).isEqualTo(3);
    }

    @Test
    void commentsCarryAuthorAndTheInternalAndDeletedFlags() throws Exception {
      long id = createCard("discussed", "");
      JsonNode mine = json(send("POST", "/cards/" + id + "/comments", "{\"text\":\"from the bridge\"}"));
      FakeComment staff = kaiten.staffComment(id, "from staff");
      kaiten.internalNote(id, "team only");
      kaiten.deleteComment(id, staff.id());
      JsonNode list = json(send("GET", "/cards/" + id + "/comments", null));

      assertThat(mine.get("author_id").asLong()).isEqualTo(BOT_USER_ID);
      assertThat(mine.get("internal").asBoolean()).isFalse();
      assertThat(list).extracting(c -> c.get("text").asText()).containsExactly("from the bridge", "from staff",
          "team only");
      assertThat(list.get(1).get("author").get("full_name").asText()).isEqualTo("Anna Support");
      assertThat(list.get(1).get("deleted").asBoolean()).isTrue();
      assertThat(list.get(2).get("internal").asBoolean()).isTrue();
      assertThat(list.get(2).get("sd_description").asBoolean()).isFalse();
      assertThat(send("POST", "/cards/" + id + "/comments", "{\"text\":\" \"}").statusCode()).isEqualTo(400);
      assertThat(send("POST", "/cards/999/comments", "{\"text\":\"x\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void tagsAreAddedByNameCreatedWhenNewAndNotDoubled() throws Exception {
      long id = createCard("tagged", "");
      JsonNode first = json(send("POST", "/cards/" + id + "/tags", "{\"name\":\"telegram\"}"));
      JsonNode again = json(send("POST", "/cards/" + id + "/tags", "{\"name\":\"telegram\"}"));
      HttpResponse<String> tooLong = send("POST", "/cards/" + id + "/tags", "{\"name\":\"" + "t".repeat(129) + "\"}");
      JsonNode cardTags = json(send("GET", "/cards/" + id + "/tags", null));

      assertThat(again.get("id").asLong()).isEqualTo(first.get("id").asLong());
      assertThat(first.get("name").asText()).isEqualTo("telegram");
      assertThat(tooLong.statusCode()).isEqualTo(400);
      assertThat(cardTags).hasSize(1);
      assertThat(cardTags.get(0).get("tag_id").asLong()).isEqualTo(first.get("id").asLong());
      assertThat(kaiten.card(id).orElseThrow().tags()).containsExactly("telegram");
      assertThat(json(send("GET", "/tags?query=tele", null))).hasSize(1);
      assertThat(send("DELETE", "/cards/" + id + "/tags/" + first.get("id").asLong(), null).statusCode())
          .isEqualTo(200);
      assertThat(kaiten.card(id).orElseThrow().tags()).isEmpty();
    }

    @Test
    void membersCanBeAddedAndMadeResponsible() throws Exception {
      long id = createCard("owned", "");
      JsonNode member = json(send("POST", "/cards/" + id + "/members", "{\"user_id\":" + STAFF_USER_ID + "}"));
      JsonNode role = json(send("PATCH", "/cards/" + id + "/members/" + STAFF_USER_ID, "{\"type\":2}"));

      assertThat(member.get("type").asInt()).isEqualTo(1);
      assertThat(member.get("full_name").asText()).isEqualTo("Anna Support");
      assertThat(role.get("type").asInt()).isEqualTo(2);
      assertThat(role.get("card_id").asLong()).isEqualTo(id);
      assertThat(kaiten.card(id).orElseThrow().responsibleId()).isEqualTo(STAFF_USER_ID);
      assertThat(send("POST", "/cards/" + id + "/members", "{\"user_id\":999}").statusCode()).isEqualTo(400);
    }
  }

  @Nested
  class Webhooks {
    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;

    private String startReceiver(int status) throws IOException {
      receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
      receiver.createContext("/", exchange -> {
        received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
      });
      receiver.start();
      return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/kaiten/s3cr3t";
    }

    @AfterEach
    void stopReceiver() {
      if (receiver != null) {
        receiver.stop(0);
      }
    }

    @Test
    void cardAndCommentEventsArePostedToTheRegisteredUrl() throws Exception {
      String url = startReceiver(200);
      kaiten.registerWebhook(url);
      long id = createCard("watched", "\"external_id\":\"tg:1:1\"");
      FakeComment comment = kaiten.staffComment(id, "we are on it");
      kaiten.moveToDone(id);

      List<WebhookDelivery> deliveries = kaiten.awaitWebhookDeliveries(3, Duration.ofSeconds(5));
      assertThat(deliveries).extracting(WebhookDelivery::event).containsExactly("card:add", "comment:add",
          "card:move");
      assertThat(deliveries).extracting(WebhookDelivery::url).containsOnly(url);
      assertThat(received).hasSize(3);
      JsonNode add = Json.tryParse(received.get(0)).orElseThrow();
      assertThat(add.get("event").asText()).isEqualTo("card:add");
      assertThat(add.get("data").get("id").asLong()).isEqualTo(id);
      assertThat(add.get("data").get("author").get("id").asLong()).isEqualTo(BOT_USER_ID);
      JsonNode commented = deliveries.get(1).json().get("data");
      assertThat(commented.get("id").asLong()).isEqualTo(comment.id());
      assertThat(commented.get("card_id").asLong()).isEqualTo(id);
      assertThat(commented.get("text").asText()).isEqualTo("we are on it");
      assertThat(commented.get("internal").asBoolean()).isFalse();
      assertThat(commented.get("author").get("id").asLong()).isEqualTo(STAFF_USER_ID);
      JsonNode moved = deliveries.get(2).json().get("data");
      assertThat(moved.get("old").get("id").asLong()).isEqualTo(id);
      assertThat(moved.get("old").get("column_id").asLong()).isEqualTo(QUEUE_COLUMN_ID);
      assertThat(moved.get("changes").get("column_id").asLong()).isEqualTo(DONE_COLUMN_ID);
      assertThat(moved.get("changes").get("state").asInt()).isEqualTo(3);
    }

    @Test
    void aStaffDeleteIsReportedAsCardRemoveWithTheCardAsData() throws Exception {
      kaiten.registerWebhook(startReceiver(200));
      long id = createCard("doomed", "");
      kaiten.deleteCard(id);

      List<WebhookDelivery> deliveries = kaiten.awaitWebhookDeliveries(2, Duration.ofSeconds(5));
      assertThat(deliveries).extracting(WebhookDelivery::event).containsExactly("card:add", "card:remove");
      assertThat(deliveries.get(1).json().get("data").get("id").asLong()).isEqualTo(id);
      assertThat(deliveries.get(1).json().get("data").get("condition").asInt()).isEqualTo(3);
    }

    @Test
    void withWebhooksOffEventsAreMissedAndAFailedDeliveryIsNotRetried() throws Exception {
      String url = startReceiver(500);
      kaiten.registerWebhook(url);
      kaiten.webhooksEnabled(false);
      long id = createCard("unseen", "");
      kaiten.staffComment(id, "unseen reply");
      assertThat(kaiten.awaitWebhooksIdle(Duration.ofSeconds(2))).isTrue();
      assertThat(kaiten.webhookDeliveries()).isEmpty();

      kaiten.webhooksEnabled(true);
      kaiten.staffComment(id, "seen but refused");
      assertThat(kaiten.awaitWebhooksIdle(Duration.ofSeconds(5))).isTrue();
      assertThat(kaiten.webhookDeliveries()).singleElement().satisfies(d -> {
        assertThat(d.status()).isEqualTo(500);
        assertThat(d.delivered()).isFalse();
      });
    }

    @Test
    void theWebhookApiNeedsThePlanAllowsOnePerSpaceAndOnlyPatchById() throws Exception {
      kaiten.webhooksInPlan(false);
      HttpResponse<String> notInPlan = send("POST", "/spaces/1/external-webhooks", "{\"url\":\"https://x.test/h\"}");
      assertThat(notInPlan.statusCode()).isEqualTo(402);
      assertThat(json(notInPlan).get("message").asText()).contains("not available in your plan");

      kaiten.webhooksInPlan(true);
      String url = startReceiver(200);
      JsonNode created = json(send("POST", "/spaces/1/external-webhooks", "{\"url\":\"" + url + "\"}"));
      assertThat(created.get("enabled").asBoolean()).isTrue();
      assertThat(send("POST", "/spaces/1/external-webhooks", "{\"url\":\"" + url + "\"}").statusCode())
          .isEqualTo(400);
      long webhookId = created.get("id").asLong();
      assertThat(send("GET", "/spaces/1/external-webhooks/" + webhookId, null).statusCode()).isEqualTo(405);
      assertThat(send("DELETE", "/spaces/1/external-webhooks/" + webhookId, null).statusCode()).isEqualTo(405);
      assertThat(json(send("GET", "/spaces/1/external-webhooks", null))).hasSize(1);

      assertThat(json(send("PATCH", "/spaces/1/external-webhooks/" + webhookId, "{\"enabled\":false}"))
          .get("enabled").asBoolean()).isFalse();
      createCard("quiet", "");
      assertThat(kaiten.awaitWebhooksIdle(Duration.ofSeconds(2))).isTrue();
      assertThat(received).isEmpty();
    }
  }

  @Nested
  class Quirks {
    @Test
    void anEmptyListCanComeAsAnEmptyBody() throws Exception {
      kaiten.emptyListsAsEmptyBody(true);
      HttpResponse<String> empty = send("GET", "/cards?external_id=nobody", null);
      long id = createCard("one", "");
      HttpResponse<String> full = send("GET", "/cards", null);

      assertThat(empty.statusCode()).isEqualTo(200);
      assertThat(empty.body()).isEmpty();
      assertThat(json(full)).hasSize(1);
      assertThat(send("GET", "/cards/" + id + "/comments", null).body()).isEmpty();
    }
  }

  @Nested
  class Faults {
    @Test
    void anAnswerLostAfterProcessingIsAnIOExceptionForTheJdkClientAndTheCardExists() throws Exception {
      kaiten.failNext("POST", "/cards", Fault.answerLost());

      assertThatThrownBy(() -> send("POST", "/cards", "{\"title\":\"lost\",\"board_id\":10,\"external_id\":\"k\"}"))
          .isInstanceOf(IOException.class);
      assertThat(kaiten.cardsByExternalId("k")).hasSize(1);
      assertThat(kaiten.requests("POST", "/cards")).singleElement().satisfies(r -> {
        assertThat(r.fault()).isEqualTo("answer lost");
        assertThat(r.status()).isEqualTo(200);
      });
      assertThat(kaiten.pendingFaults()).isZero();
    }

    @Test
    void aDroppedConnectionAnswersNothingAndChangesNothing() throws Exception {
      kaiten.failNext("POST", "/cards", Fault.drop());
      assertThatThrownBy(() -> send("POST", "/cards", "{\"title\":\"dropped\",\"board_id\":10}"))
          .isInstanceOf(IOException.class);
      assertThat(kaiten.cards()).isEmpty();
    }

    @Test
    void failNextMatchesMethodAndPathAndCountsDown() throws Exception {
      long id = createCard("target", "");
      kaiten.failNext("GET", "/cards/*", 503, 2);

      assertThat(send("GET", "/cards", null).statusCode()).isEqualTo(200);
      assertThat(send("PATCH", "/cards/" + id, "{\"title\":\"t\"}").statusCode()).isEqualTo(200);
      HttpResponse<String> first = send("GET", "/cards/" + id, null);
      assertThat(first.statusCode()).isEqualTo(503);
      assertThat(first.body()).isEqualTo("Service Unavailable");
      assertThat(send("GET", "/cards/" + id, null).statusCode()).isEqualTo(503);
      assertThat(send("GET", "/cards/" + id, null).statusCode()).isEqualTo(200);
    }

    @Test
    void scriptedStatusesCarryKaitensBodies() throws Exception {
      kaiten.failNext("*", "**", Fault.notInPlan());
      kaiten.failNext("*", "**", Fault.status(401));
      kaiten.failNext("*", "**", Fault.status(404));
      kaiten.failNext("*", "**", Fault.badRequest("title is too long"));

      HttpResponse<String> plan = send("GET", "/users/current", null);
      HttpResponse<String> auth = send("GET", "/users/current", null);
      HttpResponse<String> missing = send("GET", "/users/current", null);
      HttpResponse<String> bad = send("GET", "/users/current", null);

      assertThat(plan.statusCode()).isEqualTo(402);
      assertThat(json(plan).get("message").asText()).isEqualTo("Feature is not supported by your tariff");
      assertThat(auth.statusCode()).isEqualTo(401);
      assertThat(auth.body()).isEqualTo("Unauthorized");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).isEmpty();
      assertThat(json(bad).get("message").asText()).isEqualTo("title is too long");
    }

    @Test
    void aDelayedAnswerComesLateAndADelayAfterProcessingLeavesTheChangeMade() throws Exception {
      kaiten.failNext("GET", "/users/current", Fault.delay(Duration.ofMillis(300)));
      long started = System.nanoTime();
      assertThat(send("GET", "/users/current", null).statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

      kaiten.failNext("POST", "/cards", Fault.delay(Duration.ofSeconds(2)).afterProcessing());
      HttpRequest slow = HttpRequest.newBuilder(URI.create(kaiten.apiUrl() + "/cards"))
          .timeout(Duration.ofMillis(300))
          .header("Authorization", "Bearer " + kaiten.token())
          .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"slow\",\"board_id\":10}"))
          .build();
      assertThatThrownBy(() -> http.send(slow, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.net.http.HttpTimeoutException.class);
      assertThat(kaiten.cards()).extracting(FakeCard::title).containsExactly("slow");
    }

    @Test
    void requestsAreRecordedWithParamsAndBody() throws Exception {
      createCard("recorded", "\"external_id\":\"r\"");
      send("GET", "/cards?external_id=r&limit=10", null);

      RecordedRequest post = kaiten.requests("POST", "/cards").get(0);
      assertThat(post.json().get("title").asText()).isEqualTo("recorded");
      assertThat(post.userId()).isEqualTo(BOT_USER_ID);
      RecordedRequest get = kaiten.requests("GET", "/cards").get(0);
      assertThat(get.param("external_id")).hasValue("r");
      assertThat(get.param("limit")).hasValue("10");
      assertThat(get.line()).isEqualTo("GET /cards");
    }
  }
}
