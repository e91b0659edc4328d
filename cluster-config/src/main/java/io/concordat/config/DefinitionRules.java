package io.concordat.config;

import io.concordat.crypto.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Every rule a cluster definition must satisfy, checked on drafts so that the file loader and the record
 * constructors share one set of rules and one wording. Checks that need a field the reader could not
 * read are skipped: that field already has its own problem.
 */
final class DefinitionRules {
    static final int PORT_MIN = 1;
    static final int PORT_MAX = 65_535;
    static final int NAME_LENGTH_MAX = 64;
    static final int FAULTS_TOLERATED_MAX = 1_000;
    static final int HOST_LENGTH_MAX = 253;
    static final Duration TICK_INTERVAL_MIN = Duration.ofMillis(1);
    static final Duration TICK_INTERVAL_MAX = Duration.ofSeconds(10);
    static final Duration DURATION_MAX = Duration.ofDays(1);

    /** The cluster name becomes the Pekko ActorSystem name, which every node of one Pekko cluster shares. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    /** Host names, IPv4 and IPv6 literals; no spaces, quotes or URL syntax. */
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9:][A-Za-z0-9._:%-]*");

    private DefinitionRules() {}

    static List<Problem> check(DefinitionDraft draft) {
        List<Problem> problems = new ArrayList<>();
        draft.name().ifPresent(name -> checkName(name, problems));
        draft.faultsTolerated().ifPresent(f -> checkFaultsTolerated(f, problems));
        draft.replicas().ifPresent(replicas -> checkReplicas(draft.faultsTolerated(), replicas, problems));
        problems.addAll(checkProtocol(draft.protocol()));
        checkClientKeys(draft.replicas().orElse(List.of()), draft.allowedClientKeys(), problems);
        return problems;
    }

    static List<Problem> checkProtocol(ProtocolDraft protocol) {
        List<Problem> problems = new ArrayList<>();
        protocol.checkpointInterval().ifPresent(value ->
                checkRange(Keys.protocol(Keys.CHECKPOINT_INTERVAL), value, 1, 1_000_000, problems));
        protocol.watermarkWindow().ifPresent(value ->
                checkRange(Keys.protocol(Keys.WATERMARK_WINDOW), value, 2, Integer.MAX_VALUE, problems));
        protocol.batchMaxRequests().ifPresent(value ->
                checkRange(Keys.protocol(Keys.BATCH_MAX_REQUESTS), value, 1, Integer.MAX_VALUE, problems));
        protocol.batchMaxBytes().ifPresent(value ->
                checkRange(Keys.protocol(Keys.BATCH_MAX_BYTES), value, 1, Integer.MAX_VALUE, problems));
        protocol.requestMaxBytes().ifPresent(value ->
                checkRange(Keys.protocol(Keys.REQUEST_MAX_BYTES), value, 1, Integer.MAX_VALUE, problems));
        protocol.pendingRequestsMax().ifPresent(value ->
                checkRange(Keys.protocol(Keys.PENDING_REQUESTS_MAX), value, 1, Integer.MAX_VALUE, problems));
        checkWatermarkWindow(protocol, problems);
        checkRequestFitsBatch(protocol, problems);
        checkDurations(protocol, problems);
        return problems;
    }

    static List<Problem> checkReplica(ReplicaDraft replica) {
        List<Problem> problems = new ArrayList<>();
        int index = replica.index();
        replica.id().ifPresent(id -> {
            if (id < 0) {
                problems.add(new Problem(Keys.replica(index, Keys.ID), "id " + id + " is negative"));
            }
        });
        replica.host().ifPresent(host -> checkHost(Keys.replica(index, Keys.HOST), host, problems));
        for (String key : Keys.PORT_KEYS) {
            replica.port(key).ifPresent(port -> {
                if (port < PORT_MIN || port > PORT_MAX) {
                    problems.add(new Problem(Keys.replica(index, key),
                            "port " + port + " is out of range " + PORT_MIN + ".." + PORT_MAX));
                }
            });
        }
        return problems;
    }

    private static void checkName(String name, List<Problem> problems) {
        String path = Keys.cluster(Keys.NAME);
        if (name.length() > NAME_LENGTH_MAX) {
            problems.add(new Problem(path, "name is " + name.length() + " characters, at most "
                    + NAME_LENGTH_MAX + " are allowed"));
        } else if (!NAME.matcher(name).matches()) {
            problems.add(new Problem(path, "name \"" + name + "\" must be letters, digits, '-' and '_', starting"
                    + " with a letter or digit (it becomes the Pekko ActorSystem name)"));
        }
    }

    private static void checkFaultsTolerated(long faultsTolerated, List<Problem> problems) {
        if (faultsTolerated < 1 || faultsTolerated > FAULTS_TOLERATED_MAX) {
            problems.add(new Problem(Keys.cluster(Keys.FAULTS_TOLERATED),
                    "f = " + faultsTolerated + " is out of range 1.." + FAULTS_TOLERATED_MAX));
        }
    }

    private static void checkHost(String path, String host, List<Problem> problems) {
        if (host.isEmpty()) {
            problems.add(new Problem(path, "host is empty"));
        } else if (host.length() > HOST_LENGTH_MAX || !HOST.matcher(host).matches()) {
            problems.add(new Problem(path, "\"" + host + "\" is not a host name or IP address"));
        }
    }

    private static void checkReplicas(OptionalLong faultsTolerated, List<ReplicaDraft> replicas,
            List<Problem> problems) {
        int count = replicas.size();
        faultsTolerated.ifPresent(f -> {
            long expected = 3 * f + 1;
            if (f >= 1 && f <= FAULTS_TOLERATED_MAX && count != expected) {
                problems.add(new Problem(Keys.replicas(), "f = " + f + " needs exactly n = 3f+1 = " + expected
                        + " replicas, found " + count));
            }
        });
        for (ReplicaDraft replica : replicas) {
            problems.addAll(checkReplica(replica));
            replica.id().ifPresent(id -> {
                if (id >= count) {
                    problems.add(new Problem(Keys.replica(replica.index(), Keys.ID), "id " + id
                            + " is out of range 0.." + (count - 1) + ": ids number the " + count
                            + " replicas from 0"));
                }
            });
        }
        checkDuplicateIds(replicas, problems);
        checkDuplicateEndpoints(replicas, problems);
        checkDuplicateKeys(replicas, problems);
    }

    private static void checkDuplicateIds(List<ReplicaDraft> replicas, List<Problem> problems) {
        Map<Long, Integer> firstIndexById = new HashMap<>();
        for (ReplicaDraft replica : replicas) {
            replica.id().ifPresent(id -> {
                Integer first = firstIndexById.putIfAbsent(id, replica.index());
                if (first != null) {
                    problems.add(new Problem(Keys.replica(replica.index(), Keys.ID),
                            "id " + id + " is already used by " + Keys.replica(first)));
                }
            });
        }
    }

    /** Two services on one host cannot listen on one port, whichever replicas or roles they belong to. */
    private static void checkDuplicateEndpoints(List<ReplicaDraft> replicas, List<Problem> problems) {
        Map<String, String> firstPathByEndpoint = new HashMap<>();
        for (ReplicaDraft replica : replicas) {
            if (replica.host().isEmpty()) {
                continue;
            }
            String host = replica.host().get().toLowerCase(Locale.ROOT);
            for (String key : Keys.PORT_KEYS) {
                OptionalLong port = replica.port(key);
                if (port.isEmpty()) {
                    continue;
                }
                String path = Keys.replica(replica.index(), key);
                String endpoint = host + ":" + port.getAsLong();
                String first = firstPathByEndpoint.putIfAbsent(endpoint, path);
                if (first != null) {
                    problems.add(new Problem(path, replica.host().get() + ":" + port.getAsLong()
                            + " is already used by " + first));
                }
            }
        }
    }

    private static void checkDuplicateKeys(List<ReplicaDraft> replicas, List<Problem> problems) {
        Map<PublicKey, Integer> firstIndexByKey = new HashMap<>();
        for (ReplicaDraft replica : replicas) {
            replica.publicKey().ifPresent(key -> {
                Integer first = firstIndexByKey.putIfAbsent(key, replica.index());
                if (first != null) {
                    problems.add(new Problem(Keys.replica(replica.index(), Keys.PUBLIC_KEY),
                            "the same public key as " + Keys.replica(first, Keys.PUBLIC_KEY)
                                    + "; every replica needs its own key pair"));
                }
            });
        }
    }

    private static void checkClientKeys(List<ReplicaDraft> replicas, List<Optional<PublicKey>> clientKeys,
            List<Problem> problems) {
        Map<PublicKey, Integer> replicaIndexByKey = new HashMap<>();
        for (ReplicaDraft replica : replicas) {
            replica.publicKey().ifPresent(key -> replicaIndexByKey.putIfAbsent(key, replica.index()));
        }
        Map<PublicKey, Integer> firstIndexByKey = new HashMap<>();
        for (int index = 0; index < clientKeys.size(); index++) {
            Optional<PublicKey> key = clientKeys.get(index);
            if (key.isEmpty()) {
                continue;
            }
            Integer first = firstIndexByKey.putIfAbsent(key.get(), index);
            if (first != null) {
                problems.add(new Problem(Keys.allowedClientKey(index),
                        "the same key as " + Keys.allowedClientKey(first) + " (listed twice)"));
            }
            Integer replicaIndex = replicaIndexByKey.get(key.get());
            if (replicaIndex != null) {
                problems.add(new Problem(Keys.allowedClientKey(index), "this is the public key of "
                        + Keys.replica(replicaIndex) + "; clients and replicas need separate key pairs"));
            }
        }
    }

    /** PBFT §4.3: L is a multiple of K, and at least 2K so the primary keeps ordering while a checkpoint becomes stable. */
    private static void checkWatermarkWindow(ProtocolDraft protocol, List<Problem> problems) {
        if (protocol.checkpointInterval().isEmpty() || protocol.watermarkWindow().isEmpty()) {
            return;
        }
        long checkpointInterval = protocol.checkpointInterval().getAsLong();
        long watermarkWindow = protocol.watermarkWindow().getAsLong();
        if (checkpointInterval < 1 || watermarkWindow < 1) {
            return;
        }
        if (watermarkWindow % checkpointInterval != 0 || watermarkWindow < 2 * checkpointInterval) {
            problems.add(new Problem(Keys.protocol(Keys.WATERMARK_WINDOW), "watermark-window " + watermarkWindow
                    + " must be a multiple of checkpoint-interval (" + checkpointInterval
                    + ") and at least twice it, e.g. " + 2 * checkpointInterval));
        }
    }

    private static void checkRequestFitsBatch(ProtocolDraft protocol, List<Problem> problems) {
        if (protocol.requestMaxBytes().isEmpty() || protocol.batchMaxBytes().isEmpty()) {
            return;
        }
        long requestMaxBytes = protocol.requestMaxBytes().getAsLong();
        long batchMaxBytes = protocol.batchMaxBytes().getAsLong();
        if (requestMaxBytes >= batchMaxBytes && batchMaxBytes > 0) {
            problems.add(new Problem(Keys.protocol(Keys.REQUEST_MAX_BYTES), "request-max-bytes " + requestMaxBytes
                    + " must be less than batch-max-bytes (" + batchMaxBytes
                    + "): a largest request and its signature must fit in one batch"));
        }
    }

    /**
     * Durations are bounded by a day, so that every one of them is a whole int number of ticks even at the
     * shortest tick-interval and renders back to HOCON exactly.
     */
    private static void checkDurations(ProtocolDraft protocol, List<Problem> problems) {
        Optional<Duration> tick = protocol.tickInterval();
        tick.ifPresent(value -> checkDuration(Keys.TICK_INTERVAL, value, TICK_INTERVAL_MIN, TICK_INTERVAL_MAX,
                problems));
        protocol.batchDelay().ifPresent(value -> checkDuration(Keys.BATCH_DELAY, value, Duration.ZERO, DURATION_MAX,
                problems));
        boolean tickUsable = tick.isPresent() && tick.get().compareTo(TICK_INTERVAL_MIN) >= 0
                && tick.get().compareTo(TICK_INTERVAL_MAX) <= 0;
        Duration minimum = tickUsable ? tick.get() : Duration.ofNanos(1);
        protocol.viewChangeTimeout().ifPresent(value -> checkDuration(Keys.VIEW_CHANGE_TIMEOUT, value, minimum,
                DURATION_MAX, problems));
        protocol.statusInterval().ifPresent(value -> checkDuration(Keys.STATUS_INTERVAL, value, minimum,
                DURATION_MAX, problems));
    }

    private static void checkDuration(String key, Duration value, Duration min, Duration max,
            List<Problem> problems) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(new Problem(Keys.protocol(key), key + " " + Durations.render(value) + " is out of range "
                    + Durations.render(min) + ".." + Durations.render(max)));
        }
    }

    private static void checkRange(String path, long value, long min, long max, List<Problem> problems) {
        if (value < min || value > max) {
            String key = path.substring(path.lastIndexOf('.') + 1);
            problems.add(new Problem(path, key + " " + value + " is out of range " + min + ".." + max));
        }
    }
}
