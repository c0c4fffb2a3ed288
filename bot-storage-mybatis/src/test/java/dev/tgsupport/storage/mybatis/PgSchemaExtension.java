package dev.tgsupport.storage.mybatis;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A migrated schema per test class, emptied before each test: register it as a static field with
 * {@code @RegisterExtension} and hand {@link #storage()} to the contract suite.
 */
final class PgSchemaExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final String prefix;
  private final Consumer<MyBatisStorage> onCreate;
  private PgSchema schema;

  PgSchemaExtension(String prefix) {
    this(prefix, storage -> {});
  }

  /** {@code onCreate} runs once the schema is migrated, before the class's tests (e.g. to register test mappers). */
  PgSchemaExtension(String prefix, Consumer<MyBatisStorage> onCreate) {
    this.prefix = prefix;
    this.onCreate = onCreate;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    schema = PgSchema.create(prefix);
    onCreate.accept(schema.storage());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    schema.truncate();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    schema.close();
  }

  MyBatisStorage storage() {
    return schema.storage();
  }

  String name() {
    return schema.name();
  }
}
