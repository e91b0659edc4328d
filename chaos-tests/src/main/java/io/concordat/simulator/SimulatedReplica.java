package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.ExecutionDriver;
import io.concordat.protocol.Input;
import io.concordat.protocol.Ready;
import io.concordat.protocol.message.Envelope;
import io.concordat.wire.ProtobufCodec;
import java.util.List;
import java.util.Optional;

/**
 * One replica of the run: the real core with its state machine (through {@link ExecutionDriver}), what
 * it did, whether it crashed, and for a Byzantine replica the behaviour its output passes through.
 */
final class SimulatedReplica {
    private final int replicaId;
    private final ExecutionDriver driver;
    private final ProtobufCodec codec;
    private final Optional<ByzantineBehavior> behavior;
    private final Optional<ByzantineContext> context;
    private final ReplicaHistory history;
    private final PersistBeforeSendChecker persistBeforeSend;
    private long produced;
    private long sent;
    private long altered;
    private boolean crashed;

    SimulatedReplica(int replicaId, ExecutionDriver driver, ProtobufCodec codec, Optional<ByzantineBehavior> behavior,
            Optional<ByzantineContext> context) {
        this.replicaId = replicaId;
        this.driver = driver;
        this.codec = codec;
        this.behavior = behavior;
        this.context = context;
        this.history = new ReplicaHistory(replicaId);
        this.persistBeforeSend = new PersistBeforeSendChecker(replicaId);
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

    /** Crash-stop: from now on it neither receives nor sends nor ticks. */
    void crash() {
        crashed = true;
    }

    Ready receive(Envelope envelope) {
        return driver.step(new Input.Receive(envelope));
    }

    Ready tick() {
        return driver.tick();
    }

    /** Records what a {@link Ready} shows and checks its order rule. */
    void record(Ready ready, long tick) {
        history.record(ready, tick);
        persistBeforeSend.record(ready, tick);
    }

    /** The bytes to send for {@code envelope} to {@code destinationNode}; a Byzantine replica rewrites them. */
    List<Bytes> encodeFor(Envelope envelope, int destinationNode) {
        if (behavior.isEmpty()) {
            return List.of(codec.encodeEnvelope(envelope));
        }
        Bytes honest = codec.encodeEnvelope(envelope);
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

    ReplicaHistory history() {
        return history;
    }

    List<String> orderRuleViolations() {
        return persistBeforeSend.violations();
    }

    ByzantineCounts byzantineCounts() {
        return new ByzantineCounts(produced, sent, altered);
    }

    ExecutionDriver driver() {
        return driver;
    }
}
