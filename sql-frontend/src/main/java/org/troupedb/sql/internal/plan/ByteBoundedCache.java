package org.troupedb.sql.internal.plan;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A concurrent map bounded by the estimated bytes of its entries, not by their number: a
 * thousand small point-query plans cost what one plan of a forty-table join costs. Past the
 * bound it evicts in CLOCK order (insertion order, with a second chance for an entry read since
 * it was last passed over), so the hot statements stay.
 *
 * <p>NB: the bound is on the estimates it is given ({@link #planWeight} for plans).
 */
public final class ByteBoundedCache<K, V> {
  private static final class Entry<V> {
    final V value;
    volatile long weight;
    volatile boolean used;

    Entry(V value, long weight) {
      this.value = value;
      this.weight = weight;
    }
  }

  private final long capBytes;
  private final Map<K, Entry<V>> map = new ConcurrentHashMap<>();
  /** Keys in insertion order (a key may appear again after a second chance, or stale after removal). */
  private final ConcurrentLinkedQueue<K> clock = new ConcurrentLinkedQueue<>();
  private final AtomicLong bytes = new AtomicLong();
  private final BiFunction<? super K, ? super V, Long> weigher;

  /** {@code weigher}: the estimated bytes of an entry, key (usually a statement's text) and value. */
  public ByteBoundedCache(long capBytes, BiFunction<? super K, ? super V, Long> weigher) {
    this.capBytes = capBytes;
    this.weigher = weigher;
  }

  public V get(K key) {
    Entry<V> e = map.get(key);
    if (e == null) {
      return null;
    }
    e.used = true;
    return e.value;
  }

  /** Puts {@code value} unless {@code key} is present; the value present before, or null. */
  public V putIfAbsent(K key, V value) {
    Entry<V> mine = new Entry<>(value, weigher.apply(key, value));
    Entry<V> old = map.putIfAbsent(key, mine);
    if (old != null) {
      old.used = true;
      return old.value;
    }
    clock.add(key);
    bytes.addAndGet(mine.weight);
    evict();
    return null;
  }

  /** Puts {@code value}, replacing any. */
  public void put(K key, V value) {
    Entry<V> mine = new Entry<>(value, weigher.apply(key, value));
    Entry<V> old = map.put(key, mine);
    if (old != null) {
      bytes.addAndGet(-old.weight);
    } else {
      clock.add(key);
    }
    bytes.addAndGet(mine.weight);
    evict();
  }

  /** Weighs {@code key}'s value again (a plan future that has completed). */
  public void reweigh(K key) {
    Entry<V> e = map.get(key);
    if (e != null) {
      long w = weigher.apply(key, e.value);
      bytes.addAndGet(w - e.weight);
      e.weight = w;
      evict();
    }
  }

  public void remove(K key, V value) {
    Entry<V> e = map.get(key);
    if (e != null && e.value == value && map.remove(key, e)) {
      bytes.addAndGet(-e.weight);
    }
  }

  public void clear() {
    for (K k : map.keySet()) {
      Entry<V> e = map.remove(k);
      if (e != null) {
        bytes.addAndGet(-e.weight);
      }
    }
    clock.clear();
  }

  /** Estimated bytes held. */
  public long bytes() {
    return bytes.get();
  }

  public int size() {
    return map.size();
  }

  public long capBytes() {
    return capBytes;
  }

  /** Drops entries, oldest first (second chance for the recently read), until within the cap. */
  private void evict() {
    int budget = 2 * map.size() + 16; // bounded: each entry is passed over at most twice
    while (bytes.get() > capBytes && budget-- > 0) {
      K k = clock.poll();
      if (k == null) {
        return;
      }
      Entry<V> e = map.get(k);
      if (e == null) {
        continue; // removed already
      }
      if (e.used) {
        e.used = false;
        clock.add(k);
      } else if (map.remove(k, e)) {
        bytes.addAndGet(-e.weight);
      }
    }
  }

  /**
   * Estimated bytes of a planned query: 8 KiB for the generated plan object and its Calcite
   * row type, the texts (the key's SQL, the EXPLAIN the plan keeps, 2 bytes a character each, and
   * as much again for the plan's parts in proportion), per column and per generated-code constant.
   */
  public static long planWeight(String sql, QueryPlanner.Plan plan) {
    return 8192 + 2L * sql.length() + (plan == null ? 0 : 4L * plan.explain().length()
        + 256L * plan.columns().size() + 512L * plan.internals().size());
  }
}
