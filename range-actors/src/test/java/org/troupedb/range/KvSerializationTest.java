package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.troupedb.hlc.Timestamp;

/**
 * Every record (and enum) of the KV layer that is {@link KvSerializable} (commands, replies, events,
 * snapshots and what they carry), found by scanning this module's classes so that a new message
 * cannot be forgotten, round-trips through Pekko's serialization: bound to Jackson CBOR (never
 * Java serialization) and equal afterwards, field by field, byte arrays by their contents.
 */
class KvSerializationTest {

  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
      "pekko.actor.allow-java-serialization = off").withFallback(ConfigFactory.load()));
  static final ActorRef<RangeActor.Reply> REPLY_TO = testKit.<RangeActor.Reply>createTestProbe().getRef();

  /**
   * Messages a range actor sends only to itself (pipeToSelf), so they never leave their node; they
   * carry a polymorphic {@code Reply} that Jackson could not read back. They must stay
   * package-private: a public message is one other code may send, possibly across nodes.
   */
  static final java.util.Set<Class<?>> SELF_ONLY = java.util.Set.of(RangeActor.AutoSplitDone.class);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyKvRecordRoundTripsThroughJacksonCborWithEqualContents() throws Exception {
    List<Class<?>> records = kvRecords();
    // The sealed message families are all in the scan (a sanity check of the scan itself).
    for (Class<?> family : List.of(RangeActor.Command.class, RangeActor.Event.class, RangeActor.Reply.class)) {
      assertThat(records).as(family.getSimpleName()).contains(family.getPermittedSubclasses());
    }
    assertThat(records).contains(RangeState.Snapshot.class, TxnMeta.class, RangeDescriptor.class);

    Serialization ser = SerializationExtension.get(testKit.system().classicSystem());
    for (Class<?> type : SELF_ONLY) {
      assertThat(java.lang.reflect.Modifier.isPublic(type.getModifiers())).as(type + " is public").isFalse();
    }
    for (Class<?> type : records) {
      if (SELF_ONLY.contains(type)) {
        continue;
      }
      for (boolean nulls : new boolean[] {false, true}) {
        Object m = sample(type, new Samples(nulls));
        var serializer = ser.findSerializerFor(m);
        assertThat(serializer.getClass().getName()).as(type.getName())
            .isEqualTo("org.apache.pekko.serialization.jackson.JacksonCborSerializer");
        byte[] bytes = ser.serialize(m).get();
        Object back = ser.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, m)).get();
        assertDeepEquals(type.getSimpleName(), m, back);
      }
    }
  }

  @Test
  void theComparisonSeesByteArrayContents() {
    Kv a = new Kv(new byte[] {1, 2}, new byte[] {3});
    assertDeepEquals("same contents", a, new Kv(new byte[] {1, 2}, new byte[] {3}));
    try {
      assertDeepEquals("other contents", a, new Kv(new byte[] {1, 2}, new byte[] {4}));
    } catch (AssertionError expected) {
      assertThat(expected).hasMessageContaining("other contents.value");
      return;
    }
    fail("byte arrays with other contents compared equal");
  }

  /** Every record or enum in this module's main classes that is KvSerializable. */
  static List<Class<?>> kvRecords() throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(KvSerializable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(root).as("range-actors classes as a directory").isDirectory();
    List<Class<?>> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> c = Class.forName(name, false, KvSerializable.class.getClassLoader());
        if ((c.isRecord() || c.isEnum()) && KvSerializable.class.isAssignableFrom(c)) {
          out.add(c);
        }
      }
    }
    return out;
  }

  /** Distinct sample values: each call gives new contents, so swapped fields would not compare equal. */
  static final class Samples {
    final boolean nulls;
    int next = 1;

    Samples(boolean nulls) {
      this.nulls = nulls;
    }

    int n() {
      return next++;
    }
  }

  /** A sample instance of {@code type} with every field set (byte arrays null if {@code s.nulls}). */
  static Object sample(Type type, Samples s) throws Exception {
    Class<?> c = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (c == byte[].class) {
      int n = s.n();
      return s.nulls ? null : new byte[] {(byte) n, (byte) (n * 7), (byte) 0xff, 0};
    }
    if (c == long.class || c == Long.class) {
      return (long) s.n() * 1_000_003L;
    }
    if (c == int.class || c == Integer.class) {
      return s.n();
    }
    if (c == boolean.class || c == Boolean.class) {
      return s.n() % 2 == 0;
    }
    if (c == String.class) {
      return "text-" + s.n();
    }
    if (c == UUID.class) {
      return new UUID(s.n(), s.n());
    }
    if (c == Timestamp.class) {
      return new Timestamp(1_700_000_000_000_000_000L + s.n(), s.n());
    }
    if (c == ActorRef.class) {
      return REPLY_TO;
    }
    if (c.isEnum()) {
      Object[] constants = c.getEnumConstants();
      return constants[s.n() % constants.length];
    }
    if (c == List.class) {
      Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
      Samples inner = s.nulls ? new Samples(false) : s; // list elements are never null
      inner.next = Math.max(inner.next, s.n() * 100);
      return List.of(sample(element, inner), sample(element, inner));
    }
    if (c.isSealed()) {
      return sample(c.getPermittedSubclasses()[0], s);
    }
    if (c.isRecord()) {
      RecordComponent[] parts = c.getRecordComponents();
      Object[] args = new Object[parts.length];
      Class<?>[] types = new Class<?>[parts.length];
      for (int i = 0; i < parts.length; i++) {
        args[i] = sample(parts[i].getGenericType(), s);
        types[i] = parts[i].getType();
      }
      Constructor<?> canonical = c.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      try {
        return canonical.newInstance(args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        if (s.nulls) { // this record requires its arrays: build it with them
          return sample(type, new Samples(false));
        }
        throw new IllegalStateException("cannot build a sample " + c.getName(), e.getCause());
      }
    }
    throw new IllegalArgumentException("no sample for " + type + ": teach KvSerializationTest.sample");
  }

  /** Records component by component, lists element by element, byte arrays by contents. */
  static void assertDeepEquals(String path, Object expected, Object actual) {
    if (expected == null || actual == null) {
      assertThat(actual).as(path).isEqualTo(expected);
    } else if (expected instanceof byte[] e) {
      assertThat(actual).as(path).isInstanceOf(byte[].class);
      if (!Arrays.equals(e, (byte[]) actual)) {
        fail(path + ": expected bytes " + Arrays.toString(e) + " but got " + Arrays.toString((byte[]) actual));
      }
    } else if (expected instanceof List<?> e) {
      assertThat(actual).as(path).isInstanceOf(List.class);
      List<?> a = (List<?>) actual;
      assertThat(a).as(path + ".size").hasSize(e.size());
      for (int i = 0; i < e.size(); i++) {
        assertDeepEquals(path + "[" + i + "]", e.get(i), a.get(i));
      }
    } else if (expected.getClass().isRecord()) {
      assertThat(actual).as(path).isInstanceOf(expected.getClass());
      for (RecordComponent rc : expected.getClass().getRecordComponents()) {
        try {
          rc.getAccessor().setAccessible(true);
          assertDeepEquals(path + "." + rc.getName(), rc.getAccessor().invoke(expected),
              rc.getAccessor().invoke(actual));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }
}
