package org.troupedb.range;

/**
 * One write of a batch. {@code kind} PUT/INSERT carry a value; DELETE carries none. INSERT fails
 * the batch when the key has a live value. LOCK carries no value: it takes an exclusive lock on
 * the key (a lock-only intent, see {@link Intent}) without changing it; never 1PC. SHARED_LOCK
 * likewise takes a shared lock (several transactions may share a key; see {@link MvccStore}).
 */
public record WriteOp(Kind kind, byte[] key, byte[] value) implements KvSerializable {
  public enum Kind { PUT, DELETE, INSERT, LOCK, SHARED_LOCK }
}
