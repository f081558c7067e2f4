package org.troupedb.range;

/**
 * One write of a batch. {@code kind} PUT/INSERT carry a value; DELETE carries none. INSERT fails
 * the batch when the key has a live value.
 */
public record WriteOp(Kind kind, byte[] key, byte[] value) implements KvSerializable {
  public enum Kind { PUT, DELETE, INSERT }
}
