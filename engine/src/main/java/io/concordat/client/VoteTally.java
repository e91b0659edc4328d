package io.concordat.client;

import io.concordat.common.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The replies to one request in one phase (read-only or ordered), one answer per replica. A valid reply is
 * final: a replica votes once, so a faulty replica cannot vote twice by answering again. Any other answer
 * is replaced by the replica's next one. Not thread-safe: the client's event loop owns it.
 */
final class VoteTally {
    private static final String BAD_AUTHENTICATOR = "bad authenticator";

    private final int replicaCount;
    private final int needed;
    private final Map<Integer, ReplicaAnswer> answers = new TreeMap<>();

    VoteTally(int replicaCount, int needed) {
        this.replicaCount = replicaCount;
        this.needed = needed;
    }

    int needed() {
        return needed;
    }

    void record(int replicaId, ReplicaAnswer answer) {
        if (!(answers.get(replicaId) instanceof ReplicaAnswer.Valid)) {
            answers.put(replicaId, answer);
        }
    }

    boolean hasValidReply(int replicaId) {
        return answers.get(replicaId) instanceof ReplicaAnswer.Valid;
    }

    /** The result that {@code needed} replicas sent, if one has that many. */
    Optional<Bytes> agreed() {
        for (Map.Entry<Bytes, Set<Integer>> group : validGroups().entrySet()) {
            if (group.getValue().size() >= needed) {
                return Optional.of(group.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether some result can still reach {@code needed} votes if every replica that has not answered yet
     * sends it. Only meaningful in a phase that is sent once (read-only), where every answer is final.
     */
    boolean canStillAgree() {
        int largest = validGroups().values().stream().mapToInt(Set::size).max().orElse(0);
        return largest + (replicaCount - answers.size()) >= needed;
    }

    /**
     * The refusals that {@code threshold} replicas agree on and that retransmitting cannot change, such as
     * f+1 replicas saying 409 stale request; described for an error message.
     */
    Optional<String> permanentRefusal(int threshold) {
        Map<String, Set<Integer>> groups = new TreeMap<>();
        for (Map.Entry<Integer, ReplicaAnswer> entry : answers.entrySet()) {
            if (entry.getValue() instanceof ReplicaAnswer.Refused refused && refused.permanent()) {
                groups.computeIfAbsent(refusalLabel(refused), label -> new TreeSet<>()).add(entry.getKey());
            }
        }
        for (Map.Entry<String, Set<Integer>> group : groups.entrySet()) {
            if (group.getValue().size() >= threshold) {
                return Optional.of(describe());
            }
        }
        return Optional.empty();
    }

    /**
     * For example {@code 1 matching reply of 2 needed (replicas [0]); replicas [2,3] did not answer;
     * replica 1 sent a reply with a bad authenticator}.
     */
    String describe() {
        Map<Bytes, Set<Integer>> groups = validGroups();
        Set<Integer> best = groups.values().stream().max((left, right) -> Integer.compare(left.size(), right.size()))
                .orElse(Set.of());
        List<String> parts = new ArrayList<>();
        parts.add(best.size() + " matching " + (best.size() == 1 ? "reply" : "replies") + " of " + needed
                + " needed" + (best.isEmpty() ? "" : " (replicas " + list(best) + ")"));
        Set<Integer> different = new TreeSet<>();
        groups.values().stream().filter(group -> group != best).forEach(different::addAll);
        if (!different.isEmpty()) {
            parts.add(who(different) + " sent " + (different.size() == 1 ? "a different result" : "different results"));
        }
        Set<Integer> silent = new TreeSet<>();
        for (int replicaId = 0; replicaId < replicaCount; replicaId++) {
            if (!answers.containsKey(replicaId)) {
                silent.add(replicaId);
            }
        }
        if (!silent.isEmpty()) {
            parts.add(who(silent) + " did not answer");
        }
        describeFailures(parts);
        return String.join("; ", parts);
    }

    private void describeFailures(List<String> parts) {
        Map<String, Set<Integer>> failures = new LinkedHashMap<>();
        for (Map.Entry<Integer, ReplicaAnswer> entry : answers.entrySet()) {
            String label = failureLabel(entry.getValue());
            if (!label.isEmpty()) {
                failures.computeIfAbsent(label, key -> new TreeSet<>()).add(entry.getKey());
            }
        }
        for (Map.Entry<String, Set<Integer>> failure : failures.entrySet()) {
            Set<Integer> replicas = failure.getValue();
            String label = failure.getKey();
            if (label.equals(BAD_AUTHENTICATOR)) {
                parts.add(who(replicas) + (replicas.size() == 1 ? " sent a reply with a bad authenticator"
                        : " sent replies with bad authenticators"));
            } else {
                parts.add(who(replicas) + " " + label);
            }
        }
    }

    private static String failureLabel(ReplicaAnswer answer) {
        if (answer instanceof ReplicaAnswer.BadAuthenticator) {
            return BAD_AUTHENTICATOR;
        }
        if (answer instanceof ReplicaAnswer.InvalidReply invalid) {
            return "sent an invalid reply (" + invalid.detail() + ")";
        }
        if (answer instanceof ReplicaAnswer.Refused refused) {
            return "answered " + refusalLabel(refused) + (refused.detail().isEmpty() ? "" : " (" + refused.detail() + ")");
        }
        if (answer instanceof ReplicaAnswer.Unreachable unreachable) {
            return "did not answer (" + unreachable.detail() + ")";
        }
        return "";
    }

    private static String refusalLabel(ReplicaAnswer.Refused refused) {
        return refused.httpStatus() + (refused.errorCode().isEmpty() ? "" : " " + refused.errorCode());
    }

    /** Valid replies grouped by result, in order of the lowest replica id in each group. */
    private Map<Bytes, Set<Integer>> validGroups() {
        Map<Bytes, Set<Integer>> groups = new LinkedHashMap<>();
        for (Map.Entry<Integer, ReplicaAnswer> entry : answers.entrySet()) {
            if (entry.getValue() instanceof ReplicaAnswer.Valid valid) {
                groups.computeIfAbsent(valid.result(), result -> new TreeSet<>()).add(entry.getKey());
            }
        }
        return groups;
    }

    private static String who(Set<Integer> replicas) {
        return replicas.size() == 1 ? "replica " + replicas.iterator().next() : "replicas " + list(replicas);
    }

    private static String list(Set<Integer> replicas) {
        return replicas.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }
}
