package io.concordat.protocol;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.StateChunk;
import io.concordat.protocol.message.StateRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * State transfer: a replica that is behind a stable checkpoint it can prove (2f+1 matching CHECKPOINT
 * messages), or whose own state diverged from one, fetches the state at that checkpoint from the replicas
 * that certified it, in bounded chunks, and checks the whole against the certified digest before it uses
 * it (PBFT TOCS §5.3 fetches state the same way, verified against checkpoint digests).
 *
 * <p>Chunks come from one source at a time, a few in flight. If the assembled state does not decode, does
 * not restore, or does not hash to the certified digest, the source lied or is broken: the replica drops
 * everything it got and starts over with the next source. At most f sources are faulty, so it succeeds
 * within f+1 attempts. A source that does not answer in time is replaced the same way. Memory stays
 * bounded: one state being assembled, and the states of this replica's own recent checkpoints.
 *
 * <p><b>Deviation:</b> TOCS transfers only the partitions that differ, using a tree of partition digests.
 * We transfer whole snapshots, which is simpler and, for the state sizes an ordering service keeps
 * between checkpoints, fast enough; see docs/protocol.md.
 */
final class StateTransfer {
    /** The size of one chunk: well inside Artery's 2 MiB frame (engine reference.conf) and the 16 MiB wire limit. */
    static final int CHUNK_BYTES = 512 * 1024;
    /** Chunks requested from the source at once. */
    private static final int CHUNKS_IN_FLIGHT = 4;
    /** The largest state accepted from a source: 32 GiB in 512 KiB chunks. */
    private static final int MAXIMUM_CHUNKS = 1 << 16;

    private record Target(long sequence, Digest stateDigest, List<Signed<Checkpoint>> proof, List<Integer> sources) {}

    private final ReplicaContext context;
    /** This replica's states at its own recent checkpoints, served to replicas that are behind. */
    private final NavigableMap<Long, CheckpointState> ownStates = new TreeMap<>();

    private Optional<Target> target = Optional.empty();
    private int sourceIndex;
    private int chunkCount;
    private final NavigableMap<Integer, Bytes> chunks = new TreeMap<>();
    private final TreeSet<Integer> requested = new TreeSet<>();
    private long deadlineTick;
    private Optional<Bytes> assembled = Optional.empty();
    private Optional<ClientSessions> restoredSessions = Optional.empty();

    StateTransfer(ReplicaContext context) {
        this.context = context;
    }

    boolean active() {
        return target.isPresent();
    }

    /** Keeps this replica's state at its own checkpoint, to serve it later. */
    void recordOwnState(long sequence, Digest stateDigest, Bytes applicationSnapshot) {
        ownStates.put(sequence, new CheckpointState(sequence, stateDigest,
                CheckpointState.encode(applicationSnapshot, context.sessions.encode())));
    }

    /** States older than the stable checkpoint are never asked for again. */
    void discardBelow(long stableSequence) {
        ownStates.headMap(stableSequence, false).clear();
    }

    void restoreOwnState(CheckpointState state) {
        ownStates.put(state.sequence(), state);
    }

    Optional<CheckpointState> ownState(long sequence) {
        return Optional.ofNullable(ownStates.get(sequence));
    }

    Optional<Bytes> applicationSnapshot(long sequence) {
        return Optional.ofNullable(ownStates.get(sequence))
                .flatMap(state -> CheckpointState.decode(state.encoded())).map(parts -> parts[0]);
    }

    /**
     * Starts fetching the state at a checkpoint certified by {@code proof}, unless a transfer to the same or
     * a later checkpoint is under way.
     */
    void begin(List<Signed<Checkpoint>> proof) {
        Checkpoint certified = proof.get(0).body();
        if (target.map(current -> current.sequence() >= certified.sequence()).orElse(false)) {
            return;
        }
        List<Integer> sources = new ArrayList<>();
        for (Signed<Checkpoint> message : proof) {
            if (message.body().replicaId() != context.replicaId) {
                sources.add(message.body().replicaId());
            }
        }
        Invariants.check(!sources.isEmpty(), "a proof for checkpoint %d names no other replica", certified.sequence());
        target = Optional.of(new Target(certified.sequence(), certified.stateDigest(), List.copyOf(proof),
                List.copyOf(sources)));
        sourceIndex = (int) Math.floorMod(context.now() + context.replicaId, (long) sources.size());
        restart();
    }

    // ---------------------------------------------------------------- serving

    void onStateRequest(Signed<StateRequest> message) {
        StateRequest body = message.body();
        if (!context.verified(message)) {
            return;
        }
        CheckpointState state = ownStates.get(body.sequence());
        if (state == null || !state.stateDigest().equals(body.stateDigest())) {
            context.drop(message, Rejection.of(DropReason.OBSOLETE, "no state kept for checkpoint %d",
                    body.sequence()));
            return;
        }
        int count = state.chunkCount(CHUNK_BYTES);
        if (body.chunkIndex() >= count) {
            context.drop(message, Rejection.of(DropReason.MALFORMED, "checkpoint %d has %d chunks, not %d",
                    body.sequence(), count, body.chunkIndex() + 1));
            return;
        }
        context.sendTo(new Destination.Replica(body.replicaId()), context.sign(new StateChunk(body.sequence(),
                body.stateDigest(), body.chunkIndex(), count, state.chunk(body.chunkIndex(), CHUNK_BYTES),
                context.replicaId)));
    }

    // ---------------------------------------------------------------- fetching

    void onStateChunk(Signed<StateChunk> message) {
        StateChunk body = message.body();
        Optional<Rejection> rejection = ignoreChunk(body);
        if (context.dropped(message, rejection) || !context.verified(message)) {
            return;
        }
        if (chunkCount == 0) {
            chunkCount = body.chunkCount();
        }
        chunks.put(body.chunkIndex(), body.data());
        requested.remove(body.chunkIndex());
        if (chunks.size() == chunkCount) {
            assemble();
        } else {
            requestChunks();
        }
    }

    private Optional<Rejection> ignoreChunk(StateChunk body) {
        if (target.isEmpty() || assembled.isPresent()) {
            return Optional.of(Rejection.of(DropReason.OBSOLETE, "no state transfer is waiting for chunks"));
        }
        Target current = target.get();
        if (body.sequence() != current.sequence() || !body.stateDigest().equals(current.stateDigest())
                || body.replicaId() != currentSource()) {
            return Optional.of(Rejection.of(DropReason.OBSOLETE, "chunk for checkpoint %d from replica %d is not awaited",
                    body.sequence(), body.replicaId()));
        }
        if (body.chunkCount() > MAXIMUM_CHUNKS || (chunkCount != 0 && body.chunkCount() != chunkCount)) {
            return Optional.of(Rejection.of(DropReason.MALFORMED, "replica %d announced %d chunks", body.replicaId(),
                    body.chunkCount()));
        }
        if (chunks.containsKey(body.chunkIndex())) {
            return Optional.of(Rejection.of(DropReason.DUPLICATE, "already have chunk %d", body.chunkIndex()));
        }
        return Optional.empty();
    }

    private void assemble() {
        int size = 0;
        for (Bytes chunk : chunks.values()) {
            size += chunk.size();
        }
        byte[] state = new byte[size];
        int offset = 0;
        for (Bytes chunk : chunks.values()) {
            System.arraycopy(chunk.unsafeArray(), 0, state, offset, chunk.size());
            offset += chunk.size();
        }
        Optional<Bytes[]> parts = CheckpointState.decode(Bytes.wrap(state));
        Optional<ClientSessions> sessions = parts.flatMap(found -> ClientSessions.decode(found[1]));
        if (sessions.isEmpty()) {
            sourceFailed("its state at checkpoint " + target.get().sequence() + " does not decode");
            return;
        }
        assembled = Optional.of(Bytes.wrap(state));
        restoredSessions = sessions;
        context.out.execute.add(new Execution.RestoreSnapshot(target.get().sequence(), parts.get()[0]));
    }

    /** The application restored the snapshot; the combined digest must be the certified one. */
    void onSnapshotRestored(Input.SnapshotRestored restored) {
        Target current = target.orElseThrow(() -> new Invariants.InvariantViolation("no state transfer is restoring"));
        Invariants.check(restored.sequence() == current.sequence() && assembled.isPresent(),
                "restored checkpoint %d, expected %d", restored.sequence(), current.sequence());
        ClientSessions sessions = restoredSessions.orElseThrow();
        Digest digest = CheckpointState.stateDigest(restored.applicationStateDigest(), sessions);
        if (!digest.equals(current.stateDigest())) {
            sourceFailed("its state at checkpoint " + current.sequence() + " hashes to " + digest + ", not the certified "
                    + current.stateDigest());
            return;
        }
        install(current, sessions);
    }

    void onSnapshotRejected(Input.SnapshotRejected rejected) {
        sourceFailed("the application refused its snapshot: " + rejected.reason());
    }

    void onTick() {
        if (target.isPresent() && assembled.isEmpty() && context.now() >= deadlineTick) {
            nextSource();
        }
    }

    private void install(Target current, ClientSessions sessions) {
        long sequence = current.sequence();
        context.adoptCheckpointState(sequence, sessions);
        ownStates.put(sequence, new CheckpointState(sequence, current.stateDigest(), assembled.orElseThrow()));
        if (sequence > context.lowWatermark()) {
            context.checkpoints.stabilize(current.proof());
            context.out.checkpoints.add(new CheckpointNotice.Stable(sequence, current.stateDigest()));
            context.persist(new ProtocolEvent.CheckpointStabilized(sequence, current.stateDigest(), current.proof()));
        }
        discardBelow(context.lowWatermark());
        context.orderedRequests.clear();
        for (Slot slot : context.log.all()) {
            slot.batch().ifPresent(context.orderedRequests::addAll);
        }
        context.pendingRequests.removeExecuted(context.sessions);
        context.persist(new ProtocolEvent.StateTransferred(sequence, current.stateDigest(), current.proof()));
        target = Optional.empty();
        assembled = Optional.empty();
        restoredSessions = Optional.empty();
    }

    private void sourceFailed(String reason) {
        context.out.dropped.add(new Dropped("StateChunk", "replica-" + currentSource(), DropReason.DIGEST_MISMATCH,
                reason));
        context.dropCounts.merge(DropReason.DIGEST_MISMATCH, 1L, Long::sum);
        nextSource();
    }

    private void nextSource() {
        sourceIndex = (sourceIndex + 1) % target.orElseThrow().sources().size();
        restart();
    }

    private void restart() {
        chunks.clear();
        requested.clear();
        chunkCount = 0;
        assembled = Optional.empty();
        restoredSessions = Optional.empty();
        requestChunks();
    }

    private void requestChunks() {
        Target current = target.orElseThrow();
        int known = chunkCount == 0 ? 1 : chunkCount;
        for (int index = 0; index < known && requested.size() < CHUNKS_IN_FLIGHT; index++) {
            if (!chunks.containsKey(index) && !requested.contains(index)) {
                requested.add(index);
                context.sendTo(new Destination.Replica(currentSource()), context.sign(
                        new StateRequest(current.sequence(), current.stateDigest(), index, context.replicaId)));
            }
        }
        deadlineTick = context.now() + 2L * context.configuration.statusIntervalTicks();
    }

    private int currentSource() {
        return target.orElseThrow().sources().get(sourceIndex);
    }
}
