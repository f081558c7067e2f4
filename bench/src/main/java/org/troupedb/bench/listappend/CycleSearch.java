package org.troupedb.bench.listappend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.troupedb.bench.listappend.DependencyGraph.EdgeType;

/**
 * Cycle search over a {@link DependencyGraph}: strongly connected components (Tarjan, iterative so
 * a long chain cannot overflow the stack) and short cycles inside one component, restricted to
 * some edge types. Knows nothing about anomaly names; {@link ListAppendChecker} classifies.
 *
 * <p>A shortest cycle is found by breadth-first search from a start node back to itself, which
 * gives the shortest cycle through that node. NB: in a large component only the first
 * {@link #MAX_STARTS} start nodes are tried, so the cycle reported is short, not always the
 * shortest. The search for a cycle with exactly one edge of a type (one search per such edge) is
 * the costly one: its steps count against {@link #MAX_VISITS}, after which it gives up and says
 * so ({@link #truncated()}).
 */
public final class CycleSearch {

  /** Start nodes tried per shortest-cycle search. */
  static final int MAX_STARTS = 64;
  /** Edge visits allowed for all {@link #shortCycleWithOne} searches of one checker run. */
  static final long MAX_VISITS = 50_000_000L;

  /** One edge of a cycle, with the dependency type that justifies it. */
  public record Step(int from, int to, EdgeType type) {}

  private final DependencyGraph graph;
  private final int n;
  private final int[] dist;
  private final int[] parent;
  private final int[] stamp;
  private int currentStamp;
  private long visits;
  private boolean truncated;

  public CycleSearch(DependencyGraph graph) {
    this.graph = graph;
    this.n = graph.size();
    this.dist = new int[n];
    this.parent = new int[n];
    this.stamp = new int[n];
  }

  /** Whether a {@link #shortCycleWithOne} search gave up early because of {@link #MAX_VISITS}. */
  public boolean truncated() {
    return truncated;
  }

  /**
   * Components of more than one node of the subgraph over {@code within} (null: all nodes) that
   * keeps the edges whose types are in {@code mask}.
   */
  public List<int[]> components(int[] within, int mask) {
    boolean[] allowed = new boolean[n];
    int[] nodes = within != null ? within : allNodes();
    for (int v : nodes) {
      allowed[v] = true;
    }
    int[] index = new int[n];
    int[] low = new int[n];
    boolean[] onStack = new boolean[n];
    Arrays.fill(index, -1);
    Deque<Integer> stack = new ArrayDeque<>();
    List<int[]> result = new ArrayList<>();
    int counter = 0;
    for (int root : nodes) {
      if (index[root] >= 0) {
        continue;
      }
      // Explicit DFS frames: node and an iterator over its allowed successors.
      Deque<int[]> frames = new ArrayDeque<>();
      Deque<int[]> succs = new ArrayDeque<>();
      index[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = true;
      frames.push(new int[] {root, 0});
      succs.push(successors(root, mask, allowed));
      while (!frames.isEmpty()) {
        int[] f = frames.peek();
        int[] s = succs.peek();
        int v = f[0];
        if (f[1] < s.length) {
          int w = s[f[1]++];
          if (index[w] < 0) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = true;
            frames.push(new int[] {w, 0});
            succs.push(successors(w, mask, allowed));
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
          continue;
        }
        frames.pop();
        succs.pop();
        if (!frames.isEmpty()) {
          int u = frames.peek()[0];
          low[u] = Math.min(low[u], low[v]);
        }
        if (low[v] == index[v]) {
          List<Integer> comp = new ArrayList<>();
          int w;
          do {
            w = stack.pop();
            onStack[w] = false;
            comp.add(w);
          } while (w != v);
          if (comp.size() > 1) {
            result.add(comp.stream().mapToInt(Integer::intValue).sorted().toArray());
          }
        }
      }
    }
    return result;
  }

  /** A short cycle inside {@code component} using only edges of {@code mask}, or null if none. */
  public List<Step> shortCycle(int[] component, int mask) {
    boolean[] allowed = membership(component);
    List<Step> best = null;
    int starts = 0;
    for (int s : component) {
      if (starts++ >= MAX_STARTS) {
        break;
      }
      List<Step> c = bfsPath(s, s, mask, allowed, best == null ? Integer.MAX_VALUE : best.size(), false);
      if (c != null && (best == null || c.size() < best.size())) {
        best = c;
        if (best.size() == 2) {
          break;
        }
      }
    }
    return best;
  }

  /**
   * A short cycle inside {@code component} with exactly one edge of type {@code once}, all others
   * of {@code otherMask} (which must not contain {@code once}); null if none found (or the budget
   * ran out: {@link #truncated()}).
   */
  public List<Step> shortCycleWithOne(int[] component, EdgeType once, int otherMask) {
    boolean[] allowed = membership(component);
    List<Step> best = null;
    for (int a : component) {
      for (Map.Entry<Integer, Integer> e : graph.edgesFrom(a).entrySet()) {
        int b = e.getKey();
        if ((e.getValue() & once.bit) == 0 || !allowed[b] || truncated) {
          continue;
        }
        List<Step> back = bfsPath(b, a, otherMask, allowed, best == null ? Integer.MAX_VALUE : best.size() - 1, true);
        if (back != null && (best == null || back.size() + 1 < best.size())) {
          best = new ArrayList<>();
          best.add(new Step(a, b, once));
          best.addAll(back);
          if (best.size() == 2) {
            return best;
          }
        }
      }
    }
    return best;
  }

  /**
   * Shortest path from {@code from} to {@code to} (a cycle when equal) over edges of {@code mask}
   * inside {@code allowed}, if shorter than {@code limit} steps; {@code budgeted} steps count
   * against {@link #MAX_VISITS}.
   */
  private List<Step> bfsPath(int from, int to, int mask, boolean[] allowed, int limit, boolean budgeted) {
    currentStamp++;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(from);
    stamp[from] = currentStamp;
    dist[from] = 0;
    parent[from] = -1;
    while (!queue.isEmpty()) {
      int u = queue.poll();
      if (dist[u] + 1 >= limit) {
        return null;
      }
      for (Map.Entry<Integer, Integer> e : graph.edgesFrom(u).entrySet()) {
        if (budgeted && ++visits > MAX_VISITS) {
          truncated = true;
          return null;
        }
        int w = e.getKey();
        if ((e.getValue() & mask) == 0 || !allowed[w]) {
          continue;
        }
        if (w == to) {
          List<Step> path = new ArrayList<>();
          path.add(new Step(u, w, preferred(e.getValue() & mask)));
          for (int v = u; parent[v] >= 0; v = parent[v]) {
            int p = parent[v];
            path.add(new Step(p, v, preferred(graph.edgesFrom(p).get(v) & mask)));
          }
          Collections.reverse(path);
          return path;
        }
        if (stamp[w] != currentStamp) {
          stamp[w] = currentStamp;
          dist[w] = dist[u] + 1;
          parent[w] = u;
          queue.add(w);
        }
      }
    }
    return null;
  }

  /** The type to show for an edge that has several: ww before wr before rw (the weakest claim). */
  private static EdgeType preferred(int mask) {
    for (EdgeType t : EdgeType.values()) {
      if ((mask & t.bit) != 0) {
        return t;
      }
    }
    throw new IllegalArgumentException("empty edge mask");
  }

  private int[] successors(int v, int mask, boolean[] allowed) {
    return graph.edgesFrom(v).entrySet().stream()
        .filter(e -> (e.getValue() & mask) != 0 && allowed[e.getKey()])
        .mapToInt(Map.Entry::getKey).sorted().toArray();
  }

  private boolean[] membership(int[] component) {
    boolean[] allowed = new boolean[n];
    for (int v : component) {
      allowed[v] = true;
    }
    return allowed;
  }

  private int[] allNodes() {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return all;
  }
}
