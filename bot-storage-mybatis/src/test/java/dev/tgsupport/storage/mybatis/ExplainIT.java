package dev.tgsupport.storage.mybatis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.model.Direction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.ibatis.binding.MapperMethod;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.scripting.defaults.DefaultParameterHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hot queries use the index they were written for, on a realistic amount of data after (auto)vacuum and
 * analyze. The SQL is taken from the MyBatis configuration with the mapper's own parameters bound, so a mapper
 * whose SQL drifts away from its index breaks this test.
 */
class ExplainIT {
  private static final long BUSY_CHAT = -1001000000001L;
  /** A basic group that was upgraded to {@link #BUSY_CHAT}: its history is listed under the supergroup. */
  private static final long OLD_GROUP = -1001000000200L;
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Pattern ACTUAL_ROWS = Pattern.compile("actual (?:time=\\S+ )?rows=(\\d+) loops=(\\d+)");

  private static PgSchema db;

  @BeforeAll
  static void loadRealisticData() throws SQLException {
    db = PgSchema.create("explain");
    // Pseudo-random but deterministic (hashint4) words, so a query matches a realistic handful of rows.
    String words = "ARRAY['оплата','доставка','возврат','карта','заказ','пароль','аккаунт','телефон','адрес',"
        + "'курьер','скидка','промокод','подписка','тариф','счёт','чек','баланс','перевод','кэшбэк','бонус',"
        + "'payment','delivery','refund','card','order','password','account','phone','address','courier',"
        + "'discount','promo','subscription','plan','invoice','receipt','balance','transfer','cashback','bonus']";
    String word = "(" + words + ")[1 + abs(hashint4(%s)) %% 40]";
    try (Connection c = db.storage().dataSource().getConnection(); Statement s = c.createStatement()) {
      // 1000 users, each with a private chat with the bot, and 200 supergroups.
      s.execute("INSERT INTO users (id, username, first_name, language_code)"
          + " SELECT g, 'user' || g, 'User ' || g, 'ru' FROM generate_series(1, 1000) g");
      s.execute("INSERT INTO chats (id, type, title) SELECT g, 'private', 'User ' || g FROM generate_series(1, 1000) g");
      s.execute("INSERT INTO chats (id, type, title) SELECT -1001000000000 - g, 'supergroup', 'Group ' || g"
          + " FROM generate_series(1, 200) g");
      s.execute("UPDATE chats SET migrated_to = " + BUSY_CHAT + " WHERE id = " + OLD_GROUP);
      // 20 000 messages over the 200 groups; a quarter of them in one busy group, as real groups are skewed.
      // Stored as they were sent; the incoming ones handled a second later but for one in 500 (a crash).
      s.execute("INSERT INTO messages (chat_id, telegram_message_id, direction, user_id, message_type, text, sent_at,"
          + " created_at, handled_at)"
          + " SELECT CASE WHEN g % 4 = 0 THEN " + BUSY_CHAT + " ELSE -1001000000001 - g % 200 END, g,"
          + " CASE WHEN g % 10 = 0 THEN 'out' ELSE 'in' END, CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + g % 1000 END,"
          + " 'text', concat_ws(' ', " + String.format(word, "g * 8") + ", " + String.format(word, "g * 8 + 1")
          + ", " + String.format(word, "g * 8 + 2") + ", " + String.format(word, "g * 8 + 3") + ", "
          + String.format(word, "g * 8 + 4") + ", 'сообщение', g),"
          + " timestamptz '2026-11-01 00:00:00+00' + g * interval '1 minute',"
          + " timestamptz '2026-11-01 00:00:00+00' + g * interval '1 minute',"
          + " CASE WHEN g % 10 = 0 OR g % 500 = 1 THEN NULL"
          + " ELSE timestamptz '2026-11-01 00:00:01+00' + g * interval '1 minute' END"
          + " FROM generate_series(1, 20000) g");
      // 5000 updates the SDK could not use, one every ten seconds.
      s.execute("INSERT INTO telegram_updates (update_id, kind, payload, received_at)"
          + " SELECT g, 'message_reaction', '{\"update_id\":' || g || '}',"
          + " timestamptz '2026-11-20 00:00:00+00' + g * interval '10 seconds' FROM generate_series(1, 5000) g");
      // 2000 tickets, a quarter in each status.
      s.execute("INSERT INTO tickets (message_id, chat_id, user_id, title, status, kaiten_card_id)"
          + " SELECT id, chat_id, user_id, 'Ticket ' || id,"
          + " (ARRAY['open', 'in_progress', 'resolved', 'closed'])[1 + id % 4], 'card-' || id"
          + " FROM messages WHERE user_id IS NOT NULL ORDER BY id LIMIT 2000");
      // 2000 outbox entries, 95 % of them done.
      s.execute("INSERT INTO outbox (kind, payload, next_attempt_at, done_at, attempts)"
          + " SELECT 'ticket.create', jsonb_build_object('ticket_id', g),"
          + " timestamptz '2026-11-23 00:00:00+00' + g * interval '20 seconds',"
          + " CASE WHEN g % 20 = 0 THEN NULL ELSE timestamptz '2026-11-23 00:00:00+00' + g * interval '20 seconds' END,"
          + " 1 FROM generate_series(1, 2000) g");
      // Ten of the hundred unfinished ones parked as poison.
      s.execute("UPDATE outbox SET parked_at = next_attempt_at, last_error = 'gave up' WHERE id % 200 = 0");
      // 5000 sync runs over three integrations, one a minute, all finished.
      s.execute("INSERT INTO sync_log (integration, kind, status, started_at, finished_at, records)"
          + " SELECT (ARRAY['kaiten', 'qdrant', 'telegram'])[1 + g % 3], 'poll', 'ok',"
          + " timestamptz '2026-11-20 00:00:00+00' + g * interval '1 minute',"
          + " timestamptz '2026-11-20 00:00:05+00' + g * interval '1 minute', g % 7 FROM generate_series(1, 5000) g");
      // 2000 knowledge entries with answers of a few sentences, nine in ten validated.
      s.execute("INSERT INTO knowledge_entries (question, answer, status, validated_by, validated_at)"
          + " SELECT concat_ws(' ', 'Как', " + String.format(word, "g * 16") + ", " + String.format(word, "g * 16 + 1")
          + ", " + String.format(word, "g * 16 + 2") + ", " + String.format(word, "g * 16 + 3") + ") || '?',"
          + " repeat(concat_ws(' ', 'Откройте раздел', " + String.format(word, "g * 16 + 4") + ", 'и выберите',"
          + String.format(word, "g * 16 + 5") + ", '— затем следуйте инструкции на экране приложения.'), 6),"
          + " CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'validated' END,"
          + " CASE WHEN g % 10 = 0 THEN NULL ELSE 'import' END,"
          + " CASE WHEN g % 10 = 0 THEN NULL ELSE now() END"
          + " FROM generate_series(1, 2000) g");
      // What autovacuum would have done by now: statistics, and GIN pending lists merged into the trees.
      for (String table :
          List.of("users", "chats", "messages", "tickets", "outbox", "knowledge_entries", "telegram_updates",
          "sync_log")) {
        s.execute("VACUUM ANALYZE " + table);
      }
    }
  }

  @AfterAll
  static void dropSchema() {
    db.close();
  }

  @Test
  void messageByKeyUsesTheUniqueKey() throws SQLException {
    List<String> plan = explain("MessageMapper.findByKey",
        Map.of("chatId", BUSY_CHAT, "telegramMessageId", 4L, "direction", Direction.IN), false);

    assertUsesIndex(plan, "messages", "messages_key");
  }

  @Test
  void activeTicketsOfAUserUseThePartialUserIndex() throws SQLException {
    List<String> plan = explain("TicketMapper.listActiveByUser", Map.of("userId", 5L), false);

    assertUsesIndex(plan, "tickets", "tickets_user_active");
  }

  @Test
  void claimingDueOutboxEntriesReadsThePartialDueIndexAndUpdatesThroughThePrimaryKey() throws SQLException {
    List<String> plan = explain("OutboxMapper.claimDue",
        Map.of("now", NOW, "limit", 10, "leaseUntil", NOW.plusSeconds(60), "kinds", List.of()), false);

    assertUsesIndex(plan, "outbox", "outbox_due");
    assertThat(plan).as("the update must find the claimed rows by id").anyMatch(l -> l.contains("outbox_pkey"));
  }

  @Test
  void claimingOneWorkersKindsStillReadsTheDueIndex() throws SQLException {
    List<String> plan = explain("OutboxMapper.claimDue", Map.of("now", NOW, "limit", 10,
        "leaseUntil", NOW.plusSeconds(60), "kinds", List.of("ticket.create", "ticket.comment")), false);

    assertUsesIndex(plan, "outbox", "outbox_due");
  }

  @Test
  void claimingNeverReadsParkedEntries() throws SQLException {
    List<String> plan = explain("OutboxMapper.claimDue",
        Map.of("now", NOW.plus(Duration.ofDays(30)), "limit", 1000, "leaseUntil", NOW.plus(Duration.ofDays(31)),
            "kinds", List.of()),
        true);

    assertUsesIndex(plan, "outbox", "outbox_due");
    // 100 unfinished entries, 10 of them parked: the due index holds only the other 90.
    for (String line : plan) {
      if (line.contains("using outbox_due")) {
        Matcher m = ACTUAL_ROWS.matcher(line);
        assertThat(m.find()).as("actual rows in %s", line).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("rows read: %s", line).isEqualTo(90);
      }
    }
  }

  @Test
  void pendingOutboxEntriesComeFromThePartialDueIndex() throws SQLException {
    List<String> plan = explain("OutboxMapper.listPending", Map.of("limit", 100), false);

    // Its rows are exactly those of the due index, few enough to sort.
    assertUsesIndex(plan, "outbox", "outbox_due");
  }

  @Test
  void parkedOutboxEntriesComeFromThePartialParkedIndex() throws SQLException {
    List<String> plan = explain("OutboxMapper.listParked", Map.of("limit", 50), false);

    assertUsesIndex(plan, "outbox", "outbox_parked");
  }

  @Test
  void recentSyncRunsOfAnIntegrationComeFromTheRecentIndex() throws SQLException {
    List<String> plan = explain("SyncLogMapper.recent", Map.of("integration", "kaiten", "limit", 20), false);

    assertUsesIndex(plan, "sync_log", "sync_log_recent");
  }

  @Test
  void chatHistoryReadsOnlyTheNewestRowsOfEachChatFromTheChatTimeIndex() throws SQLException {
    int limit = 20;
    List<String> plan = explain("MessageMapper.listByChat", Map.of("chatId", BUSY_CHAT, "limit", limit), true);

    assertUsesIndex(plan, "messages", "messages_chat_time");
    // The busy chat has 5000 messages: reading them all to keep 20 is what the index is there to avoid.
    for (String line : plan) {
      if (line.contains(" on messages")) {
        Matcher m = ACTUAL_ROWS.matcher(line);
        assertThat(m.find()).as("actual rows in %s", line).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("rows read per chat: %s", line).isLessThanOrEqualTo(limit);
      }
    }
    // Chats that migrated into this one are found through their own small index, not by reading every chat.
    assertUsesIndex(plan, "chats", "chats_migrated_to");
  }

  @Test
  void unhandledMessagesAreReadFromThePartialUnhandledIndexOnly() throws SQLException {
    List<String> plan = explain("MessageMapper.listUnhandled",
        Map.of("since", NOW.minus(Duration.ofDays(30)), "limit", 100), true);

    assertUsesIndex(plan, "messages", "messages_unhandled");
    // 18 000 incoming messages, 40 of them unhandled (and 2000 outgoing ones, never handled): the index holds
    // only the 40.
    for (String line : plan) {
      if (line.contains(" on messages")) {
        Matcher m = ACTUAL_ROWS.matcher(line);
        assertThat(m.find()).as("actual rows in %s", line).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("rows read: %s", line).isEqualTo(40);
      }
    }
  }

  @Test
  void theNewestRawUpdatesComeFromTheReceivedIndex() throws SQLException {
    List<String> plan = explain("UpdateMapper.list", Map.of("limit", 20), false);

    assertUsesIndex(plan, "telegram_updates", "telegram_updates_received");
  }

  @Test
  void messageSearchUsesTheTextSearchIndex() throws SQLException {
    List<String> plan = explain("MessageMapper.search", Map.of("query", "промокод возврат", "limit", 20), false);

    assertUsesIndex(plan, "messages", "messages_text_tsv");
  }

  @Test
  void knowledgeRetrieverCandidatesComeFromTheTextSearchAndTrigramIndexes() throws SQLException {
    List<String> plan = explain("KnowledgeSearchMapper.search",
        Map.of("query", "как вернуть промокод?", "candidates", 50), true);

    assertUsesIndex(plan, "knowledge_entries", "knowledge_search_tsv");
    assertUsesIndex(plan, "knowledge_entries", "knowledge_question_trgm");
  }

  @Test
  void knowledgeByQuestionUsesTheQuestionKeyIndex() throws SQLException {
    // An import looks every row of its file up this way.
    List<String> plan = explain("KnowledgeMapper.findByQuestion",
        Map.of("question", "  КАК вернуть   промокод курьер?"), true);

    assertUsesIndex(plan, "knowledge_entries", "knowledge_question_key");
  }

  // The two queries below were written for this test before KnowledgeSearchMapper existed; they stay as the
  // simplest forms of the knowledge search, with the SQL here rather than in a mapper.

  @Test
  void knowledgeWebSearchUsesTheTextSearchIndex() throws SQLException {
    List<String> plan = explainSql("SELECT id, question FROM knowledge_entries WHERE deleted_at IS NULL"
        + " AND search_tsv @@ websearch_to_tsquery('russian', ?)", "возврат промокода");

    assertUsesIndex(plan, "knowledge_entries", "knowledge_search_tsv");
  }

  @Test
  void knowledgeQuestionSimilarityUsesTheTrigramIndex() throws SQLException {
    List<String> plan = explainSql("SELECT id, question FROM knowledge_entries WHERE deleted_at IS NULL"
        + " AND lower(question) % lower(?)", "Как вернуть промокод курьер");

    assertUsesIndex(plan, "knowledge_entries", "knowledge_question_trgm");
  }

  /** EXPLAINs a mapper statement with its parameters bound the way MyBatis binds them. */
  private static List<String> explain(String statement, Map<String, Object> params, boolean analyze)
      throws SQLException {
    MappedStatement ms = db.storage().sessions().getConfiguration()
        .getMappedStatement("dev.tgsupport.storage.mybatis." + statement);
    // A ParamMap fails on a parameter name the statement does not know, as the mapper proxy would.
    MapperMethod.ParamMap<Object> parameters = new MapperMethod.ParamMap<>();
    parameters.putAll(params);
    BoundSql bound = ms.getBoundSql(parameters);
    String options = analyze ? "(ANALYZE, TIMING OFF) " : "";
    try (Connection c = db.storage().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN " + options + bound.getSql())) {
      new DefaultParameterHandler(ms, parameters, bound).setParameters(ps);
      return print(statement, read(ps));
    }
  }

  private static List<String> explainSql(String sql, String parameter) throws SQLException {
    try (Connection c = db.storage().dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      ps.setString(1, parameter);
      return print(sql, read(ps));
    }
  }

  private static List<String> read(PreparedStatement ps) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return lines;
  }

  private static List<String> print(String what, List<String> plan) {
    System.out.println("EXPLAIN " + what + "\n" + String.join("\n", plan));
    return plan;
  }

  private static void assertUsesIndex(List<String> plan, String table, String index) {
    Pattern indexScan = Pattern.compile(
        "(Index Scan|Index Only Scan) using " + index + " on " + table + "\\b|Bitmap Index Scan on " + index + "\\b");
    assertThat(plan).as("plan uses %s:%n%s", index, String.join("\n", plan))
        .anyMatch(l -> indexScan.matcher(l).find());
    Pattern seqScan = Pattern.compile("Seq Scan on " + table + "\\b");
    assertThat(plan).as("plan scans all of %s:%n%s", table, String.join("\n", plan))
        .noneMatch(l -> seqScan.matcher(l).find());
  }
}
