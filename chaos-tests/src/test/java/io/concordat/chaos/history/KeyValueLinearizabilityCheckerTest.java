package io.concordat.chaos.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueResult;
import io.concordat.chaos.history.KeyValueLinearizabilityChecker.Finding;
import io.concordat.chaos.history.KeyValueLinearizabilityChecker.Verdict;
import io.concordat.common.Bytes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyValueLinearizabilityCheckerTest {
    private static final Bytes KEY = Bytes.ofUtf8("k");

    @Test
    void concurrentWritesAndReadsThatFitOneOrderAreLinearizable() {
        // Two overlapping puts; the reads show b won, so put(a) took effect first.
        Verdict verdict = KeyValueLinearizabilityChecker.check(List.of(
                ack(0, put("a"), 0, 10, ok(null)),
                ack(1, put("b"), 2, 12, ok("a")),
                ack(2, get(), 5, 15, ok("b")),
                ack(0, cas("b", "c"), 20, 30, ok(null)),
                ack(1, cas("b", "d"), 21, 31, failed("c")),
                ack(2, delete(), 40, 50, ok("c")),
                ack(0, get(), 60, 70, notFound())));

        assertTrue(verdict.linearizable(), verdict.violations()::toString);
        assertEquals(7, verdict.operations());
    }

    @Test
    void aReadOfAValueOverwrittenBeforeTheReadBeganIsNotLinearizable() {
        Verdict verdict = KeyValueLinearizabilityChecker.check(List.of(
                ack(0, put("a"), 0, 10, ok(null)),
                ack(0, put("b"), 20, 30, ok("a")),
                ack(1, get(), 40, 50, ok("a"))));

        assertFalse(verdict.linearizable());
        assertEquals(Finding.NOT_LINEARIZABLE, verdict.keys().get(0).finding());
        String explanation = verdict.violations().get(0);
        assertTrue(explanation.contains("blocked: client 1 get(k)"), explanation);
        assertTrue(explanation.contains("holding b"), explanation);
    }

    @Test
    void anAcknowledgedWriteThatDisappearsIsNotLinearizable() {
        // The lost-write shape a crash could produce: the put was acknowledged, the later read finds nothing.
        assertFalse(KeyValueLinearizabilityChecker.check(List.of(
                ack(0, put("a"), 0, 10, ok(null)),
                ack(1, get(), 20, 30, notFound()))).linearizable());
    }

    @Test
    void twoCompareAndSetsCannotBothSucceedFromTheSameValue() {
        assertFalse(KeyValueLinearizabilityChecker.check(List.of(
                ack(0, put("a"), 0, 10, ok(null)),
                ack(1, cas("a", "b"), 20, 40, ok(null)),
                ack(2, cas("a", "c"), 25, 45, ok(null)))).linearizable());
    }

    @Test
    void aWriteCannotBeSeenBeforeItWasInvoked() {
        assertFalse(KeyValueLinearizabilityChecker.check(List.of(
                ack(0, get(), 0, 10, ok("a")),
                ack(1, put("a"), 20, 30, ok(null)))).linearizable());
    }

    @Test
    void anUnknownWriteMayTakeEffectLateOrNever() {
        // put(a) timed out; it was observed long after its invocation, so it took effect late. put(x) also
        // timed out and was never seen: it never took effect, or nothing saw it.
        Verdict late = KeyValueLinearizabilityChecker.check(List.of(
                unknown(0, put("a"), 0),
                unknown(1, put("x"), 5),
                ack(2, get(), 20, 30, notFound()),
                ack(2, put("b"), 40, 50, ok(null)),
                ack(1, get(), 60, 70, ok("b")),
                ack(2, get(), 80, 90, ok("a"))));

        assertTrue(late.linearizable(), late.violations()::toString);
        assertEquals(1, late.keys().get(0).unknownLeftOut());
    }

    @Test
    void anUnknownWriteTakesEffectAtMostOnce() {
        assertFalse(KeyValueLinearizabilityChecker.check(List.of(
                ack(0, put("a"), 0, 10, ok(null)),
                unknown(1, put("b"), 20),
                ack(0, get(), 30, 40, ok("b")),
                ack(0, put("c"), 50, 60, ok("b")),
                ack(0, get(), 70, 80, ok("b")))).linearizable());
    }

    @Test
    void keysAreCheckedSeparately() {
        Bytes other = Bytes.ofUtf8("other");
        Verdict verdict = KeyValueLinearizabilityChecker.check(List.of(
                ack(0, put("a"), 0, 10, ok(null)),
                ack(0, new KeyValueOperation.Put(other, Bytes.ofUtf8("z")), 20, 30, ok(null)),
                ack(1, new KeyValueOperation.Get(other), 40, 50, notFound())));

        assertFalse(verdict.linearizable());
        assertEquals(List.of(Finding.LINEARIZABLE, Finding.NOT_LINEARIZABLE),
                verdict.keys().stream().map(KeyValueLinearizabilityChecker.KeyVerdict::finding).toList());
    }

    @Test
    void aSearchBeyondItsBudgetIsUndecidedNotLinearizable() {
        List<HistoryOperation> history = new ArrayList<>();
        for (int index = 0; index < 12; index++) {
            history.add(unknown(index, delete(), index));
            history.add(ack(index, put("v" + index), index, 1_000, ok(null)));
        }

        Verdict verdict = KeyValueLinearizabilityChecker.check(history, 5);

        assertFalse(verdict.linearizable());
        assertEquals(Finding.UNDECIDED, verdict.keys().get(0).finding());
    }

    @Test
    void repeatedWrittenValuesAndInvalidResultsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> KeyValueLinearizabilityChecker.check(List.of(
                ack(0, put("a"), 0, 10, ok(null)), ack(0, put("a"), 20, 30, ok("a")))));
        assertThrows(IllegalArgumentException.class, () -> KeyValueLinearizabilityChecker.check(List.of(
                ack(0, put("a"), 0, 10, KeyValueResult.invalid("no")))));
    }

    /**
     * Random small histories against an exhaustive search over every order and every choice of which unknown
     * operations took effect: correct histories (results from a real register at random moments inside each
     * operation's interval) must pass, and histories with one result altered must get the same verdict from
     * both.
     */
    @Test
    void agreesWithAnExhaustiveSearchOnRandomSmallHistories() {
        var random = new SplittableRandom(20_251_125L);
        int rejected = 0;
        for (int round = 0; round < 3_000; round++) {
            List<HistoryOperation> history = randomLinearizableHistory(random, 2 + random.nextInt(6));
            assertTrue(ExhaustiveSearch.linearizable(history), history::toString);
            assertTrue(KeyValueLinearizabilityChecker.check(history).linearizable(), history::toString);

            List<HistoryOperation> altered = alterOneResult(history, random);
            boolean expected = ExhaustiveSearch.linearizable(altered);
            assertEquals(expected, KeyValueLinearizabilityChecker.check(altered).linearizable(), altered::toString);
            rejected += expected ? 0 : 1;
        }
        assertTrue(rejected > 1_000, "only " + rejected + " altered histories were not linearizable");
    }

    private static List<HistoryOperation> randomLinearizableHistory(SplittableRandom random, int size) {
        record Planned(int client, KeyValueOperation operation, long invoked, long completed, long effect,
                boolean unknown, boolean takesEffect) {}
        List<Planned> planned = new ArrayList<>();
        List<String> written = new ArrayList<>();
        for (int index = 0; index < size; index++) {
            long invoked = random.nextInt(100);
            long completed = invoked + 1 + random.nextInt(30);
            boolean unknown = random.nextInt(5) == 0;
            boolean takesEffect = !unknown || random.nextBoolean();
            long effect = unknown ? invoked + random.nextInt(200) : invoked + random.nextLong(completed - invoked + 1);
            String value = "v" + index;
            KeyValueOperation operation = switch (random.nextInt(4)) {
                case 0 -> put(value);
                case 1 -> get();
                case 2 -> random.nextInt(3) == 0 ? delete()
                        : cas(written.isEmpty() || random.nextInt(4) == 0 ? null
                                : written.get(random.nextInt(written.size())), value);
                default -> cas(written.isEmpty() ? null : written.get(random.nextInt(written.size())), value);
            };
            if (operation instanceof KeyValueOperation.Put || operation instanceof KeyValueOperation.CompareAndSet) {
                written.add(value);
            }
            planned.add(new Planned(random.nextInt(3), operation, invoked, completed, effect, unknown, takesEffect));
        }
        Map<Planned, KeyValueResult> results = new HashMap<>();
        Register register = new Register();
        planned.stream().filter(Planned::takesEffect).sorted(Comparator.comparingLong(Planned::effect))
                .forEach(operation -> results.put(operation, register.apply(operation.operation())));
        List<HistoryOperation> history = new ArrayList<>();
        for (Planned operation : planned) {
            history.add(operation.unknown()
                    ? unknown(operation.client(), operation.operation(), operation.invoked())
                    : ack(operation.client(), operation.operation(), operation.invoked(), operation.completed(),
                            results.get(operation)));
        }
        return history;
    }

    private static List<HistoryOperation> alterOneResult(List<HistoryOperation> history, SplittableRandom random) {
        List<Integer> acknowledged = new ArrayList<>();
        for (int index = 0; index < history.size(); index++) {
            if (history.get(index).isAcknowledged()) {
                acknowledged.add(index);
            }
        }
        List<HistoryOperation> altered = new ArrayList<>(history);
        if (acknowledged.isEmpty()) {
            return altered;
        }
        int index = acknowledged.get(random.nextInt(acknowledged.size()));
        HistoryOperation original = history.get(index);
        var acknowledgement = (HistoryOperation.Acknowledged) original.outcome();
        KeyValueResult result = acknowledgement.result();
        Optional<Bytes> otherValue = Optional.of(Bytes.ofUtf8("v" + random.nextInt(history.size())))
                .filter(value -> !value.equals(result.value().orElse(null)));
        KeyValueResult changed = switch (result.status()) {
            case OK -> otherValue.isPresent() && random.nextBoolean() ? KeyValueResult.ok(otherValue)
                    : original.operation() instanceof KeyValueOperation.Put ? KeyValueResult.ok(Optional.empty())
                    : KeyValueResult.notFound();
            default -> KeyValueResult.ok(otherValue);
        };
        if (original.operation() instanceof KeyValueOperation.CompareAndSet
                && changed.status() == KeyValueResult.Status.OK) {
            changed = KeyValueResult.compareFailed(otherValue);
        }
        altered.set(index, ack(original.client(), original.operation(), original.invokedNanos(),
                acknowledgement.completedNanos(), changed));
        return altered;
    }

    /** Every subset of the unknown operations, in every order that respects real time. */
    private static final class ExhaustiveSearch {
        static boolean linearizable(List<HistoryOperation> history) {
            List<Integer> unknown = new ArrayList<>();
            for (int index = 0; index < history.size(); index++) {
                if (!history.get(index).isAcknowledged()) {
                    unknown.add(index);
                }
            }
            for (int subset = 0; subset < 1 << unknown.size(); subset++) {
                List<Integer> included = new ArrayList<>();
                for (int index = 0; index < history.size(); index++) {
                    int position = unknown.indexOf(index);
                    if (position < 0 || (subset & 1 << position) != 0) {
                        included.add(index);
                    }
                }
                if (anyOrder(history, new ArrayList<>(), included)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean anyOrder(List<HistoryOperation> history, List<Integer> order, List<Integer> left) {
            if (left.isEmpty()) {
                return replays(history, order);
            }
            for (int candidate : left) {
                boolean mustWait = left.stream().anyMatch(other -> other != candidate
                        && completesBefore(history.get(other), history.get(candidate)));
                if (mustWait) {
                    continue;
                }
                List<Integer> rest = new ArrayList<>(left);
                rest.remove(Integer.valueOf(candidate));
                order.add(candidate);
                if (anyOrder(history, order, rest)) {
                    return true;
                }
                order.remove(order.size() - 1);
            }
            return false;
        }

        private static boolean completesBefore(HistoryOperation first, HistoryOperation second) {
            return first.outcome() instanceof HistoryOperation.Acknowledged acknowledged
                    && acknowledged.completedNanos() < second.invokedNanos();
        }

        private static boolean replays(List<HistoryOperation> history, List<Integer> order) {
            Register register = new Register();
            for (int index : order) {
                HistoryOperation operation = history.get(index);
                KeyValueResult result = register.apply(operation.operation());
                if (operation.isAcknowledged() && !result.equals(operation.result())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The reference semantics of one key of KeyValueStore. */
    private static final class Register {
        private Optional<Bytes> value = Optional.empty();

        KeyValueResult apply(KeyValueOperation operation) {
            if (operation instanceof KeyValueOperation.Put put) {
                Optional<Bytes> previous = value;
                value = Optional.of(put.value());
                return KeyValueResult.ok(previous);
            }
            if (operation instanceof KeyValueOperation.Get) {
                return value.map(present -> KeyValueResult.ok(Optional.of(present))).orElse(KeyValueResult.notFound());
            }
            if (operation instanceof KeyValueOperation.Delete) {
                Optional<Bytes> previous = value;
                value = Optional.empty();
                return previous.isPresent() ? KeyValueResult.ok(previous) : KeyValueResult.notFound();
            }
            var compareAndSet = (KeyValueOperation.CompareAndSet) operation;
            if (!value.equals(compareAndSet.expectedValue())) {
                return KeyValueResult.compareFailed(value);
            }
            value = Optional.of(compareAndSet.newValue());
            return KeyValueResult.ok(Optional.empty());
        }
    }

    // ---------------------------------------------------------------------------------------------- builders

    private static KeyValueOperation put(String value) {
        return new KeyValueOperation.Put(KEY, Bytes.ofUtf8(value));
    }

    private static KeyValueOperation get() {
        return new KeyValueOperation.Get(KEY);
    }

    private static KeyValueOperation delete() {
        return new KeyValueOperation.Delete(KEY);
    }

    private static KeyValueOperation cas(String expected, String value) {
        return new KeyValueOperation.CompareAndSet(KEY, Optional.ofNullable(expected).map(Bytes::ofUtf8),
                Bytes.ofUtf8(value));
    }

    private static KeyValueResult ok(String value) {
        return KeyValueResult.ok(Optional.ofNullable(value).map(Bytes::ofUtf8));
    }

    private static KeyValueResult notFound() {
        return KeyValueResult.notFound();
    }

    private static KeyValueResult failed(String current) {
        return KeyValueResult.compareFailed(Optional.ofNullable(current).map(Bytes::ofUtf8));
    }

    private static HistoryOperation ack(int client, KeyValueOperation operation, long invoked, long completed,
            KeyValueResult result) {
        return HistoryOperation.acknowledged(client, operation, invoked, completed, result);
    }

    private static HistoryOperation unknown(int client, KeyValueOperation operation, long invoked) {
        return HistoryOperation.unknown(client, operation, invoked, "timed out");
    }
}
