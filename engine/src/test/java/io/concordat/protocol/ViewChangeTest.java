package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.protocol.ScenarioCluster.InFlight;
import io.concordat.protocol.ScenarioCluster.ScenarioClient;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.PreparedCertificate;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** View changes (PBFT OSDI §4.4, TOCS §4.5) over the pure core. viewChangeTimeoutTicks = 40. */
class ViewChangeTest {
    private static final int TIMEOUT = 40;
    private final ScenarioCluster cluster = new ScenarioCluster(1,
            ScenarioCluster.smallConfiguration().withViewChangeTimeoutTicks(TIMEOUT, 10));
    private final ScenarioClient client = cluster.client(0);

    private static Bytes put(String key, String value) {
        return KeyValueOperations.put(Bytes.ofUtf8(key), Bytes.ofUtf8(value));
    }

    private static boolean fromOrTo(InFlight message, int replica) {
        return message.from() == replica || message.toReplica() == replica;
    }

    /** Crashes replica {@code crashed}: everything to or from it is lost, and it never ticks again. */
    private void runWithout(int crashed, int ticks) {
        runWithout(cluster, List.of(crashed), ticks);
    }

    private static void runWithout(ScenarioCluster cluster, List<Integer> crashed, int ticks) {
        for (int tick = 0; tick < ticks; tick++) {
            for (int replica = 0; replica < cluster.size(); replica++) {
                if (!crashed.contains(replica)) {
                    cluster.step(replica, new Input.Tick());
                }
            }
            cluster.deliver(message -> crashed.stream().noneMatch(replica -> fromOrTo(message, replica)));
            cluster.drop(message -> crashed.stream().anyMatch(replica -> fromOrTo(message, replica)));
        }
    }

    @Test
    void section4_4_aSilentPrimaryIsReplacedAndTheWaitingRequestExecutesInTheNewView() {
        client.submit(put("k", "v"));
        cluster.drop(message -> message.toReplica() == 0);
        runWithout(0, 3 * TIMEOUT);

        for (int backup = 1; backup < 4; backup++) {
            ReplicaStatus status = cluster.core(backup).status();
            assertEquals(1, status.view(), "replica " + backup + " moved to view 1");
            assertEquals(1, status.primary());
            assertTrue(cluster.core(backup).viewActive());
            assertEquals(1, status.lastExecutedSequence());
        }
        assertEquals(3, client.replies(1).size(), "the three live replicas answered");
        assertTrue(cluster.persistedBy(2).stream().anyMatch(ProtocolEvent.ViewChangeSent.class::isInstance));
        assertTrue(cluster.persistedBy(2).stream().anyMatch(ProtocolEvent.NewViewAccepted.class::isInstance));
    }

    @Test
    void section4_4_aBatchPreparedInTheOldViewSurvivesIntoTheNewViewAndExecutesOnce() {
        // Status retransmission would recover the lost commits within view 0; make it slower than the view
        // change so that the prepared certificates must carry the batch into view 1.
        ScenarioCluster slowStatus = new ScenarioCluster(1, ScenarioCluster.smallConfiguration()
                .withStatusIntervalTicks(100 * TIMEOUT).withViewChangeTimeoutTicks(TIMEOUT, 10));
        slowStatus.client(0).submit(put("k", "v"));
        // Everyone prepares sequence 1, but no commit arrives anywhere; then the primary crashes.
        slowStatus.deliver(message -> !message.kind().equals("Commit"));
        slowStatus.drop(message -> message.kind().equals("Commit"));
        assertEquals(0, slowStatus.core(1).status().lastExecutedSequence());
        // The backups' STATUS (they seek contact before suspecting) would bring the commits back within view
        // 0; lose those too, until the backups have left view 0.
        for (int tick = 0; tick < 3 * TIMEOUT; tick++) {
            for (int replica = 1; replica < 4; replica++) {
                slowStatus.step(replica, new Input.Tick());
            }
            boolean inViewZero = slowStatus.core(1).status().view() == 0;
            slowStatus.deliver(message -> !fromOrTo(message, 0) && !(inViewZero && message.kind().equals("Commit")));
            slowStatus.drop(message -> true);
        }

        for (int backup = 1; backup < 4; backup++) {
            List<Execution.ExecuteBatch> executed = slowStatus.executedBy(backup);
            assertEquals(1, executed.stream().mapToInt(batch -> batch.requests().size()).sum(),
                    "replica " + backup + " executed the request exactly once");
            assertEquals(1, executed.get(0).sequence(), "at the sequence number it prepared at in view 0");
            assertEquals(1, executed.get(0).view());
        }
    }

    @Test
    void section4_4_aBatchExecutedBeforeTheViewChangeIsNotExecutedAgain() {
        client.submit(put("k", "v"));
        // Replica 1 commits and executes; the others prepared but lost their commits.
        cluster.deliver(message -> !message.kind().equals("Commit") || message.toReplica() == 1);
        cluster.drop(message -> message.kind().equals("Commit"));
        assertEquals(1, cluster.core(1).status().lastExecutedSequence());
        assertEquals(0, cluster.core(2).status().lastExecutedSequence());
        runWithout(0, 3 * TIMEOUT);

        assertEquals(1, cluster.executedBy(1).size(), "replica 1 did not execute sequence 1 again");
        assertEquals(1, cluster.core(2).status().lastExecutedSequence());
        assertEquals(cluster.stores.get(1).stateDigest(), cluster.stores.get(2).stateDigest());
    }

    @Test
    void section4_4_theTimeoutDoublesWhenTheNextPrimaryIsSilentToo() {
        // f = 2: the primaries of views 0 and 1 are both down, the five others are a quorum.
        ScenarioCluster seven = new ScenarioCluster(2,
                ScenarioCluster.smallConfiguration().withViewChangeTimeoutTicks(TIMEOUT, 10));
        seven.client(0).submit(put("k", "v"));
        long enteredView1 = -1;
        long enteredView2 = -1;
        for (int tick = 1; tick <= 8 * TIMEOUT; tick++) {
            runWithout(seven, List.of(0, 1), 1);
            long view = seven.core(3).status().view();
            if (view == 1 && enteredView1 < 0) {
                enteredView1 = tick;
            }
            if (view == 2 && enteredView2 < 0) {
                enteredView2 = tick;
            }
        }
        assertEquals(2, seven.core(3).status().view(), "view 1 never got its NEW-VIEW, so the replicas moved on");
        assertTrue(seven.core(3).viewActive());
        assertEquals(1, seven.core(3).status().lastExecutedSequence());
        assertTrue(enteredView1 >= TIMEOUT && enteredView1 < 2 * TIMEOUT,
                "the request timer expired after one timeout, at tick " + enteredView1);
        assertTrue(enteredView2 - enteredView1 >= 2 * TIMEOUT,
                "the wait for view 1's NEW-VIEW lasted twice the timeout: " + (enteredView2 - enteredView1) + " ticks");
    }

    @Test
    void section4_5_2_fPlusOneViewChangesForAHigherViewMakeAReplicaJoin() {
        for (int replica = 1; replica <= 2; replica++) {
            var viewChange = viewChangeFrom(replica, 1, List.of());
            cluster.step(3, new Input.Receive(new Envelope.MessageEnvelope(viewChange)));
        }
        assertEquals(1, cluster.core(3).status().view());
        assertFalse(cluster.core(3).viewActive());
        assertTrue(cluster.persistedBy(3).stream().anyMatch(ProtocolEvent.ViewChangeSent.class::isInstance),
                "replica 3 joined view 1 although its own timer never expired");
    }

    @Test
    void section4_4_oneViewChangeAloneDoesNotMoveAReplica() {
        cluster.step(3, new Input.Receive(new Envelope.MessageEnvelope(viewChangeFrom(1, 1, List.of()))));
        assertEquals(0, cluster.core(3).status().view());
        assertTrue(cluster.core(3).viewActive());
    }

    @Test
    void section4_4_aViewChangeWithAForgedPreparedCertificateIsRejected() {
        MessageSigner primary = signer(0);
        Batch batch = new Batch(List.of(client.request(put("a", "1"))));
        Signed<PrePrepare> prePrepare = primary.sign(new PrePrepare(0, 1, batch.digest(), 0));
        // Replica 1 forges replica 2's prepare with its own key.
        Signed<Prepare> own = signer(1).sign(new Prepare(0, 1, batch.digest(), 1));
        Signed<Prepare> forged = signer(1).sign(new Prepare(0, 1, batch.digest(), 2));
        var certificate = new PreparedCertificate(prePrepare, List.of(own, forged));
        cluster.step(3, new Input.Receive(new Envelope.MessageEnvelope(viewChangeFrom(1, 1, List.of(certificate)))));
        Dropped drop = last(cluster.droppedBy(3));
        assertEquals(DropReason.MALFORMED, drop.reason());
        assertTrue(drop.detail().contains("does not verify"), drop.detail());
    }

    @Test
    void section4_4_aBackupRejectsANewViewWhoseOSetDoesNotFollowFromTheViewChanges() {
        List<Signed<ViewChange>> viewChanges = List.of(viewChangeFrom(1, 1, List.of()), viewChangeFrom(2, 1, List.of()),
                viewChangeFrom(3, 1, List.of()));
        // V holds no prepared certificate, so O must be empty; the new primary slips in a batch of its own.
        Batch invented = new Batch(List.of(client.request(put("evil", "1"))));
        var prePrepare = signer(1).sign(new PrePrepare(1, 1, invented.digest(), 1));
        var newView = signer(1).sign(new NewView(1, viewChanges, List.of(prePrepare), 1));
        cluster.step(2, new Input.Receive(new Envelope.MessageEnvelope(newView)));
        Dropped drop = last(cluster.droppedBy(2));
        assertEquals(DropReason.MALFORMED, drop.reason());
        assertTrue(drop.detail().contains("pre-prepares"), drop.detail());
        assertEquals(0, cluster.core(2).status().view());
    }

    @Test
    void section4_4_aNewViewFromAReplicaThatIsNotTheNewPrimaryIsRejected() {
        List<Signed<ViewChange>> viewChanges = List.of(viewChangeFrom(1, 1, List.of()), viewChangeFrom(2, 1, List.of()),
                viewChangeFrom(3, 1, List.of()));
        var newView = signer(2).sign(new NewView(1, viewChanges, List.of(), 2));
        cluster.step(3, new Input.Receive(new Envelope.MessageEnvelope(newView)));
        assertEquals(DropReason.NOT_FROM_PRIMARY, last(cluster.droppedBy(3)).reason());
    }

    @Test
    void section4_4_anIdlePrimarySendsHeartbeatsSoNoViewChangeHappens() {
        for (int tick = 0; tick < 5 * TIMEOUT; tick++) {
            cluster.tickAll(1);
            cluster.deliverAll();
        }
        for (int replica = 0; replica < 4; replica++) {
            assertEquals(0, cluster.core(replica).status().view());
        }
    }

    @Test
    void section4_4_aCrashedIdlePrimaryIsReplacedWithoutAnyClientTraffic() {
        runWithout(0, 4 * TIMEOUT);
        for (int backup = 1; backup < 4; backup++) {
            assertEquals(1, cluster.core(backup).status().view());
            assertTrue(cluster.core(backup).viewActive());
        }
    }

    @Test
    void aReplicaThatMissedTheNewViewCatchesUpThroughStatus() {
        client.submit(put("k", "v"));
        cluster.drop(message -> message.toReplica() == 0);
        // Replica 3 hears nothing during the view change, then comes back.
        for (int tick = 0; tick < 3 * TIMEOUT; tick++) {
            for (int replica = 1; replica < 3; replica++) {
                cluster.step(replica, new Input.Tick());
            }
            cluster.drop(message -> fromOrTo(message, 0) || message.toReplica() == 3);
            cluster.deliverAll();
        }
        runWithout(0, 6 * TIMEOUT);
        assertEquals(1, cluster.core(3).status().view());
        assertTrue(cluster.core(3).viewActive());
        assertEquals(cluster.stores.get(1).stateDigest(), cluster.stores.get(3).stateDigest());
    }

    /**
     * Regression test (found by the process-level crash campaign): a replica that was down during a view change
     * comes back in the old view, holds a request whose timer runs, and then enters the new view through the
     * NEW-VIEW the others send it. The new view must start with a full timeout; with the old view's timer left
     * running it suspected the new primary moments later, moved on alone to the next view and was stranded
     * there, one of the f faulty replicas for as long as the others stayed in the view it had left.
     */
    @Test
    void section4_4_aReplicaThatEntersANewViewThroughItsNewViewGivesTheNewPrimaryAFullTimeout() {
        runWithout(0, 4 * TIMEOUT);
        assertEquals(1, cluster.core(1).status().view());
        // Replica 0 is back, still in view 0, and receives a request only it knows: its request timer starts.
        client.submit(put("k", "v"), 0);
        cluster.deliver(message -> message.from() == -1);
        // For most of a timeout its messages reach the others, theirs do not reach it.
        for (int tick = 0; tick < TIMEOUT - 10; tick++) {
            cluster.tickAll(1);
            cluster.deliver(message -> message.toReplica() != 0);
            cluster.drop(message -> message.toReplica() == 0);
        }
        assertEquals(0, cluster.core(0).status().view(), "replica 0 has not heard of view 1 yet");
        // Then it hears them: its STATUS is answered with the NEW-VIEW of view 1.
        int ticksToEnter = 0;
        while (cluster.core(0).status().view() != 1 || !cluster.core(0).viewActive()) {
            cluster.tickAll(1);
            cluster.deliverAll();
            assertTrue(++ticksToEnter < 10, "replica 0 did not enter view 1: " + cluster.core(0).status());
        }
        // Now it hears nothing, so its request cannot execute; it may suspect the new primary, but only after a
        // full timeout of the new view.
        for (int tick = 0; tick < TIMEOUT - 1; tick++) {
            cluster.step(0, new Input.Tick());
            cluster.drop(message -> true);
        }
        assertEquals(1, cluster.core(0).status().view(), "replica 0 left view 1 before a full timeout");
        assertTrue(cluster.core(0).viewActive());
        // Hearing nobody, it does not start a view change it could not complete (it would strand itself); it
        // asks the others for contact instead.
        cluster.tick(0, 2 * TIMEOUT);
        assertEquals(1, cluster.core(0).status().view(), "an isolated replica does not suspect alone");
        assertTrue(cluster.core(0).viewActive());
    }

    @Test
    void section4_4_aForgedViewChangeForTheCurrentViewGetsNoNewViewInAnswer() {
        client.submit(put("k", "v"));
        cluster.drop(message -> message.toReplica() == 0);
        runWithout(0, 3 * TIMEOUT);
        assertTrue(cluster.core(2).viewActive() && cluster.core(2).status().view() == 1, "replica 2 is in view 1");

        // Replica 3 claims to be replica 0, which missed the NEW-VIEW, signing with its own key.
        Signed<ViewChange> forged = signer(3).sign(new ViewChange(1, 0, CheckpointTracker.GENESIS_DIGEST, List.of(),
                List.of(), 0));
        Ready answer = cluster.step(2, new Input.Receive(new Envelope.MessageEnvelope(forged)));
        assertTrue(answer.send().isEmpty(), "nothing is sent in answer to a forged VIEW-CHANGE: " + answer.send());
        assertEquals(DropReason.BAD_SIGNATURE, last(answer.dropped()).reason());

        // The same VIEW-CHANGE really signed by replica 0 gets the NEW-VIEW of view 1.
        Ready genuine = cluster.step(2, new Input.Receive(new Envelope.MessageEnvelope(viewChangeFrom(0, 1, List.of()))));
        assertEquals(1, genuine.send().size());
        assertTrue(genuine.send().get(0).envelope() instanceof Envelope.MessageEnvelope envelope
                && envelope.message().body() instanceof NewView newView && newView.view() == 1, genuine.send().toString());
    }

    private MessageSigner signer(int replica) {
        return new MessageSigner(cluster.keys.get(replica).signer(), cluster.codec);
    }

    private Signed<ViewChange> viewChangeFrom(int replica, long newView, List<PreparedCertificate> certificates) {
        return signer(replica).sign(new ViewChange(newView, 0, CheckpointTracker.GENESIS_DIGEST, List.of(),
                certificates, replica));
    }

    private static Dropped last(List<Dropped> drops) {
        assertFalse(drops.isEmpty(), "nothing was dropped");
        return drops.get(drops.size() - 1);
    }
}
