package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueStore;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Sha256;
import io.concordat.membership.MembershipHint;
import io.concordat.persistence.ReplicaSnapshot;
import io.concordat.protocol.Membership;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.ProtocolConfiguration;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.ReplicaStatus;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Prepare;
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
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.StorageFailure;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event-sourced replica, driven one command at a time with {@link EventSourcedBehaviorTestKit}: every
 * event goes through the Concordat serializer and back (the test kit's round-trip check, and the journal
 * and snapshot store serialize too), each step is one write that lands before anything is sent, and a
 * restart recovers exactly the core state from before it.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DurableReplicaActorTest {
    private static final int CHECKPOINT_INTERVAL = 4;
    private static final ProtocolConfiguration PROTOCOL = ProtocolConfiguration.defaults()
            .withCheckpointInterval(CHECKPOINT_INTERVAL, 16)
            .withBatching(64, 1 << 20, 1);

    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder()
            .withCustomConfig(ConfigFactory.parseString(String.join("\n",
                            "pekko.persistence.testkit.events.serialize = on",
                            "pekko.persistence.testkit.snapshots.serialize = on"))
                    .withFallback(EventSourcedBehaviorTestKit.config()))
            .build();

    private final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    private final List<Ed25519KeyPair> keys = new ArrayList<>();
    private final Ed25519KeyPair clientKey = Ed25519KeyPair.fromSeed(LocalCluster.seed("durable-test-client", 0));
    private Membership membership;
    private Map<Integer, TestProbe<ReplicaActor.Command>> peers;
    private ReplicaMetrics metrics;
    private String persistenceId;
    private EventSourcedBehaviorTestKit<ReplicaActor.Command, ProtocolEvent, DurableReplicaActor.State> replica;

    @BeforeEach
    void startReplica() {
        keys.clear();
        var publicKeys = new ArrayList<PublicKey>();
        for (int id = 0; id < 4; id++) {
            keys.add(Ed25519KeyPair.fromSeed(LocalCluster.seed("durable-test-replica", id)));
            publicKeys.add(keys.get(id).publicKey());
        }
        membership = new Membership(1, publicKeys);
        peers = new HashMap<>();
        for (int id = 1; id < 4; id++) {
            peers.put(id, testKit.createTestProbe());
        }
        metrics = new ReplicaMetrics();
        persistenceId = "durable-test-" + UUID.randomUUID();
        replica = EventSourcedBehaviorTestKit.create(testKit.system(), behavior(),
                new EventSourcedBehaviorTestKit.SerializationSettings(true, true, false, true, false));
    }

    private org.apache.pekko.actor.typed.Behavior<ReplicaActor.Command> behavior() {
        return behavior(PROTOCOL);
    }

    private org.apache.pekko.actor.typed.Behavior<ReplicaActor.Command> behavior(ProtocolConfiguration protocol) {
        ReplicaActor.Peers network = (peer, message) -> peers.get(peer).ref().tell(message);
        var settings = ReplicaSettings.defaults().withTickInterval(Duration.ofHours(1));
        return DurableReplicaActor.create(new ReplicaActor.Wiring(0, membership, protocol, keys.get(0).signer(),
                new Ed25519Verifier(), codec, KeyValueStore::new, settings, network, new RetainedLog(), metrics,
                System::nanoTime), PersistenceId.ofUniqueId(persistenceId));
    }

    @Test
    void eachStepIsOneWriteThatIsDurableBeforeItsMessagesAreSent() {
        TestProbe<ClientResponse> client = testKit.createTestProbe();
        var submitted = runStep(new ReplicaActor.ClientSubmit(request(1, put("colour", "green")), client.ref()));
        assertEquals(List.of(ProtocolEvent.PrePrepareAccepted.class), classesOf(submitted));
        // The write returned before the test kit did, and only then did the pre-prepare leave.
        Envelope.PrePrepareEnvelope prePrepare = nextPrePrepare();
        Digest digest = prePrepare.prePrepare().body().batchDigest();

        assertTrue(runStep(peerMessage(1, new Prepare(0, 1, digest, 1))).stream()
                .noneMatch(ProtocolEvent.CommitSent.class::isInstance));
        var prepared = runStep(peerMessage(2, new Prepare(0, 1, digest, 2)));
        assertTrue(prepared.contains(new ProtocolEvent.Prepared(
                ((ProtocolEvent.Prepared) prepared.get(0)).certificate())));
        assertTrue(prepared.stream().anyMatch(ProtocolEvent.CommitSent.class::isInstance));

        runStep(peerMessage(1, new Commit(0, 1, digest, 1)));
        var committed = runStep(peerMessage(2, new Commit(0, 1, digest, 2)));
        assertTrue(committed.stream().anyMatch(ProtocolEvent.BatchCommitted.class::isInstance));
        assertInstanceOf(ClientResponse.Replied.class, client.receiveMessage());
        assertEquals(3, metrics.count("journal.writes"), "pre-prepare, prepared with commit, committed");
        assertTrue(metrics.count("journal.events") >= 3);
    }

    @Test
    void commandsQueuedDuringAWriteAreWrittenTogetherAndNothingLeavesBeforeTheirWrite() throws Exception {
        var journal = PersistenceTestKit.create(testKit.system());
        var writesStarted = new LinkedBlockingQueue<Integer>();
        var writesAllowed = new Semaphore(0);
        journal.withPolicy(new ProcessingPolicy<>() {
            @Override
            public ProcessingResult tryProcess(String id, JournalOperation operation) {
                if (id.equals(persistenceId) && operation instanceof WriteEvents write) {
                    writesStarted.add(write.getBatch().size());
                    try {
                        if (!writesAllowed.tryAcquire(30, TimeUnit.SECONDS)) {
                            return new StorageFailure(new IllegalStateException("the test never allowed the write"));
                        }
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return new StorageFailure(interrupted);
                    }
                }
                return ProcessingSuccess.getInstance();
            }
        });
        try {
            // One request per batch: each queued request is a pre-prepare of its own, with its own event.
            ActorRef<ReplicaActor.Command> actor = testKit.spawn(behavior(PROTOCOL.withBatching(1, 1 << 20, 1)));
            List<TestProbe<ClientResponse>> clients = new ArrayList<>();
            for (int number = 1; number <= 4; number++) {
                clients.add(testKit.createTestProbe());
            }
            actor.tell(new ReplicaActor.ClientSubmit(requestFrom(0, 1, put("k0", "v")), clients.get(0).ref()));
            assertEquals(1, writesStarted.poll(30, TimeUnit.SECONDS), "the first request's pre-prepare");
            // The first write is in flight: these three wait for it, and are then stepped as one group.
            for (int client = 1; client < 4; client++) {
                actor.tell(new ReplicaActor.ClientSubmit(requestFrom(client, 1, put("k" + client, "v")),
                        clients.get(client).ref()));
            }
            peers.get(1).expectNoMessage(Duration.ofMillis(200));
            writesAllowed.release();
            assertEquals(1L, nextPrePrepare().prePrepare().body().sequence());
            assertEquals(3, writesStarted.poll(30, TimeUnit.SECONDS), "the three queued pre-prepares, in one write");
            // Their pre-prepares must not leave before that write is durable (PBFT §4.2).
            peers.get(1).expectNoMessage(Duration.ofMillis(300));
            writesAllowed.release();
            for (long sequence = 2; sequence <= 4; sequence++) {
                assertEquals(sequence, nextPrePrepare().prePrepare().body().sequence());
            }
            assertEquals(2, metrics.count("journal.writes"));
            assertEquals(4, metrics.count("journal.steps"), "four core steps in two writes");
            assertTrue(writesStarted.isEmpty(), "no other write: " + writesStarted);
        } finally {
            writesAllowed.release(100);
            journal.resetPolicy();
        }
    }

    @Test
    void aStepWhoseWriteFailsSendsNothing() {
        replica.persistenceTestKit().failNextPersisted(persistenceId);
        TestProbe<ClientResponse> client = testKit.createTestProbe();
        // A replica whose journal fails stops (and recovers when restarted), so the test kit gets no state back.
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> runStep(
                new ReplicaActor.ClientSubmit(request(1, put("colour", "green")), client.ref())));
        // The pre-prepare was never durable, so it must never reach a backup.
        for (TestProbe<ReplicaActor.Command> peer : peers.values()) {
            peer.expectNoMessage(Duration.ofMillis(300));
        }
        assertEquals(0, metrics.count("journal.writes"));
    }

    @Test
    void aRestartRecoversExactlyThePreCrashCoreStateAndTheReplicaGoesOn() {
        for (long sequence = 1; sequence <= 3; sequence++) {
            order(sequence, "key-" + sequence);
        }
        ReplicaStatus before = status();
        ExecutedState executedBefore = executedState();
        assertEquals(3, before.lastExecutedSequence());

        replica.restart();

        assertEquals(withoutDropCounts(before), withoutDropCounts(status()));
        assertEquals(executedBefore, executedState());
        order(4, "key-4");
        assertEquals(4, status().lastExecutedSequence());
    }

    @Test
    void aStableCheckpointSavesTheCompactedHistoryAndRecoveryStartsFromIt() {
        List<ProtocolEvent> events = new ArrayList<>();
        for (long sequence = 1; sequence <= CHECKPOINT_INTERVAL + 1; sequence++) {
            events.addAll(order(sequence, "key-" + sequence));
        }
        var ownCheckpoint = events.stream().filter(ProtocolEvent.CheckpointSent.class::isInstance)
                .map(event -> ((ProtocolEvent.CheckpointSent) event).checkpoint().body()).findFirst().orElseThrow();
        assertEquals(CHECKPOINT_INTERVAL, ownCheckpoint.sequence());
        runStep(peerMessage(1, new Checkpoint(CHECKPOINT_INTERVAL, ownCheckpoint.stateDigest(), 1)));
        var stable = runStep(peerMessage(2, new Checkpoint(CHECKPOINT_INTERVAL, ownCheckpoint.stateDigest(), 2)));
        assertTrue(stable.stream().anyMatch(ProtocolEvent.CheckpointStabilized.class::isInstance));

        var snapshots = replica.snapshotTestKit().orElseThrow().persistedInStorage(persistenceId);
        assertEquals(1, snapshots.size());
        var snapshot = assertInstanceOf(ReplicaSnapshot.class, snapshots.get(0).second());
        var recorded = assertInstanceOf(ProtocolEvent.CheckpointStateRecorded.class, snapshot.events().get(0));
        assertEquals(CHECKPOINT_INTERVAL, recorded.sequence());

        ReplicaStatus before = status();
        ExecutedState executedBefore = executedState();
        replica.restart();
        assertEquals(withoutDropCounts(before), withoutDropCounts(status()));
        assertEquals(executedBefore, executedState());
        assertEquals(CHECKPOINT_INTERVAL, status().lowWatermark());
    }

    @Test
    void commandsThatChangeNothingPersistNothing() {
        assertTrue(runStep(new ReplicaActor.PeerMessage(Bytes.ofUtf8("not an envelope"))).isEmpty());
        assertEquals(1, metrics.count("decode.rejected.TRUNCATED_OR_MALFORMED"));
        TestProbe<ClientResponse> client = testKit.createTestProbe();
        assertTrue(runStep(new ReplicaActor.ClientSubmit(Bytes.ofUtf8("garbage"), client.ref())).isEmpty());
        assertEquals(RejectionReason.MALFORMED,
                assertInstanceOf(ClientResponse.Rejected.class, client.receiveMessage()).reason());
        assertTrue(runStep(ReplicaActor.Timer.TICK).isEmpty());
        var node = new Address("pekko", "concordat", "127.0.0.1", 25521);
        assertTrue(runStep(new ReplicaActor.MembershipChanged(new MembershipHint(
                MembershipHint.Kind.UNREACHABLE, Optional.of(2), node))).isEmpty());
        assertEquals(0, status().lastExecutedSequence());
        assertEquals(0, metrics.count("journal.writes"));
    }

    @Test
    void damagedRecordedStateMakesTheReplicaRefuseToStartAndSayHowToRecover() {
        var proof = new ArrayList<io.concordat.protocol.message.Signed<Checkpoint>>();
        Digest digest = Sha256.of(Bytes.ofUtf8("some state"));
        for (int id = 0; id < 3; id++) {
            proof.add(new MessageSigner(keys.get(id).signer(), codec).sign(new Checkpoint(4, digest, id)));
        }
        replica.persistenceTestKit().persistForRecovery(persistenceId, List.of(
                new ProtocolEvent.CheckpointStateRecorded(4, digest, proof, Bytes.ofUtf8("not a checkpoint state"))));
        replica.restart();

        TestProbe<ClientResponse> client = testKit.createTestProbe();
        replica.runCommand(new ReplicaActor.ClientSubmit(request(1, put("a", "b")), client.ref()));
        var refused = assertInstanceOf(ClientResponse.Rejected.class, client.receiveMessage());
        assertEquals(RejectionReason.REPLICA_HALTED, refused.reason());
        assertTrue(refused.detail().contains("refuses to start"), refused.detail());
        assertTrue(refused.detail().contains("wipe this replica's data directory"), refused.detail());
        assertEquals(1, metrics.count("replica.recovery.failed"));
        assertTrue(replica.getState().status().isEmpty(), "no core was started from partial state");
    }

    // ---------------------------------------------------------------- helpers

    /** Orders one request at {@code sequence} with replicas 1 and 2 as the other members of the quorum. */
    private List<ProtocolEvent> order(long sequence, String key) {
        List<ProtocolEvent> events = new ArrayList<>();
        TestProbe<ClientResponse> client = testKit.createTestProbe();
        events.addAll(runStep(new ReplicaActor.ClientSubmit(request(sequence, put(key, "value")), client.ref())));
        Envelope.PrePrepareEnvelope prePrepare = nextPrePrepare();
        assertEquals(sequence, prePrepare.prePrepare().body().sequence());
        Digest digest = prePrepare.prePrepare().body().batchDigest();
        for (int peer = 1; peer <= 2; peer++) {
            events.addAll(runStep(peerMessage(peer, new Prepare(0, sequence, digest, peer))));
        }
        for (int peer = 1; peer <= 2; peer++) {
            events.addAll(runStep(peerMessage(peer, new Commit(0, sequence, digest, peer))));
        }
        assertInstanceOf(ClientResponse.Replied.class, client.receiveMessage());
        return events;
    }

    /**
     * Runs one command and then the group write it asked for ({@link ReplicaActor.WriteGroup}), and returns the
     * events written. The test kit cannot wait for a message the actor sends itself, so the test sends it; the
     * actor's own request then finds nothing left to write.
     */
    private List<ProtocolEvent> runStep(ReplicaActor.Command command) {
        int before = replica.persistenceTestKit().persistedInStorage(persistenceId).size();
        replica.runCommand(command);
        // The actor asked itself for the write while handling the command, so that request is queued before
        // this one: when this command's state comes back, both writes are done.
        replica.runCommand(ReplicaActor.WriteGroup.INSTANCE);
        List<Object> stored = replica.persistenceTestKit().persistedInStorage(persistenceId);
        List<ProtocolEvent> events = new ArrayList<>();
        stored.subList(before, stored.size()).forEach(event -> events.add((ProtocolEvent) event));
        return events;
    }

    private ReplicaStatus status() {
        return replica.<ReplicaStatus>runCommand(ReplicaActor.GetStatus::new).reply();
    }

    private ExecutedState executedState() {
        return replica.<ExecutedState>runCommand(ReplicaActor.GetExecutedState::new).reply();
    }

    /** Drop counters are observations, not recovered state. */
    private static ReplicaStatus withoutDropCounts(ReplicaStatus status) {
        return new ReplicaStatus(status.replicaId(), status.view(), status.primary(), status.lastExecutedSequence(),
                status.lowWatermark(), status.highWatermark(), status.stableCheckpointDigest(),
                status.pendingRequests(), Map.of());
    }

    private Envelope.PrePrepareEnvelope nextPrePrepare() {
        while (true) {
            Bytes bytes = ((ReplicaActor.PeerMessage) peers.get(1).receiveMessage()).envelope();
            Envelope envelope = ((DecodeResult.Decoded) codec.decodeEnvelope(bytes)).envelope();
            if (envelope instanceof Envelope.PrePrepareEnvelope prePrepare) {
                return prePrepare;
            }
        }
    }

    private static Bytes put(String key, String value) {
        return KeyValueOperations.put(Bytes.ofUtf8(key), Bytes.ofUtf8(value));
    }

    private Bytes requestFrom(int client, long number, Bytes operation) {
        var key = Ed25519KeyPair.fromSeed(LocalCluster.seed("durable-test-client", client));
        var signed = new MessageSigner(key.signer(), codec)
                .sign(new ClientRequest(key.publicKey(), number, operation, false));
        return codec.encodeEnvelope(new Envelope.MessageEnvelope(signed));
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

    private static List<Class<?>> classesOf(List<ProtocolEvent> events) {
        List<Class<?>> classes = new ArrayList<>();
        events.forEach(event -> classes.add(event.getClass()));
        return classes;
    }
}
