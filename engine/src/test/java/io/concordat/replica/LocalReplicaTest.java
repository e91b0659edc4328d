package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalReplicaTest {

    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    /** Stands in for a replica: reports every command it receives to {@code seen}. */
    private static Behavior<ReplicaActor.Command> replica(ActorRef<String> seen, String name) {
        return Behaviors.receive(ReplicaActor.Command.class)
                .onAnyMessage(command -> {
                    seen.tell(name + " got " + command.getClass().getSimpleName());
                    return Behaviors.same();
                })
                .build();
    }

    /** Spawns a stand-in hosted by {@code local} and waits until it has handled a message. */
    private ActorRef<ReplicaActor.Command> started(LocalReplica local, TestProbe<String> seen, String name) {
        ActorRef<ReplicaActor.Command> replica = testKit.spawn(local.hosting(replica(seen.ref(), name)));
        replica.tell(ReplicaActor.Timer.TICK);
        seen.expectMessage(name + " got Timer");
        return replica;
    }

    @Test
    void theReplicaIsPublishedWhileItRunsAndMessagesReachIt() {
        var local = new LocalReplica(0);
        TestProbe<String> seen = testKit.createTestProbe();
        assertEquals(Optional.empty(), local.running(), "nothing runs before the replica starts");

        ActorRef<ReplicaActor.Command> replica = started(local, seen, "first");
        assertEquals(Optional.of(replica), local.running());

        local.running().orElseThrow().tell(ReplicaActor.Timer.TICK);
        seen.expectMessage("first got Timer");
    }

    @Test
    void aStoppedReplicaIsForgottenSoThatMessagesGoThroughShardingAgain() {
        var local = new LocalReplica(0);
        TestProbe<String> seen = testKit.createTestProbe();
        ActorRef<ReplicaActor.Command> replica = started(local, seen, "first");

        testKit.stop(replica);
        seen.awaitAssert(() -> {
            assertTrue(local.running().isEmpty(), "a stopped replica must not stay published");
            return null;
        });
    }

    @Test
    void theLateStopOfAnEarlierReplicaDoesNotHideItsSuccessor() {
        var local = new LocalReplica(0);
        TestProbe<String> seen = testKit.createTestProbe();
        ActorRef<ReplicaActor.Command> first = started(local, seen, "first");
        ActorRef<ReplicaActor.Command> second = started(local, seen, "second");

        testKit.stop(first);
        local.running().orElseThrow().tell(ReplicaActor.Timer.TICK);
        seen.expectMessage("second got Timer");
        assertEquals(Optional.of(second), local.running());
    }
}
