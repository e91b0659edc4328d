package io.concordat.chaos.history;

import io.concordat.app.kv.KeyValueResult;
import io.concordat.common.Bytes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Linearizability of a client history of the reference key-value store, from the history alone: no agreed
 * log, no replica state. It looks for an order of the operations that respects real time (an operation that
 * completed before another was invoked comes first) and in which every acknowledged result is what the store
 * returns (Wing and Gong's search with Lowe's memoisation of visited configurations, as in Knossos and
 * Porcupine).
 *
 * <p>Keys are independent, so each key's sub-history is checked on its own (linearizability is local, Herlihy
 * and Wing). Written values (put values and compare-and-set new values) must be unique per key, which keeps
 * the search small: a value read identifies the one write that produced it.
 *
 * <p>An operation whose outcome is unknown (it timed out or failed) may take effect at any moment after its
 * invocation, or never: its completion is taken to be infinitely late and its result unconstrained. Unknown
 * gets change nothing and are left out; so is an unknown put or compare-and-set whose value no operation ever
 * observed (no result contains it and no compare-and-set expects it), because if it took effect only other
 * unknown operations came between it and the next write, and leaving it out changes no acknowledged result.
 */
public final class KeyValueLinearizabilityChecker {
    /** Search steps per key before the checker gives up and says it could not decide. */
    public static final long DEFAULT_STEP_BUDGET = 50_000_000L;
    private static final int ABSENT = 0;
    private static final int IMPOSSIBLE = -1;
    private static final int LISTED_MAX = 12;

    /** What the search found for one key. */
    public enum Finding { LINEARIZABLE, NOT_LINEARIZABLE, UNDECIDED }

    /**
     * The verdict for one key.
     *
     * @param operations operations in the key's sub-history, unknown ones included
     * @param unknownLeftOut unknown operations left out as unobservable (see the class comment)
     * @param steps search steps taken
     * @param explanation for a key that is not linearizable or undecided: where the search got stuck
     */
    public record KeyVerdict(Bytes key, Finding finding, int operations, int unknownLeftOut, long steps,
            String explanation) {}

    /** The verdict for a whole history: linearizable only if every key is. */
    public record Verdict(List<KeyVerdict> keys) {
        public Verdict {
            keys = List.copyOf(keys);
        }

        public boolean linearizable() {
            return keys.stream().allMatch(key -> key.finding() == Finding.LINEARIZABLE);
        }

        /** One explanation per key that is not linearizable or undecided. */
        public List<String> violations() {
            return keys.stream().filter(key -> key.finding() != Finding.LINEARIZABLE).map(KeyVerdict::explanation)
                    .toList();
        }

        public int operations() {
            return keys.stream().mapToInt(KeyVerdict::operations).sum();
        }

        public long steps() {
            return keys.stream().mapToLong(KeyVerdict::steps).sum();
        }

        @Override
        public String toString() {
            return (linearizable() ? "linearizable" : "NOT linearizable") + ": " + keys.size() + " keys, "
                    + operations() + " operations, " + steps() + " search steps";
        }
    }

    private KeyValueLinearizabilityChecker() {}

    public static Verdict check(List<HistoryOperation> history) {
        return check(history, DEFAULT_STEP_BUDGET);
    }

    /**
     * @throws IllegalArgumentException if a written value repeats on a key, or an acknowledged result is
     *     INVALID (the store refused the operation: a bug in whoever built the history, not a finding)
     */
    public static Verdict check(List<HistoryOperation> history, long stepBudgetPerKey) {
        long origin = history.stream().mapToLong(HistoryOperation::invokedNanos).min().orElse(0);
        Map<Bytes, List<HistoryOperation>> byKey = new LinkedHashMap<>();
        for (HistoryOperation operation : history) {
            if (operation.outcome() instanceof HistoryOperation.Acknowledged acknowledged
                    && acknowledged.result().status() == KeyValueResult.Status.INVALID) {
                throw new IllegalArgumentException("an INVALID result is not a history to check: " + operation);
            }
            byKey.computeIfAbsent(operation.operation().key(), key -> new ArrayList<>()).add(operation);
        }
        List<KeyVerdict> verdicts = new ArrayList<>();
        for (Map.Entry<Bytes, List<HistoryOperation>> key : byKey.entrySet()) {
            verdicts.add(new KeySearch(key.getKey(), key.getValue(), origin, stepBudgetPerKey).run());
        }
        return new Verdict(verdicts);
    }

    /** The search over one key's operations. */
    private static final class KeySearch {
        private final Bytes key;
        private final int operationsInHistory;
        private final long origin;
        private final long stepBudget;
        private final List<HistoryOperation> operations;
        private final int unknownLeftOut;
        private final Map<Bytes, Integer> valueIds = new HashMap<>();
        private final List<Bytes> valuesById = new ArrayList<>();
        /** Per operation: the state it moves a given state to, or IMPOSSIBLE. */
        private final Transition[] transitions;
        /** The entries (calls 0..n-1, returns n..2n-1) as a doubly linked list in time order; head is 2n. */
        private final int[] next;
        private final int[] previous;
        private final int head;

        KeySearch(Bytes key, List<HistoryOperation> all, long origin, long stepBudget) {
            this.key = key;
            this.operationsInHistory = all.size();
            this.origin = origin;
            this.stepBudget = stepBudget;
            valuesById.add(null);
            requireUniqueWrites(key, all);
            Set<Bytes> observed = observedValues(all);
            List<HistoryOperation> kept = new ArrayList<>();
            for (HistoryOperation operation : all) {
                if (operation.isAcknowledged() || !unobservable(operation, observed)) {
                    kept.add(operation);
                }
            }
            this.operations = kept;
            this.unknownLeftOut = all.size() - kept.size();
            int count = kept.size();
            this.transitions = new Transition[count];
            for (int index = 0; index < count; index++) {
                transitions[index] = transition(kept.get(index));
            }
            this.head = 2 * count;
            this.next = new int[2 * count + 1];
            this.previous = new int[2 * count + 1];
            link();
        }

        KeyVerdict run() {
            int count = operations.size();
            BitSet linearized = new BitSet(count);
            Set<Memo> visited = new HashSet<>();
            Deque<int[]> stack = new ArrayDeque<>();
            int state = ABSENT;
            int entry = next[head];
            long steps = 0;
            Stuck stuck = null;
            while (next[head] != head) {
                if (++steps > stepBudget) {
                    return verdict(Finding.UNDECIDED, steps, "key " + key.toUtf8() + ": undecided after " + steps
                            + " search steps over " + count + " operations; raise the step budget");
                }
                if (entry < count) {
                    int after = transitions[entry].apply(state);
                    if (after != IMPOSSIBLE) {
                        BitSet with = (BitSet) linearized.clone();
                        with.set(entry);
                        if (visited.add(new Memo(with, after))) {
                            stack.push(new int[] {entry, state});
                            state = after;
                            linearized.set(entry);
                            lift(entry);
                            entry = next[head];
                            continue;
                        }
                    }
                    entry = next[entry];
                } else {
                    if (stuck == null || stack.size() > stuck.prefix().size()) {
                        stuck = new Stuck(prefixOf(stack), entry - count, state);
                    }
                    if (stack.isEmpty()) {
                        return verdict(Finding.NOT_LINEARIZABLE, steps, explain(stuck));
                    }
                    int[] top = stack.pop();
                    state = top[1];
                    linearized.clear(top[0]);
                    unlift(top[0]);
                    entry = next[top[0]];
                }
            }
            return verdict(Finding.LINEARIZABLE, steps, "");
        }

        private KeyVerdict verdict(Finding finding, long steps, String explanation) {
            return new KeyVerdict(key, finding, operationsInHistory, unknownLeftOut, steps, explanation);
        }

        // ------------------------------------------------------------------ the list of call and return entries

        private void link() {
            int count = operations.size();
            Integer[] entries = new Integer[2 * count];
            for (int index = 0; index < 2 * count; index++) {
                entries[index] = index;
            }
            // Calls before returns at the same instant: equal readings are treated as concurrent, the lenient
            // reading, so a tie never makes a history fail.
            Arrays.sort(entries, Comparator.<Integer>comparingLong(this::timeOf)
                    .thenComparingInt(entryIndex -> entryIndex < count ? 0 : 1)
                    .thenComparingInt(entryIndex -> entryIndex));
            int last = head;
            for (int entryIndex : entries) {
                next[last] = entryIndex;
                previous[entryIndex] = last;
                last = entryIndex;
            }
            next[last] = head;
            previous[head] = last;
        }

        private long timeOf(int entry) {
            int count = operations.size();
            if (entry < count) {
                return operations.get(entry).invokedNanos();
            }
            HistoryOperation operation = operations.get(entry - count);
            return operation.outcome() instanceof HistoryOperation.Acknowledged acknowledged
                    ? acknowledged.completedNanos() : Long.MAX_VALUE;
        }

        private void lift(int call) {
            remove(call);
            remove(call + operations.size());
        }

        private void unlift(int call) {
            restore(call + operations.size());
            restore(call);
        }

        private void remove(int entry) {
            next[previous[entry]] = next[entry];
            previous[next[entry]] = previous[entry];
        }

        private void restore(int entry) {
            next[previous[entry]] = entry;
            previous[next[entry]] = entry;
        }

        // ------------------------------------------------------------------ the register model

        private Transition transition(HistoryOperation operation) {
            KeyValueOperation asked = operation.operation();
            Optional<KeyValueResult> result = operation.outcome() instanceof HistoryOperation.Acknowledged acknowledged
                    ? Optional.of(acknowledged.result()) : Optional.empty();
            if (asked instanceof KeyValueOperation.Put put) {
                int written = id(Optional.of(put.value()));
                if (result.isEmpty()) {
                    return state -> written;
                }
                if (result.get().status() != KeyValueResult.Status.OK) {
                    return state -> IMPOSSIBLE;
                }
                int previousValue = id(result.get().value());
                return state -> state == previousValue ? written : IMPOSSIBLE;
            }
            if (asked instanceof KeyValueOperation.Get) {
                KeyValueResult read = result.orElseThrow();
                int seen = id(read.value());
                return switch (read.status()) {
                    case OK -> state -> state == seen && seen != ABSENT ? state : IMPOSSIBLE;
                    case NOT_FOUND -> state -> state == ABSENT ? state : IMPOSSIBLE;
                    default -> state -> IMPOSSIBLE;
                };
            }
            if (asked instanceof KeyValueOperation.Delete) {
                if (result.isEmpty()) {
                    return state -> ABSENT;
                }
                int removed = id(result.get().value());
                return switch (result.get().status()) {
                    case OK -> state -> state == removed && removed != ABSENT ? ABSENT : IMPOSSIBLE;
                    case NOT_FOUND -> state -> state == ABSENT ? ABSENT : IMPOSSIBLE;
                    default -> state -> IMPOSSIBLE;
                };
            }
            var compareAndSet = (KeyValueOperation.CompareAndSet) asked;
            int expected = id(compareAndSet.expectedValue());
            int written = id(Optional.of(compareAndSet.newValue()));
            if (result.isEmpty()) {
                return state -> state == expected ? written : state;
            }
            int current = id(result.get().value());
            return switch (result.get().status()) {
                case OK -> state -> state == expected ? written : IMPOSSIBLE;
                case COMPARE_FAILED -> state -> state == current && current != expected ? state : IMPOSSIBLE;
                default -> state -> IMPOSSIBLE;
            };
        }

        private int id(Optional<Bytes> value) {
            if (value.isEmpty()) {
                return ABSENT;
            }
            return valueIds.computeIfAbsent(value.get(), present -> {
                valuesById.add(present);
                return valuesById.size() - 1;
            });
        }

        private static void requireUniqueWrites(Bytes key, List<HistoryOperation> all) {
            Set<Bytes> written = new HashSet<>();
            for (HistoryOperation operation : all) {
                writtenValue(operation.operation()).ifPresent(value -> {
                    if (!written.add(value)) {
                        throw new IllegalArgumentException("value " + value.toUtf8() + " is written more than once to"
                                + " key " + key.toUtf8() + "; the checker needs unique written values per key");
                    }
                });
            }
        }

        private static Optional<Bytes> writtenValue(KeyValueOperation operation) {
            if (operation instanceof KeyValueOperation.Put put) {
                return Optional.of(put.value());
            }
            if (operation instanceof KeyValueOperation.CompareAndSet compareAndSet) {
                return Optional.of(compareAndSet.newValue());
            }
            return Optional.empty();
        }

        /** Every value some result contains or some compare-and-set expects. */
        private static Set<Bytes> observedValues(List<HistoryOperation> all) {
            Set<Bytes> observed = new HashSet<>();
            for (HistoryOperation operation : all) {
                if (operation.outcome() instanceof HistoryOperation.Acknowledged acknowledged) {
                    acknowledged.result().value().ifPresent(observed::add);
                }
                if (operation.operation() instanceof KeyValueOperation.CompareAndSet compareAndSet) {
                    compareAndSet.expectedValue().ifPresent(observed::add);
                }
            }
            return observed;
        }

        private static boolean unobservable(HistoryOperation unknown, Set<Bytes> observed) {
            KeyValueOperation operation = unknown.operation();
            if (operation instanceof KeyValueOperation.Get) {
                return true;
            }
            return writtenValue(operation).map(value -> !observed.contains(value)).orElse(false);
        }

        // ------------------------------------------------------------------ explaining a failure

        private record Memo(BitSet linearized, int state) {}

        /** The deepest point the search reached: the prefix it had placed and the completion it could not pass. */
        private record Stuck(List<Integer> prefix, int blocked, int state) {}

        private static List<Integer> prefixOf(Deque<int[]> stack) {
            List<Integer> prefix = new ArrayList<>();
            stack.descendingIterator().forEachRemaining(frame -> prefix.add(frame[0]));
            return prefix;
        }

        private String explain(Stuck stuck) {
            var text = new StringBuilder();
            text.append("key ").append(key.toUtf8()).append(": NOT linearizable (").append(operations.size())
                    .append(" operations checked, ").append(unknownLeftOut)
                    .append(" unobservable unknown ones left out).")
                    .append(" The longest order found places ").append(stuck.prefix().size())
                    .append(" operations and leaves the key ").append(describeState(stuck.state()))
                    .append("; then this operation completed, but it cannot take effect there, nor can any")
                    .append(" operation that may come before it:\n  blocked: ")
                    .append(describe(stuck.blocked())).append('\n');
            Set<Integer> placed = new HashSet<>(stuck.prefix());
            List<Integer> candidates = new ArrayList<>();
            long blockedCompletion = timeOf(stuck.blocked() + operations.size());
            for (int index = 0; index < operations.size(); index++) {
                if (!placed.contains(index) && index != stuck.blocked()
                        && operations.get(index).invokedNanos() <= blockedCompletion) {
                    candidates.add(index);
                }
            }
            candidates.stream().limit(LISTED_MAX).forEach(index -> text.append("  concurrent: ")
                    .append(describe(index)).append('\n'));
            if (candidates.size() > LISTED_MAX) {
                text.append("  ... and ").append(candidates.size() - LISTED_MAX).append(" more concurrent\n");
            }
            List<Integer> prefix = stuck.prefix();
            int from = Math.max(0, prefix.size() - LISTED_MAX);
            for (int position = from; position < prefix.size(); position++) {
                text.append("  placed #").append(position + 1).append(": ").append(describe(prefix.get(position)))
                        .append('\n');
            }
            return text.toString();
        }

        private String describeState(int state) {
            return state == ABSENT ? "absent" : "holding " + valuesById.get(state).toUtf8();
        }

        private String describe(int index) {
            HistoryOperation operation = operations.get(index);
            String ending = operation.outcome() instanceof HistoryOperation.Acknowledged acknowledged
                    ? "completed at " + millis(acknowledged.completedNanos()) + " with " + acknowledged.result()
                    : "outcome unknown (" + ((HistoryOperation.Unknown) operation.outcome()).reason() + ")";
            return "client " + operation.client() + " " + operation.operation() + " invoked at "
                    + millis(operation.invokedNanos()) + ", " + ending;
        }

        private String millis(long nanos) {
            return String.format("%.3f s", (nanos - origin) / 1e9);
        }
    }

    @FunctionalInterface
    private interface Transition {
        /** The state after the operation takes effect in {@code state}, or IMPOSSIBLE if its result forbids it. */
        int apply(int state);
    }
}
