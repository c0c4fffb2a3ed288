package dev.tgsupport.storage.mybatis;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A real DataSource behind a gate: while the gate is shut, {@link #getConnection()} waits. Lets a test hold the
 * group-commit writer inside a batch while it lines up the next one.
 */
final class GatedDataSource implements DataSource {
  private final DataSource delegate;
  private final Object lock = new Object();
  private final AtomicInteger waiting = new AtomicInteger();
  private boolean open = true;

  GatedDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  void shut() {
    synchronized (lock) {
      open = false;
    }
  }

  void open() {
    synchronized (lock) {
      open = true;
      lock.notifyAll();
    }
  }

  /** Waits until a thread is held at the gate. */
  void awaitWaiter() throws InterruptedException {
    awaitWaiters(1);
  }

  /** Waits until {@code n} threads are held at the gate. */
  void awaitWaiters(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (waiting.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(n + " threads did not reach the gate within 10 s, " + waiting.get() + " did");
      }
      Thread.sleep(1);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    synchronized (lock) {
      waiting.incrementAndGet();
      try {
        while (!open) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted at the gate", "08000", e);
      } finally {
        waiting.decrementAndGet();
      }
    }
    return delegate.getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
