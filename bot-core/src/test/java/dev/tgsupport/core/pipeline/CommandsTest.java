package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.OutboxEntry;
import java.util.List;
import dev.tgsupport.core.model.TicketStatus;
import org.junit.jupiter.api.Test;

class CommandsTest {
  private final InMemoryStorage storage = InMemoryStorage.create();
  private final Pipeline pipeline =
      Pipeline.builder()
          .transactions(storage)
          .botUsername("@HelpDeskBot")
          .addCommand(Command.of("orders", "your orders", (ctx, args, a) -> Outcome.handled(ctx, "orders:" + args)))
          .build();

  @Test
  void startGreetsInTheUsersLanguage() {
    assertThat(pipeline.process(Messages.text("/start")).reply()).startsWith("Hello!");
  }

  @Test
  void helpListsEveryCommandIncludingPluginCommands() {
    Outcome o = pipeline.process(Messages.text("/help"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.HANDLED);
    assertThat(o.reply()).contains("/ticket", "/orders — your orders", "/start", "/help", "/status");
  }

  @Test
  void ticketWithTextAlwaysOpensATicketEvenWhenTheTextLooksLikeNoise() {
    Outcome o = pipeline.process(Messages.text("/ticket спасибо"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.TICKET);
    assertThat(o.context().ticket().title()).isEqualTo("спасибо");
    assertThat(o.context().intent().name()).isEqualTo("/ticket");
  }

  @Test
  void ticketWithoutTextExplainsUsage() {
    Outcome o = pipeline.process(Messages.text("/ticket"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.HANDLED);
    assertThat(o.reply()).contains("/ticket");
    List<OutboxEntry> pending = storage.inTransaction(s -> s.outbox().listPending(10));
    assertThat(pending).isEmpty();
  }

  @Test
  void statusListsTheUsersActiveTickets() {
    assertThat(pipeline.process(Messages.text("/status")).reply()).isEqualTo("You have no open tickets.");
    Outcome first = pipeline.process(Messages.text("/ticket login loops back to the start page"));
    Outcome second = pipeline.process(Messages.text("/ticket invoices are empty"));
    storage.run(s -> s.tickets().updateStatus(second.context().ticket().id(), TicketStatus.RESOLVED));
    String status = pipeline.process(Messages.text("/status")).reply();
    assertThat(status)
        .contains("#" + first.context().ticket().id() + " — open — login loops back to the start page")
        .doesNotContain("invoices are empty");
  }

  @Test
  void pluginCommandsReceiveTheirArguments() {
    assertThat(pipeline.process(Messages.text("/orders@HelpDeskBot  last 5 ")).reply()).isEqualTo("orders:last 5");
  }

  @Test
  void commandsForAnotherBotAreIgnored() {
    Outcome o = pipeline.process(Messages.text(Messages.GROUP, "/start@OtherBot"));
    assertThat(o.kind()).isEqualTo(Outcome.Kind.NOISE);
    assertThat(o.reply()).isNull();
  }

  @Test
  void anUnknownCommandListsTheKnownOnes() {
    Outcome o = pipeline.process(Messages.text("/frobnicate now"));
    assertThat(o.reply()).isEqualTo("Unknown command /frobnicate. Available: /ticket, /orders, /start, /help, /status");
  }

  @Test
  void commandsAreAnsweredInGroupsToo() {
    Chat group = Messages.GROUP;
    assertThat(pipeline.process(Messages.text(group, "/help")).kind()).isEqualTo(Outcome.Kind.HANDLED);
  }
}
