package org.troupedb.txn;

/** A key and its value as read by a scan. NB: arrays are not copied; do not mutate them. */
public record KeyValue(byte[] key, byte[] value) {}
