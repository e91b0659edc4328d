package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.protocol.ScenarioCluster.InFlight;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Signable;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A slot that some replicas executed in view 0 and that the NEW-VIEW of view 1 re-proposes (PBFT §4.4). With
 * f = 2 and two silent backups, the three replicas that did not execute it need the commit of every one of the
 * five correct replicas in view 1, including those that executed it already.
 */
class ReproposedSlotTest {
    private static final int TIMEOUT = 40;
    private static final List<Integer> SILENT = List.of(5, 6);
    private static final List<Integer> EXECUTED_IN_VIEW_ZERO = List.of(0, 4);

    private final ScenarioCluster cluster = new ScenarioCluster(2,
            ScenarioCluster.smallConfiguration().withViewChangeTimeoutTicks(TIMEOUT, 10));

    private static Optional<Signable> body(InFlight message) {
        return message.envelope() instanceof Envelope.MessageEnvelope envelope
                ? Optional.of(envelope.message().body()) : Optional.empty();
    }

    private static boolean isViewZeroCommit(InFlight message) {
        return body(message).filter(body -> body instanceof Commit commit && commit.view() == 0).isPresent();
    }

    private static boolean isPrepareOfViewOne(InFlight message, int from, int to) {
        return message.toReplica() == to && body(message)
                .filter(body -> body instanceof Prepare prepare && prepare.view() == 1 && prepare.replicaId() == from)
                .isPresent();
    }

    private static boolean silentEnd(InFlight message) {
        return SILENT.contains(message.from()) || SILENT.contains(message.toReplica());
    }

    /**
     * Campaign seed 1000196: replica 0 (which executed the slot in view 0) dropped replica 3's prepare of view 1
     * because it came before the NEW-VIEW. Holding only three prepares, it never committed in view 1; idle, it
     * sent no STATUS, so nobody resent the prepare, and replicas 1 to 3 waited for its commit for good.
     */
    @Test
    void section4_4_aReplicaThatExecutedTheSlotInTheOldViewAsksForWhatItLacksToCommitItInTheNew() {
        cluster.client(0).submit(KeyValueOperations.put(Bytes.ofUtf8("k"), Bytes.ofUtf8("v")));
        // View 0: everyone prepares; only replicas 0 and 4 receive the commits and execute.
        cluster.deliver(message -> !silentEnd(message)
                && (!isViewZeroCommit(message) || EXECUTED_IN_VIEW_ZERO.contains(message.toReplica())));
        cluster.drop(message -> true);
        assertEquals(1, cluster.core(0).status().lastExecutedSequence());
        assertEquals(0, cluster.core(1).status().lastExecutedSequence());

        // Replicas 1 to 3 time out and move to view 1, and view 0's commits never reach them. Replica 3's first
        // prepare of view 1 is lost on its way to replica 0 (in the campaign it came before the NEW-VIEW, and
        // replica 0 dropped it).
        boolean[] earlyPrepareLost = {false};
        Predicate<InFlight> lost = message -> silentEnd(message)
                || (isViewZeroCommit(message) && !EXECUTED_IN_VIEW_ZERO.contains(message.toReplica()))
                || (!earlyPrepareLost[0] && isPrepareOfViewOne(message, 3, 0));
        for (int tick = 0; tick < 20 * TIMEOUT; tick++) {
            for (int replica = 0; replica < 5; replica++) {
                cluster.step(replica, new Input.Tick());
            }
            cluster.deliver(lost.negate());
            boolean prepareQueued = !cluster.queued(message -> isPrepareOfViewOne(message, 3, 0)).isEmpty();
            cluster.drop(lost);
            earlyPrepareLost[0] |= prepareQueued;
        }

        assertTrue(earlyPrepareLost[0], "the scenario lost replica 3's prepare of view 1 on its way to replica 0");
        for (int replica = 0; replica < 5; replica++) {
            assertEquals(1, cluster.core(replica).status().view(),
                    "replica " + replica + " stayed in view 1: its correct primary was not deposed");
            assertEquals(1, cluster.core(replica).status().lastExecutedSequence(),
                    "replica " + replica + " executed the re-proposed slot");
        }
    }
}
