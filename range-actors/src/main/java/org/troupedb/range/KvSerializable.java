package org.troupedb.range;

/**
 * Marker for every message, event and snapshot of the KV layer: bound to jackson-cbor in this
 * module's {@code reference.conf}.
 */
public interface KvSerializable {}
