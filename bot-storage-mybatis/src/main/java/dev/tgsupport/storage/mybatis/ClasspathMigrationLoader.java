package dev.tgsupport.storage.mybatis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.ibatis.migration.Change;
import org.apache.ibatis.migration.MigrationLoader;
import org.apache.ibatis.migration.MigrationReader;

/**
 * Reads the schema scripts shipped inside this jar, so an application migrates with no scripts directory. The
 * scripts are listed in {@code scripts.txt} because a jar cannot be listed portably.
 */
final class ClasspathMigrationLoader implements MigrationLoader {
  static final String BASE = "dev/tgsupport/storage/mybatis/migrations/";

  private final ClassLoader loader = ClasspathMigrationLoader.class.getClassLoader();

  @Override
  public List<Change> getMigrations() {
    List<Change> changes = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(open("scripts.txt"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int underscore = line.indexOf('_');
        String id = line.substring(0, underscore);
        String description = line.substring(underscore + 1, line.length() - ".sql".length()).replace('_', ' ');
        Change change = new Change(new BigDecimal(id), null, description);
        change.setFilename(line);
        changes.add(change);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the migration list " + BASE + "scripts.txt", e);
    }
    changes.sort(null);
    return changes;
  }

  @Override
  public Reader getScriptReader(Change change, boolean undo) {
    return new MigrationReader(open(change.getFilename()), StandardCharsets.UTF_8.name(), undo, new Properties());
  }

  @Override
  public Reader getBootstrapReader() {
    return null;
  }

  @Override
  public Reader getOnAbortReader() {
    return null;
  }

  private InputStream open(String name) {
    InputStream in = loader.getResourceAsStream(BASE + name);
    if (in == null) {
      throw new IllegalStateException("migration resource " + BASE + name + " is missing from the classpath");
    }
    return in;
  }
}
