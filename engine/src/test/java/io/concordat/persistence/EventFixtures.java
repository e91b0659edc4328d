package io.concordat.persistence;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.PreparedCertificate;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.ViewChange;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.util.ArrayList;
import java.util.List;

/** One of every {@link ProtocolEvent} type, built from messages signed with real Ed25519 keys. */
final class EventFixtures {
    static final ProtobufCodec WIRE = new ProtobufCodec(WireLimits.defaults());
    static final EventCodec CODEC = new EventCodec(WIRE);

    private static final List<MessageSigner> REPLICAS = new ArrayList<>();
    private static final MessageSigner CLIENT = new MessageSigner(
            Ed25519KeyPair.fromSeed(seed(99)).signer(), WIRE);

    static {
        for (int id = 0; id < 4; id++) {
            REPLICAS.add(new MessageSigner(Ed25519KeyPair.fromSeed(seed(id)).signer(), WIRE));
        }
    }

    private EventFixtures() {}

    static Bytes seed(int value) {
        byte[] seed = new byte[32];
        seed[0] = (byte) value;
        seed[31] = 42;
        return Bytes.wrap(seed);
    }

    static Digest digest(String text) {
        return Sha256.of(Bytes.ofUtf8(text));
    }

    static Signed<ClientRequest> request(long requestNumber) {
        return CLIENT.sign(new ClientRequest(CLIENT.signer().publicKey(), requestNumber,
                Bytes.ofUtf8("put key-" + requestNumber + " value"), false));
    }

    static Batch batch() {
        return new Batch(List.of(request(1), request(2)));
    }

    static Signed<PrePrepare> prePrepare(long view, long sequence) {
        return REPLICAS.get((int) (view % 4)).sign(new PrePrepare(view, sequence, batch().digest(), (int) (view % 4)));
    }

    static Signed<Prepare> prepare(long view, long sequence, int replicaId) {
        return REPLICAS.get(replicaId).sign(new Prepare(view, sequence, batch().digest(), replicaId));
    }

    static List<Signed<Checkpoint>> proof(long sequence) {
        List<Signed<Checkpoint>> proof = new ArrayList<>();
        for (int id = 0; id < 3; id++) {
            proof.add(REPLICAS.get(id).sign(new Checkpoint(sequence, digest("state-" + sequence), id)));
        }
        return proof;
    }

    static PreparedCertificate certificate(long view, long sequence) {
        return new PreparedCertificate(prePrepare(view, sequence), List.of(prepare(view, sequence, 1),
                prepare(view, sequence, 2)));
    }

    static Signed<ViewChange> viewChange(int replicaId) {
        return REPLICAS.get(replicaId).sign(new ViewChange(1, 4, digest("state-4"), proof(4),
                List.of(certificate(0, 5), certificate(0, 6)), replicaId));
    }

    static Signed<NewView> newView() {
        return REPLICAS.get(1).sign(new NewView(1, List.of(viewChange(0), viewChange(2), viewChange(3)),
                List.of(prePrepare(1, 5), prePrepare(1, 6)), 1));
    }

    /** Every event type, with boundary values where a field has them (empty lists, the null batch). */
    static List<ProtocolEvent> everyEvent() {
        return List.of(
                new ProtocolEvent.PrePrepareAccepted(prePrepare(0, 1), batch()),
                new ProtocolEvent.PrePrepareAccepted(prePrepare(1, 2), Batch.NULL),
                new ProtocolEvent.PrepareSent(prepare(0, 1, 2)),
                new ProtocolEvent.Prepared(certificate(0, 1)),
                new ProtocolEvent.CommitSent(REPLICAS.get(2).sign(new Commit(0, 1, batch().digest(), 2))),
                new ProtocolEvent.BatchCommitted(1, 0, batch().digest()),
                new ProtocolEvent.BatchCommitted(Long.MAX_VALUE, Long.MAX_VALUE, batch().digest()),
                new ProtocolEvent.ViewChangeSent(viewChange(2)),
                new ProtocolEvent.NewViewAccepted(newView()),
                new ProtocolEvent.StateTransferred(8, digest("state-8"), proof(8)),
                new ProtocolEvent.CheckpointStateRecorded(4, digest("state-4"), proof(4), Bytes.ofUtf8("the state")),
                new ProtocolEvent.CheckpointStateRecorded(0, digest("empty"), List.of(), Bytes.EMPTY),
                new ProtocolEvent.CheckpointSent(proof(4).get(2)),
                new ProtocolEvent.CheckpointStabilized(4, digest("state-4"), proof(4)));
    }
}
