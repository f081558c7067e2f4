package org.troupedb.txn;

/** One write in a {@link Txn#write} batch. NB: arrays are not copied; do not mutate them. */
public sealed interface Mutation {

  byte[] key();

  /** Sets {@code key} to {@code value}. */
  record Put(byte[] key, byte[] value) implements Mutation {}

  /** Removes {@code key} (a no-op if absent). */
  record Delete(byte[] key) implements Mutation {}

  /** Sets {@code key} only if it has no live value; otherwise the batch fails with {@link KeyExistsException}. */
  record Insert(byte[] key, byte[] value) implements Mutation {}
}
