package dev.tgsupport.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Feeds 10,000 mutated and truncated updates, built from realistic seeds with a fixed random seed, through
 * {@link RawUpdates} and {@link UpdateMapper}: nothing may throw, every update maps to exactly one variant carrying
 * its id whenever the id survived, and a batch still yields its highest id, so a poller's offset keeps moving.
 */
class UpdateFuzzTest {

  private static final int CASES = 10_000;
  private static final int BATCH = 5;
  private static final long SEED = 20240611L;

  private static final List<String> SEEDS = List.of(
      "private_text", "photo_caption", "document_caption", "animation", "voice", "sticker", "contact", "location",
      "forum_topic_first_message", "supergroup_reply_chain", "edited_message", "migrate_to", "my_chat_member_kicked",
      "callback_query", "callback_query_inaccessible", "channel_post", "message_reaction", "future_payload");

  private static final String[] VALUES = {
      "\"\"", "\"text\"", "\"12345\"", "0", "1", "-1", "-1001534872910", "2147483648", "-2147483649",
      "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1e308", "1e400",
      "3.14", "-0.0", "1.0", "null", "true", "false", "{}", "[]", "{\"x\":1}", "[1,\"a\",null]", "[{}]",
      "{\"message_id\":7}", "\"private\"", "\"supergroup\"", "\"kicked\""};

  private static final String[] GARBAGE = {
      "\uD800", "\uDC00", "\uDBFF\uD800", "\\ud800", "\\udfff", "\\u0000", "\u0000", "\u202E", "\u200D", "\uFFFF",
      "\uFEFF", "e\u0301\u0301\u0301", "👍🏽", "\\\"", "\\\\", "\u0001\u001F", "A".repeat(1000), "\t\n\r"};

  private static final String[] TEXT_GARBAGE = {"\u0000", "\uD800", "}", "]", "\"", ",", ":", "{\"", "\\", "ä", "💥"};

  private final UpdateMapper mapper = new UpdateMapper();
  private final UpdateMapper acceptingMapper = new UpdateMapper(new UpdateMapper.Options(true, true));

  @Test
  void fuzzedUpdatesNeverBreakParsingOrMapping() {
    Random random = new Random(SEED);
    List<Node> seeds = new ArrayList<>();
    for (String name : SEEDS) {
      seeds.add(Node.of(JsonParser.parseString(UpdateMapperTest.sample(name))));
    }
    Map<String, Integer> singles = new TreeMap<>();
    Map<String, Integer> batched = new TreeMap<>();
    int truncated = 0;
    int parseErrors = 0;
    int idChecks = 0;
    List<Case> batch = new ArrayList<>();
    long started = System.nanoTime();

    for (int i = 0; i < CASES; i++) {
      Case c = mutate(seeds.get(random.nextInt(seeds.size())), random);
      truncated += c.truncated() ? 1 : 0;

      RawUpdates.Raw raw = checkedParse(c.text());
      parseErrors += raw.parseError() == null ? 0 : 1;
      Inbound inbound = checkedMap(raw, c.text());
      singles.merge(inbound.getClass().getSimpleName(), 1, Integer::sum);
      if (c.expectedId().isPresent()) {
        idChecks++;
        assertThat(inbound.updateId()).as("update id of %s", c.text()).isEqualTo(c.expectedId().getAsLong());
      }

      if (!c.truncated() && !c.textGarbage()) {
        batch.add(c);
      }
      if (batch.size() == BATCH) {
        checkBatch(batch, random, batched);
        batch.clear();
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;

    System.err.printf("UpdateFuzzTest: %d updates in %d ms (%d truncated, %d with a parse error, %d id checks): %s;"
        + " in batches: %s%n", CASES, millis, truncated, parseErrors, idChecks, singles, batched);
    assertThat(singles.keySet()).as("the fuzz must reach every common outcome")
        .contains("NewMessage", "EditedMessage", "CallbackQuery", "BotMembership", "ChatMigrated", "Ignored",
            "Unknown", "Unparsable");
    assertThat(idChecks).isGreaterThan(CASES / 2);
  }

  private void checkBatch(List<Case> cases, Random random, Map<String, Integer> distribution) {
    List<String> elements = new ArrayList<>();
    for (Case c : cases) {
      elements.add(c.text());
    }
    // Elements that are not updates at all, while the array itself stays valid JSON.
    int extra = random.nextInt(3);
    for (int i = 0; i < extra; i++) {
      String broken = cases.get(0).text().substring(0, random.nextInt(cases.get(0).text().length()));
      String junk = switch (random.nextInt(4)) {
        case 0 -> new JsonPrimitive(broken).toString();
        case 1 -> "null";
        case 2 -> "[" + cases.get(1).text() + "]";
        default -> "-3";
      };
      elements.add(random.nextInt(elements.size() + 1), junk);
    }
    String body = "[" + String.join(",", elements) + "]";

    List<RawUpdates.Raw> raws;
    try {
      raws = RawUpdates.parseBatch(body);
    } catch (RuntimeException e) {
      throw new AssertionError("parseBatch threw on " + body, e);
    }
    assertThat(raws).as("one Raw per element of %s", body).hasSize(elements.size());
    long expectedMax = -1;
    for (int i = 0; i < elements.size(); i++) {
      long id = independentId(elements.get(i));
      assertThat(raws.get(i).updateId()).as("id of element %s", elements.get(i)).isEqualTo(id);
      expectedMax = Math.max(expectedMax, id);
      Inbound inbound = checkedMap(raws.get(i), elements.get(i));
      distribution.merge(inbound.getClass().getSimpleName(), 1, Integer::sum);
    }
    for (Case c : cases) {
      c.expectedId().ifPresent(id -> assertThat(RawUpdates.maxUpdateId(raws)).isGreaterThanOrEqualTo(id));
    }
    assertThat(RawUpdates.maxUpdateId(raws)).as("max id of %s", body).isEqualTo(expectedMax);

    // A response cut short (a dropped connection): every element complete before the cut is still recovered.
    int cut = 1 + random.nextInt(body.length() - 1);
    List<RawUpdates.Raw> salvaged;
    try {
      salvaged = RawUpdates.parseBatch(body.substring(0, cut));
    } catch (RuntimeException e) {
      throw new AssertionError("parseBatch threw on a cut batch " + body.substring(0, cut), e);
    }
    int end = 1;
    for (int i = 0; i < elements.size(); i++) {
      end += elements.get(i).length();
      if (end > cut) {
        break;
      }
      assertThat(salvaged.size()).as("elements recovered from %s", body.substring(0, cut)).isGreaterThan(i);
      assertThat(salvaged.get(i).updateId()).isEqualTo(raws.get(i).updateId());
      assertThat(salvaged.get(i).parseError()).isEqualTo(raws.get(i).parseError());
      end++; // the comma
    }
  }

  private RawUpdates.Raw checkedParse(String text) {
    try {
      RawUpdates.Raw raw = RawUpdates.parse(text);
      assertThat(raw).isNotNull();
      assertThat(raw.kind()).isNotNull();
      assertThat(raw.json()).isEqualTo(text);
      assertThat(raw.parsed() == null).as("parsed xor parseError for %s", text).isEqualTo(raw.parseError() != null);
      assertThat(raw.updateId()).isGreaterThanOrEqualTo(-1);
      return raw;
    } catch (RuntimeException e) {
      throw new AssertionError("RawUpdates.parse threw on " + text, e);
    }
  }

  private Inbound checkedMap(RawUpdates.Raw raw, String text) {
    Inbound inbound;
    try {
      inbound = mapper.map(raw);
      acceptingMapper.map(raw);
      if (raw.parsed() != null) {
        mapper.map(raw.parsed());
      }
    } catch (RuntimeException e) {
      throw new AssertionError("the mapper threw on " + text, e);
    }
    assertThat(inbound).as("mapping of %s", text).isNotNull();
    assertThat(inbound.updateId()).as("id of %s", text).isEqualTo(raw.updateId());
    if (inbound instanceof Inbound.NewMessage n) {
      assertThat(n.message()).isNotNull();
    } else if (inbound instanceof Inbound.EditedMessage e) {
      assertThat(e.editedAt()).isNotNull();
    } else if (inbound instanceof Inbound.ChatMigrated m) {
      assertThat(m.newChat().id()).isEqualTo(m.toChatId());
    } else if (inbound instanceof Inbound.BotMembership b) {
      assertThat(b.chat()).isNotNull();
    } else if (inbound instanceof Inbound.CallbackQuery q) {
      assertThat(q.queryId()).isNotBlank();
    } else if (inbound instanceof Inbound.Ignored g) {
      assertThat(g.reason()).isNotBlank();
    } else if (inbound instanceof Inbound.Unknown u) {
      assertThat(u.kind()).matches("[A-Za-z0-9_]{1,64}");
    } else if (inbound instanceof Inbound.Unparsable p) {
      assertThat(p.error()).contains(": ").doesNotContainPattern("\\p{Cc}");
    } else {
      fail("not an Inbound variant: " + inbound);
    }
    return inbound;
  }

  // --- mutation -----------------------------------------------------------------------------------------------

  /** A fuzzed update: its text, whether it was cut, and the id it must still be known by, when that survived. */
  private record Case(String text, boolean truncated, boolean textGarbage, OptionalLong expectedId) {}

  private static Case mutate(Node seed, Random random) {
    Obj root = (Obj) seed.copy();
    int operations = 1 + random.nextInt(3);
    for (int i = 0; i < operations; i++) {
      mutateOnce(root, random);
    }
    String text = root.json();
    OptionalLong id = survivingId(root);
    // Telegram writes update_id first; a cut or garbage after it leaves it readable.
    String idPrefix = id.isPresent() && root.keys.get(0).equals("update_id")
        ? "{\"update_id\":" + id.getAsLong() + "," : null;
    boolean truncated = false;
    boolean textGarbage = false;
    int roll = random.nextInt(100);
    if (roll < 25) {
      truncated = true;
      int cut = random.nextInt(text.length());
      text = text.substring(0, cut);
      if (idPrefix == null || cut < idPrefix.length()) {
        id = OptionalLong.empty();
      }
    } else if (roll < 30) {
      textGarbage = true;
      int at = random.nextInt(text.length() + 1);
      text = text.substring(0, at) + pick(TEXT_GARBAGE, random) + text.substring(at);
      if (idPrefix == null || at < idPrefix.length()) {
        id = OptionalLong.empty();
      }
    }
    return new Case(text, truncated, textGarbage, id);
  }

  private static void mutateOnce(Obj root, Random random) {
    List<Slot> slots = new ArrayList<>();
    root.collect(slots);
    List<Obj> objects = new ArrayList<>();
    root.collectObjects(objects);
    int op = random.nextInt(100);
    if (op < 6) {
      int at = root.keys.indexOf("update_id");
      if (at >= 0) {
        if (random.nextBoolean()) {
          root.values.set(at, new Val(pick(VALUES, random)));
        } else {
          root.keys.remove(at);
          root.values.remove(at);
        }
      }
    } else if (op < 36) {
      if (!slots.isEmpty()) {
        Slot s = slots.get(random.nextInt(slots.size()));
        s.set(random.nextInt(10) == 0 ? randomSubtree(slots, random) : new Val(pick(VALUES, random)));
      }
    } else if (op < 56) {
      Obj o = objects.get(random.nextInt(objects.size()));
      if (!o.keys.isEmpty()) {
        int at = random.nextInt(o.keys.size());
        o.keys.remove(at);
        o.values.remove(at);
      }
    } else if (op < 66) {
      Obj o = objects.get(random.nextInt(objects.size()));
      if (!o.keys.isEmpty()) {
        int at = random.nextInt(o.keys.size());
        String k = o.keys.get(at);
        String[] names = {k + "_", k.toUpperCase(), "", k + "\u0000", " " + k, "message", "update_id",
            "callback_query", "my_chat_member", "k\uD800"};
        o.keys.set(at, pick(names, random));
      }
    } else if (op < 76) {
      Obj o = objects.get(random.nextInt(objects.size()));
      if (!o.keys.isEmpty()) {
        int from = random.nextInt(o.keys.size());
        Node value = random.nextBoolean() ? o.values.get(from).copy() : new Val(pick(VALUES, random));
        int to = random.nextInt(o.keys.size() + 1);
        o.keys.add(to, o.keys.get(from));
        o.values.add(to, value);
      }
    } else {
      List<Slot> strings = new ArrayList<>();
      for (Slot s : slots) {
        if (s.get() instanceof Val v && v.json.startsWith("\"")) {
          strings.add(s);
        }
      }
      if (!strings.isEmpty()) {
        Slot s = strings.get(random.nextInt(strings.size()));
        String json = ((Val) s.get()).json;
        // After the opening quote, so an escape sequence is never split.
        s.set(new Val("\"" + pick(GARBAGE, random) + json.substring(1)));
      }
    }
  }

  private static Node randomSubtree(List<Slot> slots, Random random) {
    return slots.get(random.nextInt(slots.size())).get().copy();
  }

  /** The id the update must keep: exactly one top-level update_id, still a plain number that fits a long. */
  private static OptionalLong survivingId(Obj root) {
    int count = 0;
    Node value = null;
    for (int i = 0; i < root.keys.size(); i++) {
      if (root.keys.get(i).equals("update_id")) {
        count++;
        value = root.values.get(i);
      }
    }
    if (count == 1 && value instanceof Val v && v.json.matches("\\d{1,18}")) {
      return OptionalLong.of(Long.parseLong(v.json));
    }
    return OptionalLong.empty();
  }

  /** An oracle written apart from RawUpdates: the id a valid JSON element must yield. */
  private static long independentId(String element) {
    JsonElement e = JsonParser.parseString(element);
    if (!e.isJsonObject()) {
      return -1;
    }
    JsonObject o = e.getAsJsonObject();
    JsonElement id = o.get("update_id");
    if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber()) {
      return -1;
    }
    try {
      BigDecimal d = new BigDecimal(id.getAsString());
      if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
          || d.stripTrailingZeros().scale() > 0) {
        return -1;
      }
      return d.longValueExact();
    } catch (ArithmeticException | NumberFormatException ex) {
      return -1;
    }
  }

  private static String pick(String[] options, Random random) {
    return options[random.nextInt(options.length)];
  }

  // --- a JSON tree that, unlike Gson's, can hold duplicate keys -----------------------------------------------

  private sealed interface Node permits Obj, Arr, Val {
    Node copy();

    String json();

    default void collect(List<Slot> slots) {}

    default void collectObjects(List<Obj> objects) {}

    static Node of(JsonElement e) {
      if (e.isJsonObject()) {
        Obj o = new Obj();
        for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
          o.keys.add(entry.getKey());
          o.values.add(of(entry.getValue()));
        }
        return o;
      }
      if (e.isJsonArray()) {
        Arr a = new Arr();
        e.getAsJsonArray().forEach(item -> a.items.add(of(item)));
        return a;
      }
      return new Val(e.toString());
    }
  }

  private static final class Obj implements Node {
    final List<String> keys = new ArrayList<>();
    final List<Node> values = new ArrayList<>();

    @Override
    public Node copy() {
      Obj o = new Obj();
      o.keys.addAll(keys);
      values.forEach(v -> o.values.add(v.copy()));
      return o;
    }

    @Override
    public String json() {
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < keys.size(); i++) {
        b.append(i == 0 ? "" : ",").append(new JsonPrimitive(keys.get(i))).append(':').append(values.get(i).json());
      }
      return b.append('}').toString();
    }

    @Override
    public void collect(List<Slot> slots) {
      for (int i = 0; i < values.size(); i++) {
        slots.add(new Slot(values, i));
        values.get(i).collect(slots);
      }
    }

    @Override
    public void collectObjects(List<Obj> objects) {
      objects.add(this);
      values.forEach(v -> v.collectObjects(objects));
    }
  }

  private static final class Arr implements Node {
    final List<Node> items = new ArrayList<>();

    @Override
    public Node copy() {
      Arr a = new Arr();
      items.forEach(i -> a.items.add(i.copy()));
      return a;
    }

    @Override
    public String json() {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < items.size(); i++) {
        b.append(i == 0 ? "" : ",").append(items.get(i).json());
      }
      return b.append(']').toString();
    }

    @Override
    public void collect(List<Slot> slots) {
      for (int i = 0; i < items.size(); i++) {
        slots.add(new Slot(items, i));
        items.get(i).collect(slots);
      }
    }

    @Override
    public void collectObjects(List<Obj> objects) {
      items.forEach(i -> i.collectObjects(objects));
    }
  }

  /** A primitive, kept as its JSON text. */
  private record Val(String json) implements Node {
    @Override
    public Node copy() {
      return this;
    }
  }

  private record Slot(List<Node> owner, int index) {
    Node get() {
      return owner.get(index);
    }

    void set(Node node) {
      owner.set(index, node);
    }
  }
}
