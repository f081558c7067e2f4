package org.troupedb.range;

/** A provisional write of {@code txn} at {@code txn.writeTs()}; a null value is a provisional delete. */
public record Intent(byte[] key, TxnMeta txn, byte[] value) implements KvSerializable {}
