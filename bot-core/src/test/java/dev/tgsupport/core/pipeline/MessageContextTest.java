package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.model.Intent;
import org.junit.jupiter.api.Test;

class MessageContextTest {
  private static final ContextKey<String> ORDER = ContextKey.of("shop.order", String.class);

  @Test
  void withMethodsReturnChangedCopiesAndLeaveTheOriginalAlone() {
    MessageContext a = MessageContext.of(Messages.text("Where is my order?"));
    MessageContext b = a.withIntent(new Intent("orders", 0.8)).withAttribute(ORDER, "A-17");
    assertThat(a.intent()).isNull();
    assertThat(a.attribute(ORDER)).isEmpty();
    assertThat(b.intent().name()).isEqualTo("orders");
    assertThat(b.attribute(ORDER)).contains("A-17");
    assertThat(b.withAttribute(ORDER, null).attribute(ORDER)).isEmpty();
  }

  @Test
  void theLanguageFollowsTheText() {
    assertThat(MessageContext.of(Messages.text("Как сбросить пароль?")).language()).isEqualTo("ru");
    assertThat(MessageContext.of(Messages.text("How do I reset it?")).language()).isEqualTo("en");
  }

  @Test
  void theStorageIdIsUnavailableBeforeTheRecordStage() {
    assertThatThrownBy(() -> MessageContext.of(Messages.text("x")).messageId())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the message is not recorded yet: the 'record' stage has not run");
  }
}
