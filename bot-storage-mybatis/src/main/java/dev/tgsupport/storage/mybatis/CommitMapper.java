package dev.tgsupport.storage.mybatis;

import org.apache.ibatis.annotations.Update;

/** How the current transaction commits. */
interface CommitMapper {
  /**
   * The current transaction commits without waiting for its WAL to be flushed; {@code SET LOCAL}, so the pooled
   * connection is back to the server's setting when it ends. Must run inside the transaction.
   */
  @Update("SET LOCAL synchronous_commit TO OFF")
  void asynchronousCommit();
}
