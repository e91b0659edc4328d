package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.concordat.common.Bytes;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.message.Batch;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderedLogTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    @Test
    void streamsFromAnyRetainedPositionThenFollowsNewEntries() throws Exception {
        var retained = new RetainedLog();
        var log = new OrderedLog(retained);
        appendThrough(retained, 1, 5);
        CompletableFuture<List<CommittedEntry>> fromThree = log.from(3).take(5)
                .runWith(Sink.seq(), testKit.system()).toCompletableFuture();
        appendThrough(retained, 6, 8);
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), sequences(fromThree.get(30, TimeUnit.SECONDS)));
    }

    @Test
    void aReaderWaitsForEntriesThatAreNotCommittedYet() throws Exception {
        var retained = new RetainedLog();
        var log = new OrderedLog(retained);
        CompletableFuture<List<CommittedEntry>> waiting = log.from(1).take(2)
                .runWith(Sink.seq(), testKit.system()).toCompletableFuture();
        appendThrough(retained, 1, 2);
        assertEquals(List.of(1L, 2L), sequences(waiting.get(30, TimeUnit.SECONDS)));
    }

    @Test
    void discardedPositionsFailWithTheOldestRetainedOne() {
        var retained = new RetainedLog();
        var log = new OrderedLog(retained);
        appendThrough(retained, 1, 10);
        retained.discardThrough(6);
        assertEquals(OptionalLong.of(7), log.oldestRetainedSequence());
        assertEquals(OptionalLong.of(10), log.latestSequence());
        var failure = assertThrows(ExecutionException.class, () -> log.from(3).runWith(Sink.seq(), testKit.system())
                .toCompletableFuture().get(30, TimeUnit.SECONDS));
        var notRetained = assertInstanceOf(PositionNotRetainedException.class, failure.getCause());
        assertEquals(3, notRetained.requestedSequence());
        assertEquals(7, notRetained.oldestRetainedSequence());
    }

    @Test
    void theOldestRetainedStreamStartsAfterTheDiscardedOnes() throws Exception {
        var retained = new RetainedLog();
        var log = new OrderedLog(retained);
        appendThrough(retained, 1, 4);
        retained.discardThrough(4);
        CompletableFuture<List<CommittedEntry>> oldest = log.fromOldestRetained().take(1)
                .runWith(Sink.seq(), testKit.system()).toCompletableFuture();
        appendThrough(retained, 5, 5);
        assertEquals(List.of(5L), sequences(oldest.get(30, TimeUnit.SECONDS)));
    }

    @Test
    void streamsCompleteWhenTheReplicaStops() throws Exception {
        var retained = new RetainedLog();
        var log = new OrderedLog(retained);
        appendThrough(retained, 1, 1);
        CompletableFuture<List<CommittedEntry>> all = log.from(1).runWith(Sink.seq(), testKit.system())
                .toCompletableFuture();
        retained.close();
        assertEquals(List.of(1L), sequences(all.get(30, TimeUnit.SECONDS)));
    }

    @Test
    void sequenceNumbersOnlyGrow() {
        var retained = new RetainedLog();
        appendThrough(retained, 1, 3);
        assertThrows(IllegalArgumentException.class, () -> retained.append(entry(3)));
        assertThrows(IllegalArgumentException.class, () -> new OrderedLog(retained).from(0));
    }

    private static void appendThrough(RetainedLog retained, long first, long last) {
        for (long sequence = first; sequence <= last; sequence++) {
            retained.append(entry(sequence));
        }
    }

    private static CommittedEntry entry(long sequence) {
        var digest = Sha256.of(Bytes.ofUtf8("batch " + sequence));
        return new CommittedEntry(sequence, 0, Batch.NULL, new CommitCertificate(0, sequence, digest, List.of(), 3));
    }

    private static List<Long> sequences(List<CommittedEntry> entries) {
        return entries.stream().map(CommittedEntry::sequence).collect(Collectors.toList());
    }
}
