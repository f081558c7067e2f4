package org.troupedb.range.journal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Turns an event (a {@link PersistentRepr}) or a snapshot into the bytes the store keeps, with the
 * payload serialized by whatever Pekko serializer is bound to it (Jackson CBOR for the range's
 * events), and back.
 *
 * <pre>
 *   event:    version(1) serializerId(4) serManifest(utf) eventManifest(utf) writerUuid(utf) timestamp(8) payload
 *   snapshot: version(1) serializerId(4) serManifest(utf) timestamp(8) payload
 * </pre>
 *
 * The persistence id and sequence number are in the key, not repeated here. Tags
 * ({@link Tagged}) are dropped: nothing reads events by tag.
 */
final class ReprCodec {
  private static final byte VERSION = 1;

  private final Serialization serialization;

  ReprCodec(Serialization serialization) {
    this.serialization = serialization;
  }

  /** The stored form of one event; throws if its payload cannot be serialized. */
  byte[] encodeEvent(PersistentRepr repr) {
    Object payload = repr.payload() instanceof Tagged t ? t.payload() : repr.payload();
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      writePayloadHeader(out, payload);
      out.writeUTF(repr.manifest());
      out.writeUTF(repr.writerUuid());
      out.writeLong(repr.timestamp());
      writePayload(out, payload);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  PersistentRepr decodeEvent(String persistenceId, long seqNr, byte[] stored) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
      checkVersion(in.readByte());
      int serializerId = in.readInt();
      String serManifest = in.readUTF();
      String manifest = in.readUTF();
      String writerUuid = in.readUTF();
      long timestamp = in.readLong();
      Object payload = serialization.deserialize(in.readAllBytes(), serializerId, serManifest).get();
      return PersistentRepr.apply(payload, seqNr, persistenceId, manifest, false, ActorRef.noSender(), writerUuid)
          .withTimestamp(timestamp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stored form of one snapshot taken at {@code timestamp} (ms). */
  byte[] encodeSnapshot(long timestamp, Object snapshot) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      writePayloadHeader(out, snapshot);
      out.writeLong(timestamp);
      writePayload(out, snapshot);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A stored snapshot's timestamp (ms), without deserializing it. */
  static long snapshotTimestamp(byte[] stored) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
      checkVersion(in.readByte());
      in.readInt();
      in.readUTF();
      return in.readLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Object decodeSnapshot(byte[] stored) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
      checkVersion(in.readByte());
      int serializerId = in.readInt();
      String serManifest = in.readUTF();
      in.readLong();
      return serialization.deserialize(in.readAllBytes(), serializerId, serManifest).get();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writePayloadHeader(DataOutputStream out, Object payload) throws IOException {
    Serializer serializer = serialization.findSerializerFor(payload);
    out.writeInt(serializer.identifier());
    out.writeUTF(Serializers.manifestFor(serializer, payload));
  }

  private void writePayload(DataOutputStream out, Object payload) throws IOException {
    out.write(serialization.serialize(payload).get()); // with the transport information ActorRefs need
  }

  private static void checkVersion(byte v) {
    if (v != VERSION) {
      throw new IllegalStateException("journal record of unknown format version " + v + " (this build reads "
          + VERSION + ")");
    }
  }
}
