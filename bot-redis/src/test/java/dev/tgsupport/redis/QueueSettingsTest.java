package dev.tgsupport.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueueSettingsTest {

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    QueueSettings s = QueueSettings.defaults();

    assertThat(s.streamPrefix()).isEqualTo("queue:");
    assertThat(s.partitions()).isEqualTo(16);
    assertThat(s.group()).isEqualTo("tgsupport");
    assertThat(s.consumerName()).isEmpty();
    assertThat(s.maxLength()).isEqualTo(100_000);
    assertThat(s.claimTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxDeliveries()).isEqualTo(5);
    assertThat(s.blockTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.batchSize()).isEqualTo(100);
    assertThat(s.workers()).isEqualTo(4);
    assertThat(s.leaseTtl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.retryBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.fallbackCapacity()).isEqualTo(10_000);
  }

  @Test
  void toBuilderKeepsEverySettingAndChangesOnlyWhatIsSet() {
    QueueSettings s = QueueSettings.builder().partitions(4).consumerName("worker-1").leaseTtl(Duration.ofSeconds(3))
        .build();

    assertThat(s.toBuilder().build()).isEqualTo(s);
    QueueSettings more = s.toBuilder().workers(8).build();
    assertThat(more.workers()).isEqualTo(8);
    assertThat(more.partitions()).isEqualTo(4);
    assertThat(more.consumerName()).isEqualTo("worker-1");
  }

  @Test
  void anOutOfRangeSettingIsRefusedByName() {
    assertThatThrownBy(() -> QueueSettings.builder().partitions(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("partitions must be in 1..1024, was 0");
    assertThatThrownBy(() -> QueueSettings.builder().maxLength(10).build())
        .hasMessage("maxLength must be >= 100, was 10");
    assertThatThrownBy(() -> QueueSettings.builder().claimTimeout(Duration.ZERO).build())
        .hasMessage("claimTimeout must be > 0, was PT0S");
    assertThatThrownBy(() -> QueueSettings.builder().maxDeliveries(0).build())
        .hasMessage("maxDeliveries must be > 0, was 0");
    assertThatThrownBy(() -> QueueSettings.builder().batchSize(0).build())
        .hasMessage("batchSize must be in 1..10000, was 0");
    assertThatThrownBy(() -> QueueSettings.builder().workers(-1).build()).hasMessage("workers must be > 0, was -1");
    assertThatThrownBy(() -> QueueSettings.builder().leaseTtl(Duration.ofMillis(100)).build())
        .hasMessage("leaseTtl must be >= 300 ms, was PT0.1S");
    assertThatThrownBy(() -> QueueSettings.builder().retryBackoff(Duration.ofSeconds(-1)).build())
        .hasMessage("retryBackoff must be >= 0, was PT-1S");
    assertThatThrownBy(() -> QueueSettings.builder().group(" ").build())
        .hasMessage("group must not be blank, was \" \"");
    assertThatThrownBy(() -> QueueSettings.builder().fallbackCapacity(0).build())
        .hasMessage("fallbackCapacity must be > 0, was 0");
    assertThatThrownBy(() -> QueueSettings.builder().blockTimeout(null).build())
        .isInstanceOf(NullPointerException.class).hasMessage("blockTimeout");
  }
}
