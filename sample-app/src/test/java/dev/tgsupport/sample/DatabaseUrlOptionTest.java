package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseUrlOptionTest {
  @Test
  void displayHidesThePasswordInEveryUrlForm() {
    assertThat(DatabaseUrlOption.resolve("postgres://bot:hunter22@db:5432/app?sslmode=require").display())
        .isEqualTo("postgres://bot:***@db:5432/app?sslmode=require");
    assertThat(DatabaseUrlOption.resolve("jdbc:postgresql://db/app?user=bot&password=hunter22&currentSchema=x")
            .display())
        .isEqualTo("jdbc:postgresql://db/app?user=bot&password=***&currentSchema=x");
    assertThat(DatabaseUrlOption.resolve("jdbc:postgresql://db/app?user=bot").display())
        .isEqualTo("jdbc:postgresql://db/app?user=bot");
  }

  @Test
  void scrubRemovesThePasswordVerbatimAndDecodedFromAnyMessage() {
    DatabaseUrlOption url = DatabaseUrlOption.resolve("postgres://bot:s3cr%40t!x@db/app");
    assertThat(url.scrub("auth failed for s3cr%40t!x and s3cr@t!x")).isEqualTo("auth failed for *** and ***");
  }

  @Test
  void failureNamesTheInnermostDriverErrorOnOneLine() {
    DatabaseUrlOption url = DatabaseUrlOption.resolve("postgres://bot:hunter22@db/app");
    SQLException refused = new SQLException("Connection to db:5432 refused (password hunter22).\nDetail: more");
    RuntimeException e = new RuntimeException("migrate up failed",
        new SQLTransientConnectionException("tgsupport - Connection is not available", refused));
    assertThat(url.failure(e)).isEqualTo("Connection to db:5432 refused (password ***).");
  }

  @Test
  void aMalformedUrlIsAUsageFailureWithoutThePassword() {
    assertThatThrownBy(() -> DatabaseUrlOption.resolve("postgres://bot:hunter22@db/").open(1))
        .isInstanceOf(UsageFailure.class)
        .hasMessageNotContaining("hunter22")
        .hasMessageStartingWith("bad --database-url: ");
    assertThatThrownBy(() -> DatabaseUrlOption.resolve("jdbc:postgresql://db:99999999/app?password=hunter22").open(1))
        .isInstanceOf(UsageFailure.class)
        .hasMessageNotContaining("hunter22")
        .hasMessageContaining("the PostgreSQL driver cannot use it");
  }
}
