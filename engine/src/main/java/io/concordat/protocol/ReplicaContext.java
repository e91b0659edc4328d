package io.concordat.protocol;

import io.concordat.crypto.PairwiseKeys;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.ReplicaMessage;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.Status;
import java.util.EnumMap;
import java.util.Optional;

/**
 * The state of one replica, shared by the subprotocol classes ({@link NormalCase}, {@link ExecutionStage},
 * {@link CheckpointProtocol}, {@link StatusProtocol}, {@link ViewChangeProtocol}). Only
 * {@link PbftReplica} creates it, and only one step runs at a time, so no field needs synchronisation.
 */
final class ReplicaContext {
    final int replicaId;
    final Membership membership;
    final ProtocolConfiguration configuration;
    final MessageSigner signer;
    final MessageVerifier verifier;
    /** The keys this replica shares with its clients, which authenticate its replies. */
    final PairwiseKeys clientKeys;

    final MessageLog log = new MessageLog();
    final CheckpointTracker checkpoints;
    final ClientSessions sessions = new ClientSessions();
    final PendingRequests pendingRequests;
    final RequestIndex orderedRequests = new RequestIndex();
    final PreparedCertificates preparedCertificates = new PreparedCertificates();
    final ExecutionProgress execution = new ExecutionProgress();
    final Timers timers = new Timers();
    final EnumMap<DropReason, Long> dropCounts = new EnumMap<>(DropReason.class);

    /** The view this replica is in, or is changing to while {@link #viewActive} is false. */
    long view;
    /** False between sending a VIEW-CHANGE for {@link #view} and accepting its NEW-VIEW. */
    boolean viewActive = true;
    /** The highest sequence number assigned by the primary of the current view, as far as this replica knows. */
    long lastAssignedSequence;

    /** When this replica last verified a message from the current primary: silence means suspicion. */
    long lastHeardFromPrimaryTick;
    /** When the primary last multicast a pre-prepare: an idle primary sends heartbeats instead. */
    long lastProposalTick;
    /** When this replica last verified a message from each replica; {@link Long#MIN_VALUE} for never. */
    private final long[] lastHeardTick;

    /** True from recovery until the application restored the recovered checkpoint state. */
    boolean restoringSnapshot;
    /**
     * True from a recovery whose journal reached past the window until re-execution brought the window back
     * over the whole log; only then may the log hold slots above the high watermark.
     */
    boolean replayedBeyondWindow;
    /** True while {@link Recovery} replays persisted events: nothing real is sent or started. */
    boolean replaying;
    /**
     * The highest sequence number this replica had committed before it restarted (from its journal). Every
     * batch up to it executes again after a recovery, and its results are recorded without a reply:
     * the client had this replica's reply before the crash or asks again, and {@link ClientRequestIntake}
     * authenticates it then. Signing every re-executed reply was three quarters of the CPU of a long recovery,
     * when replies were signed.
     */
    long recoveredCommitSequence;

    /** The output of the step in progress. */
    ReadyBuilder out;

    ReplicaContext(int replicaId, Membership membership, ProtocolConfiguration configuration, MessageSigner signer,
            MessageVerifier verifier) {
        this.replicaId = replicaId;
        this.membership = membership;
        this.configuration = configuration;
        this.signer = signer;
        this.verifier = verifier;
        this.clientKeys = PairwiseKeys.ofReplica(signer.signer());
        this.checkpoints = new CheckpointTracker(membership, replicaId);
        this.pendingRequests = new PendingRequests(configuration.pendingRequestsMax());
        this.lastHeardTick = new long[membership.size()];
        java.util.Arrays.fill(lastHeardTick, Long.MIN_VALUE);
    }

    /**
     * True if this replica verified a message from at least 2f other replicas in the last {@code windowTicks}:
     * together with its own, enough VIEW-CHANGE messages for a view change to complete (PBFT §4.4).
     */
    boolean heardFromQuorumWithin(long windowTicks) {
        int heard = 0;
        for (int replica = 0; replica < lastHeardTick.length; replica++) {
            if (replica != replicaId && lastHeardTick[replica] != Long.MIN_VALUE
                    && now() - lastHeardTick[replica] <= windowTicks) {
                heard++;
            }
        }
        return heard >= 2 * membership.faultsTolerated();
    }

    int primary() {
        return membership.primaryOf(view);
    }

    boolean isPrimary() {
        return primary() == replicaId;
    }

    long now() {
        return timers.now();
    }

    /** h: the sequence number of the last stable checkpoint. */
    long lowWatermark() {
        return checkpoints.stableSequence();
    }

    /** h + L. */
    long highWatermark() {
        return lowWatermark() + configuration.watermarkWindow();
    }

    long lastExecutedSequence() {
        return execution.lastExecutedSequence();
    }

    <T extends Signable> Signed<T> sign(T body) {
        return signer.sign(body);
    }

    /**
     * This replica's reply, authenticated for its client with their pairwise key, or empty if the client id
     * is not a key one can share (a point of small order): such a client could check no reply, and the
     * intake refuses its requests, so only a batch from a faulty primary can bring one here.
     */
    Optional<Signed<Reply>> reply(Reply reply) {
        return clientKeys.with(reply.clientId()).map(key -> signer.authenticate(reply, key));
    }

    void sendToAllReplicas(Envelope envelope) {
        out.send.add(new Outbound(new Destination.AllReplicas(), envelope));
    }

    /**
     * This replica's signed STATUS: its view, last executed sequence number and low watermark. The status
     * mechanism sends it to retransmit (thesis §5.2); a primary sends it as a heartbeat, and a backup to seek
     * contact before it suspects its primary.
     */
    Signed<Status> ownStatus() {
        return sign(new Status(view, lastExecutedSequence(), lowWatermark(), replicaId));
    }

    void sendToAllReplicas(Signed<?> message) {
        sendToAllReplicas(new Envelope.MessageEnvelope(message));
    }

    void sendTo(Destination destination, Signed<?> message) {
        out.send.add(new Outbound(destination, new Envelope.MessageEnvelope(message)));
    }

    void persist(ProtocolEvent event) {
        out.persist.add(event);
    }

    /**
     * Takes the state of checkpoint {@code sequence} as this replica's own, whether it came from a state
     * transfer or from the journal at recovery: the client sessions at the checkpoint, execution resumed
     * after it, and the log and prepared certificates at or below it gone (PBFT §4.3). The caller settles
     * the checkpoint's proof and its own state.
     */
    void adoptCheckpointState(long sequence, ClientSessions checkpointSessions) {
        sessions.replaceWith(checkpointSessions);
        execution.resetTo(sequence);
        log.discardUpTo(sequence);
        preparedCertificates.discardUpTo(sequence);
        lastAssignedSequence = Math.max(lastAssignedSequence, sequence);
    }

    /** The signature check every replica message handler runs after its cheap guards pass. */
    boolean verified(Signed<? extends ReplicaMessage> message) {
        Optional<Rejection> rejection = verifier.verifyReplicaMessage(message);
        rejection.ifPresent(reason -> drop(message, reason));
        if (rejection.isEmpty()) {
            lastHeardTick[message.body().replicaId()] = now();
            if (viewActive && message.body().replicaId() == primary()) {
                lastHeardFromPrimaryTick = now();
            }
        }
        return rejection.isEmpty();
    }

    /**
     * A message dropped as a duplicate still shows that its sender is alive if it is byte for byte a copy of one
     * this replica verified before: a replica stuck in a view change retransmits only its VIEW-CHANGE, and the
     * contact rule of {@link ViewChangeProtocol} must count it, or the replicas still in the old view never
     * suspect a crashed primary (campaign seed 1300). No signature is checked again: the bytes are the same.
     */
    void heardAgain(Signed<? extends ReplicaMessage> duplicate, Signed<? extends ReplicaMessage> verifiedCopy) {
        if (duplicate.equals(verifiedCopy)) {
            lastHeardTick[duplicate.body().replicaId()] = now();
        }
    }

    /** Drops {@code message} if a guard returned a reason; returns true if it did. */
    boolean dropped(Signed<? extends Signable> message, Optional<Rejection> rejection) {
        rejection.ifPresent(reason -> drop(message, reason));
        return rejection.isPresent();
    }

    void drop(Signed<? extends Signable> message, Rejection rejection) {
        Signable body = message.body();
        String sender = body instanceof ReplicaMessage replicaMessage
                ? "replica-" + replicaMessage.replicaId()
                : "client-" + ((ClientRequest) body).clientId();
        dropCounts.merge(rejection.reason(), 1L, Long::sum);
        out.dropped.add(new Dropped(body.getClass().getSimpleName(), sender, rejection.reason(), rejection.detail()));
    }
}
