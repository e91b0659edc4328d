package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.Membership;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.ProtocolConfiguration;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.ReplicaMessage;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.ProtobufCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What a Byzantine behaviour may use: its own key, the codec, its own random stream, what it sent, the
 * protocol settings every replica knows, the view its own core is in and the current tick. A behaviour
 * may also hold a message back and release it later, and counts what it did wrong so tests can show it.
 */
final class ByzantineContext {
    private static final int REMEMBERED_MAX = 256;

    /** A message held back until {@code releaseTick}. */
    record Held(long releaseTick, int destinationNode, Bytes payload) {}

    private final int replicaId;
    private final Membership membership;
    private final MessageSigner signer;
    private final ProtobufCodec codec;
    private final SplittableRandom random;
    private final List<Bytes> sentEarlier = new ArrayList<>();
    private final ProtocolConfiguration configuration;
    private final List<Held> held = new ArrayList<>();
    private final SortedMap<String, Long> misbehaviours = new TreeMap<>();
    private long view;
    private long now;

    ByzantineContext(int replicaId, Membership membership, ProtocolConfiguration configuration, MessageSigner signer,
            ProtobufCodec codec, SplittableRandom random) {
        this.replicaId = replicaId;
        this.membership = membership;
        this.configuration = configuration;
        this.signer = signer;
        this.codec = codec;
        this.random = random;
    }

    int replicaId() {
        return replicaId;
    }

    Membership membership() {
        return membership;
    }

    ProtocolConfiguration configuration() {
        return configuration;
    }

    /** Called before each message is rewritten: the view the replica's own core is in, and the tick. */
    void observe(long currentView, long currentTick) {
        this.view = currentView;
        this.now = currentTick;
    }

    long view() {
        return view;
    }

    long now() {
        return now;
    }

    /** Whether this replica is the primary of the view its core is in (PBFT §4.1: p = v mod n). */
    boolean isPrimary() {
        return view % membership.size() == replicaId;
    }

    /** Counts one act of the named misbehaviour. */
    void count(String misbehaviour) {
        count(misbehaviour, 1);
    }

    void count(String misbehaviour, long times) {
        misbehaviours.merge(misbehaviour, times, Long::sum);
    }

    SortedMap<String, Long> misbehaviours() {
        return misbehaviours;
    }

    /** Sends {@code payload} to {@code destinationNode} at {@code releaseTick} instead of now. */
    void hold(Bytes payload, int destinationNode, long releaseTick) {
        held.add(new Held(releaseTick, destinationNode, payload));
    }

    /** Removes and returns the held messages due by {@code tick}, in the order they were held. */
    List<Held> releaseDue(long tick) {
        List<Held> due = new ArrayList<>();
        held.removeIf(message -> {
            if (message.releaseTick() <= tick) {
                due.add(message);
                return true;
            }
            return false;
        });
        return due;
    }

    /** Signs {@code body} with this replica's own key. */
    <T extends io.concordat.protocol.message.Signable> Signed<T> sign(T body) {
        return signer.sign(body);
    }

    SplittableRandom random() {
        return random;
    }

    Bytes encode(Envelope envelope) {
        return codec.encodeEnvelope(envelope);
    }

    /** Signs {@code body} with this replica's own key and wraps it like {@code original} was wrapped. */
    Envelope resign(ReplicaMessage body, Envelope original) {
        if (body instanceof PrePrepare prePrepare && original instanceof Envelope.PrePrepareEnvelope envelope) {
            return new Envelope.PrePrepareEnvelope(signer.sign(prePrepare), envelope.batch());
        }
        Signed<ReplicaMessage> signed = signer.sign(body);
        return new Envelope.MessageEnvelope(signed);
    }

    /** Keeps what was sent for {@link ReplayingBehavior}, at most a few hundred messages. */
    void remember(Bytes encoded) {
        if (sentEarlier.size() < REMEMBERED_MAX) {
            sentEarlier.add(encoded);
        } else {
            sentEarlier.set(random.nextInt(REMEMBERED_MAX), encoded);
        }
    }

    List<Bytes> sentEarlier() {
        return sentEarlier;
    }
}
