package org.troupedb.range;

/**
 * One range: the keys {@code [startKey, endKey)} (a null endKey is +infinity) owned by the
 * sharded entity {@code rangeId}. {@code generation} grows with every split of this range.
 */
public record RangeDescriptor(long rangeId, byte[] startKey, byte[] endKey, long generation)
    implements KvSerializable {

  public static final long META_RANGE_ID = 1;
  public static final long FIRST_DATA_RANGE_ID = 2;

  public boolean contains(byte[] key) {
    return Keys.inSpan(key, startKey, endKey);
  }

  public String entityId() {
    return Long.toString(rangeId);
  }

  @Override
  public String toString() {
    return "r" + rangeId + "[" + Keys.toString(startKey) + "," + Keys.toString(endKey) + ")@" + generation;
  }
}
