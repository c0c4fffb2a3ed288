package dev.tgsupport.storage.mybatis;

/** One migrated schema for one test class: created before its tests, emptied before each, dropped after. */
final class PgSchema implements AutoCloseable {
  private final String schema;
  private final MyBatisStorage storage;

  private PgSchema(String schema, MyBatisStorage storage) {
    this.schema = schema;
    this.storage = storage;
  }

  static PgSchema create(String prefix) {
    String schema = TestDatabase.createSchema(prefix);
    try {
      return new PgSchema(schema, TestDatabase.migratedStorage(schema));
    } catch (RuntimeException e) {
      // A class whose set-up failed gets no tear-down: do not leave its schema behind.
      TestDatabase.dropSchema(schema);
      throw e;
    }
  }

  MyBatisStorage storage() {
    return storage;
  }

  String name() {
    return schema;
  }

  void truncate() {
    TestDatabase.truncateAll(schema);
  }

  @Override
  public void close() {
    storage.close();
    TestDatabase.dropSchema(schema);
  }
}
