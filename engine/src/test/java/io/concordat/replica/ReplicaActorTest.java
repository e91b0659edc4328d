package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueStore;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PairwiseKeys;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.membership.MembershipHint;
import io.concordat.protocol.Membership;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signable;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One replica actor (replica 0, the primary of view 0) without a cluster: its peers are test probes and
 * the test plays the other replicas by signing their messages. The timer is set so long that no tick
 * fires, so every message the probes see comes from the inputs the test gives.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaActorTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    private final List<Ed25519KeyPair> keys = new ArrayList<>();
    private final Ed25519KeyPair clientKey = Ed25519KeyPair.fromSeed(LocalCluster.seed("actor-test-client", 0));
    private Membership membership;
    private Map<Integer, TestProbe<ReplicaActor.Command>> peers;
    /** What the replica did, in order: "persist ..." from the journal, "send <replica> ..." from the peers. */
    private List<String> trace;
    private ReplicaMetrics metrics;
    private RetainedLog retained;
    private ActorRef<ReplicaActor.Command> replica;

    @BeforeEach
    void startReplica() {
        keys.clear();
        var publicKeys = new ArrayList<PublicKey>();
        for (int id = 0; id < 4; id++) {
            keys.add(Ed25519KeyPair.fromSeed(LocalCluster.seed("actor-test-replica", id)));
            publicKeys.add(keys.get(id).publicKey());
        }
        membership = new Membership(1, publicKeys);
        peers = new HashMap<>();
        for (int id = 1; id < 4; id++) {
            peers.put(id, testKit.createTestProbe());
        }
        trace = new CopyOnWriteArrayList<>();
        metrics = new ReplicaMetrics();
        retained = new RetainedLog();
        Journal journal = events -> events.forEach(event -> trace.add("persist " + event.getClass().getSimpleName()));
        ReplicaActor.Peers network = (peer, message) -> {
            trace.add("send " + peer + " " + kindOf(((ReplicaActor.PeerMessage) message).envelope()));
            peers.get(peer).ref().tell(message);
        };
        var settings = ReplicaSettings.defaults().withTickInterval(Duration.ofHours(1));
        replica = testKit.spawn(ReplicaActor.create(new ReplicaActor.Wiring(0, membership, LocalCluster.PROTOCOL,
                keys.get(0).signer(), new Ed25519Verifier(), codec, KeyValueStore::new, settings, network,
                retained, metrics, System::nanoTime), journal));
    }

    @Test
    void ordersARequestThroughThreePhasesAndRepliesToTheClient() {
        TestProbe<ClientResponse> client = testKit.createTestProbe();
        Bytes operation = KeyValueOperations.put(Bytes.ofUtf8("colour"), Bytes.ofUtf8("green"));
        replica.tell(new ReplicaActor.ClientSubmit(request(1, operation), client.ref()));

        Envelope.PrePrepareEnvelope prePrepare = assertInstanceOf(Envelope.PrePrepareEnvelope.class,
                decode(peers.get(1).receiveMessage()));
        Digest digest = prePrepare.prePrepare().body().batchDigest();
        assertEquals(1, prePrepare.batch().requests().size());
        assertPersistedBeforeSent("PrePrepareAccepted", "PrePrepare");

        replica.tell(peerMessage(1, new Prepare(0, 1, digest, 1)));
        replica.tell(peerMessage(2, new Prepare(0, 1, digest, 2)));
        Envelope commit = decode(peers.get(1).receiveMessage());
        assertEquals(Commit.class, ((Envelope.MessageEnvelope) commit).message().body().getClass());
        assertPersistedBeforeSent("CommitSent", "Commit");

        replica.tell(peerMessage(1, new Commit(0, 1, digest, 1)));
        replica.tell(peerMessage(2, new Commit(0, 1, digest, 2)));
        var replied = assertInstanceOf(ClientResponse.Replied.class, client.receiveMessage());
        Reply reply = verifiedReply(replied.replyEnvelope());
        assertEquals(1, reply.requestNumber());
        assertEquals(0, reply.replicaId());
        assertTrue(KeyValueOperations.decodeResult(reply.result()).isOk());

        TestProbe<ExecutedState> state = testKit.createTestProbe();
        replica.tell(new ReplicaActor.GetExecutedState(state.ref()));
        assertEquals(1, state.receiveMessage().lastExecutedSequence());
        CommittedEntry entry = new OrderedLog(retained).from(1).take(1)
                .runWith(org.apache.pekko.stream.javadsl.Sink.head(), testKit.system()).toCompletableFuture().join();
        assertEquals(prePrepare.batch(), entry.batch());
        assertTrue(entry.certificate().isComplete(), "own commit and two peers' commits make 2f+1");
        assertEquals(digest, entry.certificate().batchDigest());
    }

    @Test
    void aRetransmittedRequestGetsTheCachedReplyAndAnOlderOneIsStale() {
        TestProbe<ClientResponse> client = testKit.createTestProbe();
        Bytes first = request(1, KeyValueOperations.put(Bytes.ofUtf8("k"), Bytes.ofUtf8("1")));
        replica.tell(new ReplicaActor.ClientSubmit(first, client.ref()));
        commitSequence(1);
        Bytes reply = assertInstanceOf(ClientResponse.Replied.class, client.receiveMessage()).replyEnvelope();

        replica.tell(new ReplicaActor.ClientSubmit(first, client.ref()));
        assertEquals(reply, assertInstanceOf(ClientResponse.Replied.class, client.receiveMessage()).replyEnvelope());

        Bytes second = request(2, KeyValueOperations.put(Bytes.ofUtf8("k"), Bytes.ofUtf8("2")));
        replica.tell(new ReplicaActor.ClientSubmit(second, client.ref()));
        commitSequence(2);
        client.receiveMessage();
        replica.tell(new ReplicaActor.ClientSubmit(first, client.ref()));
        var stale = assertInstanceOf(ClientResponse.Rejected.class, client.receiveMessage());
        assertEquals(RejectionReason.STALE_REQUEST, stale.reason());
        assertTrue(stale.message().startsWith("stale request: "), stale.message());
    }

    @Test
    void undecodablePeerMessagesAreCountedAndChangeNothing() {
        replica.tell(new ReplicaActor.PeerMessage(Bytes.ofUtf8("garbage")));
        replica.tell(new ReplicaActor.PeerMessage(Bytes.EMPTY));
        TestProbe<io.concordat.protocol.ReplicaStatus> status = testKit.createTestProbe();
        replica.tell(new ReplicaActor.GetStatus(status.ref()));
        assertEquals(0, status.receiveMessage().lastExecutedSequence());
        long rejected = metrics.snapshot().entrySet().stream().filter(entry -> entry.getKey().startsWith("decode."))
                .mapToLong(Map.Entry::getValue).sum();
        assertEquals(2, rejected);
        assertEquals(List.of(), trace, "nothing persisted or sent");
    }

    @Test
    void aForgedPeerMessageIsDroppedByTheCoreAndCounted() {
        var forged = new MessageSigner(keys.get(3).signer(), codec).sign(new Prepare(0, 1,
                io.concordat.crypto.Sha256.of(Bytes.ofUtf8("x")), 2));
        replica.tell(new ReplicaActor.PeerMessage(codec.encodeEnvelope(new Envelope.MessageEnvelope(forged))));
        TestProbe<io.concordat.protocol.ReplicaStatus> status = testKit.createTestProbe();
        replica.tell(new ReplicaActor.GetStatus(status.ref()));
        status.receiveMessage();
        assertEquals(1, metrics.count("dropped.BAD_SIGNATURE"));
    }

    @Test
    void membershipHintsAreCountedAndNeverStopTheReplica() {
        var node = new Address("pekko", "concordat", "127.0.0.1", 25521);
        replica.tell(new ReplicaActor.MembershipChanged(new MembershipHint(MembershipHint.Kind.UNREACHABLE,
                Optional.of(1), node)));
        replica.tell(new ReplicaActor.MembershipChanged(new MembershipHint(MembershipHint.Kind.REACHABLE,
                Optional.of(1), node)));
        replica.tell(new ReplicaActor.MembershipChanged(new MembershipHint(MembershipHint.Kind.UP,
                Optional.empty(), node)));
        TestProbe<ClientResponse> client = testKit.createTestProbe();
        replica.tell(new ReplicaActor.ClientSubmit(request(1, KeyValueOperations.get(Bytes.ofUtf8("k"))),
                client.ref()));
        commitSequence(1);
        assertInstanceOf(ClientResponse.Replied.class, client.receiveMessage());
        assertEquals(1, metrics.count("membership.hint.UNREACHABLE"));
        assertEquals(1, metrics.count("membership.hint.REACHABLE"));
        assertEquals(1, metrics.count("membership.hint.UP"));
    }

    /** Plays replicas 1 and 2 through prepare and commit for the pre-prepare the primary sends next. */
    private void commitSequence(long sequence) {
        Envelope.PrePrepareEnvelope prePrepare = nextPrePrepare();
        assertEquals(sequence, prePrepare.prePrepare().body().sequence());
        Digest digest = prePrepare.prePrepare().body().batchDigest();
        for (int peer = 1; peer <= 2; peer++) {
            replica.tell(peerMessage(peer, new Prepare(0, sequence, digest, peer)));
        }
        for (int peer = 1; peer <= 2; peer++) {
            replica.tell(peerMessage(peer, new Commit(0, sequence, digest, peer)));
        }
    }

    private Envelope.PrePrepareEnvelope nextPrePrepare() {
        while (true) {
            Envelope envelope = decode(peers.get(1).receiveMessage());
            if (envelope instanceof Envelope.PrePrepareEnvelope prePrepare) {
                return prePrepare;
            }
        }
    }

    private void assertPersistedBeforeSent(String event, String message) {
        int persisted = trace.indexOf("persist " + event);
        int sent = trace.indexOf("send 1 " + message);
        assertTrue(persisted >= 0 && sent > persisted, "expected persist before send in " + trace);
    }

    private Bytes request(long number, Bytes operation) {
        var signed = new MessageSigner(clientKey.signer(), codec)
                .sign(new ClientRequest(clientKey.publicKey(), number, operation, false));
        return codec.encodeEnvelope(new Envelope.MessageEnvelope(signed));
    }

    private ReplicaActor.PeerMessage peerMessage(int from, Signable body) {
        var signed = new MessageSigner(keys.get(from).signer(), codec).sign(body);
        return new ReplicaActor.PeerMessage(codec.encodeEnvelope(new Envelope.MessageEnvelope(signed)));
    }

    private Envelope decode(ReplicaActor.Command message) {
        Bytes bytes = ((ReplicaActor.PeerMessage) message).envelope();
        return ((DecodeResult.Decoded) codec.decodeEnvelope(bytes)).envelope();
    }

    private Reply verifiedReply(Bytes bytes) {
        var single = (Envelope.MessageEnvelope) ((DecodeResult.Decoded) codec.decodeEnvelope(bytes)).envelope();
        Reply reply = (Reply) single.message().body();
        var shared = PairwiseKeys.ofClient(clientKey.signer()).with(membership.keyOf(reply.replicaId()).orElseThrow())
                .orElseThrow();
        assertTrue(shared.checkReply(single.message().encoded(), single.message().signature()),
                "the reply carries the MAC of the key the replica shares with this client");
        return reply;
    }

    private String kindOf(Bytes envelope) {
        Envelope decoded = ((DecodeResult.Decoded) codec.decodeEnvelope(envelope)).envelope();
        if (decoded instanceof Envelope.PrePrepareEnvelope) {
            return "PrePrepare";
        }
        return ((Envelope.MessageEnvelope) decoded).message().body().getClass().getSimpleName();
    }
}
