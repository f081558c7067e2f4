package org.troupedb.range;

/** A key and a value (null value: a tombstone in a write, never returned by reads). */
public record Kv(byte[] key, byte[] value) implements KvSerializable {}
