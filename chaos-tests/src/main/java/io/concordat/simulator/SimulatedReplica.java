package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.CheckpointNotice;
import io.concordat.protocol.Execution;
import io.concordat.protocol.ExecutionDriver;
import io.concordat.protocol.Input;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.Ready;
import io.concordat.protocol.message.Envelope;
import io.concordat.wire.ProtobufCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One replica of the run: the real core with its state machine (through {@link ExecutionDriver}), its
 * journal of persisted events, what it did, whether it is down, and for a Byzantine replica the
 * behaviour its output passes through. A restart builds a fresh core and state machine and recovers
 * them from the journal, as the actor shell does after a crash.
 */
final class SimulatedReplica {
    private final int replicaId;
    private final Supplier<ExecutionDriver> freshDriver;
    private final boolean compactJournal;
    private final ProtobufCodec codec;
    private final Optional<ByzantineBehavior> behavior;
    private final Optional<ByzantineContext> context;
    private final ReplicaHistory history;
    private final PersistBeforeSendChecker persistBeforeSend;
    private final Optional<CommitCertificateChecker> commitCertificates;
    private ExecutionDriver driver;
    private List<ProtocolEvent> journal = new ArrayList<>();
    private boolean crashed;
    private boolean crashAfterNextPersist;
    private long restarts;
    private long produced;
    private long sent;
    private long altered;

    SimulatedReplica(int replicaId, Supplier<ExecutionDriver> freshDriver, boolean compactJournal, ProtobufCodec codec,
            Optional<ByzantineBehavior> behavior, Optional<ByzantineContext> context,
            Optional<CommitCertificateChecker> commitCertificates) {
        this.replicaId = replicaId;
        this.freshDriver = freshDriver;
        this.compactJournal = compactJournal;
        this.codec = codec;
        this.behavior = behavior;
        this.context = context;
        this.history = new ReplicaHistory(replicaId);
        this.persistBeforeSend = new PersistBeforeSendChecker(replicaId);
        this.commitCertificates = commitCertificates;
        this.driver = freshDriver.get();
    }

    int replicaId() {
        return replicaId;
    }

    boolean isByzantine() {
        return behavior.isPresent();
    }

    boolean isCrashed() {
        return crashed;
    }

    /** Crash between two steps: from now on it neither receives nor sends nor ticks. */
    void crash() {
        crashed = true;
    }

    /** Crash in the middle of the next step: its events become durable, its messages are never sent. */
    void crashAfterNextPersist() {
        crashAfterNextPersist = true;
    }

    /** Comes back with a fresh core and state machine, recovered from the journal. */
    Ready restart() {
        crashed = false;
        crashAfterNextPersist = false;
        restarts++;
        driver = freshDriver.get();
        history.recordRestart();
        return driver.recover(List.copyOf(journal));
    }

    Ready receive(Envelope envelope) {
        return driver.step(new Input.Receive(envelope));
    }

    Ready tick() {
        return driver.tick();
    }

    /**
     * Makes the events of {@code ready} durable (the journal, compacted at a stable checkpoint if the run
     * does that), records what it shows and checks its order rule.
     *
     * @return whether its messages may be sent: false if the replica crashes right after persisting
     */
    boolean persist(Ready ready, long tick) {
        journal.addAll(ready.persist());
        if (compactJournal && ready.checkpoints().stream().anyMatch(CheckpointNotice.Stable.class::isInstance)) {
            journal = new ArrayList<>(driver.replica().compactedHistory());
        }
        history.record(ready, tick);
        persistBeforeSend.record(ready, tick);
        for (Execution execution : ready.execute()) {
            if (execution instanceof Execution.ExecuteBatch batch) {
                commitCertificates.ifPresent(checker -> checker.check(batch, tick));
            }
        }
        if (crashAfterNextPersist) {
            crashAfterNextPersist = false;
            crashed = true;
            return false;
        }
        return true;
    }

    /**
     * The bytes to send now for {@code envelope} to {@code destinationNode}; a Byzantine replica rewrites
     * them (and may hold some back, see {@link #releaseHeld(long)}).
     */
    List<Bytes> encodeFor(Envelope envelope, int destinationNode, long tick) {
        if (behavior.isEmpty()) {
            return List.of(codec.encodeEnvelope(envelope));
        }
        Bytes honest = codec.encodeEnvelope(envelope);
        context.orElseThrow().observe(driver.replica().status().view(), tick);
        List<Bytes> rewritten = behavior.get().rewrite(envelope, destinationNode, context.orElseThrow());
        produced++;
        sent += rewritten.size();
        for (Bytes payload : rewritten) {
            if (!payload.equals(honest)) {
                altered++;
            }
            context.get().remember(payload);
        }
        return rewritten;
    }

    /** The messages a Byzantine behaviour held back that are due by {@code tick}; none for a correct replica. */
    List<ByzantineContext.Held> releaseHeld(long tick) {
        return context.map(held -> held.releaseDue(tick)).orElse(List.of());
    }

    ReplicaHistory history() {
        return history;
    }

    /** What the order rule and commit-certificate checkers found, as this replica went. */
    List<String> stepViolations() {
        List<String> violations = new ArrayList<>(persistBeforeSend.violations());
        commitCertificates.ifPresent(checker -> violations.addAll(checker.violations()));
        return violations;
    }

    ByzantineCounts byzantineCounts() {
        return new ByzantineCounts(produced, sent, altered,
                context.map(ByzantineContext::misbehaviours).orElse(new java.util.TreeMap<>()));
    }

    long restarts() {
        return restarts;
    }

    ExecutionDriver driver() {
        return driver;
    }
}
