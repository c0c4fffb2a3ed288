package dev.tgsupport.storage.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  @Test
  void jdbcUrlsLoseTheirCredentialsIntoSeparateFields() {
    DatabaseUrl u = DatabaseUrl.parse("jdbc:postgresql://db:5432/app?user=bot&password=s3cr%40t&sslmode=require");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?sslmode=require");
    assertThat(u.user()).isEqualTo("bot");
    assertThat(u.password()).isEqualTo("s3cr@t");
  }

  @Test
  void postgresUrlsBecomeJdbcUrls() {
    DatabaseUrl u = DatabaseUrl.parse("postgres://bot:p%3Ass@db.internal:6543/support?sslmode=verify-full");
    assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/support?sslmode=verify-full");
    assertThat(u.user()).isEqualTo("bot");
    assertThat(u.password()).isEqualTo("p:ss");
    assertThat(DatabaseUrl.parse("postgresql://localhost/test").jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost/test");
  }

  @Test
  void thePasswordNeverAppearsInToStringOrErrors() {
    DatabaseUrl u = DatabaseUrl.parse("postgres://bot:hunter2@db/app");
    assertThat(u.toString()).doesNotContain("hunter2").contains("password=***");
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://bot:hunter2@db/app"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageNotContaining("hunter2")
        .hasMessage("databaseUrl must start with jdbc:postgresql:// or postgres://, was \"mysql://bot:***@db/app\"");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://bot:hunter2@db/"))
        .hasMessageNotContaining("hunter2")
        .hasMessageContaining("has no database name");
    assertThat(DatabaseUrl.redact("jdbc:postgresql://h/db?user=a&password=hunter2&x=1"))
        .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&x=1");
  }

  @Test
  void blankUrlsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> DatabaseUrl.parse(" "))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("databaseUrl must not be blank, was \" \"");
  }
}
