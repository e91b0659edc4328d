package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientRoutesTest {
    private static final long SECOND = 1_000_000_000L;

    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    @Test
    void aReplyReachesTheSubmissionsForItsRequestOnly() {
        var routes = new ClientRoutes(10, 4, 60 * SECOND);
        ActorRef<ClientResponse> first = ref();
        ActorRef<ClientResponse> retransmission = ref();
        ActorRef<ClientResponse> later = ref();
        routes.register(client(1), 5, first, 0);
        routes.register(client(1), 5, retransmission, 1);
        routes.register(client(1), 6, later, 2);
        assertEquals(List.of(first, retransmission), routes.takeWaiting(client(1), 5));
        assertEquals(List.of(), routes.takeWaiting(client(1), 5), "a reply is delivered once");
        assertEquals(List.of(), routes.takeWaiting(client(2), 6), "another client's reply");
        assertEquals(List.of(later), routes.takeWaiting(client(1), 6));
        assertEquals(0, routes.clients());
    }

    @Test
    void aReplyForANewerRequestForgetsSubmissionsOfOlderOnes() {
        var routes = new ClientRoutes(10, 4, 60 * SECOND);
        routes.register(client(1), 3, ref(), 0);
        routes.register(client(1), 4, ref(), 0);
        assertEquals(1, routes.takeWaiting(client(1), 4).size());
        assertEquals(List.of(), routes.takeWaiting(client(1), 3));
    }

    @Test
    void routesAreBoundedPerClientAndInTotal() {
        var routes = new ClientRoutes(2, 2, 60 * SECOND);
        ActorRef<ClientResponse> oldest = ref();
        routes.register(client(1), 1, oldest, 0);
        routes.register(client(1), 1, ref(), 0);
        routes.register(client(1), 1, ref(), 0);
        assertEquals(2, routes.takeWaiting(client(1), 1).size(), "the oldest of three was evicted");
        routes.register(client(1), 2, ref(), 1);
        routes.register(client(2), 2, ref(), 2);
        routes.register(client(3), 2, ref(), 3);
        assertEquals(2, routes.clients());
        assertEquals(List.of(), routes.takeWaiting(client(1), 2), "the least recently active client went first");
        assertEquals(2, routes.evicted());
    }

    /** Ten copies of one request sent at once all get the reply (the default bound is 16 per client). */
    @Test
    void everyCopyOfARequestSentAtOnceGetsTheReply() {
        var settings = ReplicaSettings.defaults();
        var routes = new ClientRoutes(settings.clientRoutesMax(), settings.clientRoutesPerClient(), 60 * SECOND);
        List<ActorRef<ClientResponse>> copies = new java.util.ArrayList<>();
        for (int copy = 0; copy < 10; copy++) {
            copies.add(ref());
            routes.register(client(1), 7, copies.get(copy), copy);
        }
        assertEquals(copies, routes.takeWaiting(client(1), 7));
        assertEquals(0, routes.evicted());
    }

    /** Over the bound, routes of an older request go before any copy of the newest one. */
    @Test
    void theOldestRequestsRoutesAreEvictedFirst() {
        var routes = new ClientRoutes(10, 3, 60 * SECOND);
        List<ActorRef<ClientResponse>> newest = List.of(ref(), ref(), ref());
        for (ActorRef<ClientResponse> copy : newest) {
            routes.register(client(1), 2, copy, 0);
        }
        // A late retransmission of an older request arrives after the copies of the newer one.
        routes.register(client(1), 1, ref(), 1);
        assertEquals(newest, routes.takeWaiting(client(1), 2), "no copy of request 2 was evicted");
        assertEquals(1, routes.evicted());
    }

    @Test
    void oldRoutesExpire() {
        var routes = new ClientRoutes(10, 4, 60 * SECOND);
        routes.register(client(1), 1, ref(), 0);
        routes.register(client(2), 1, ref(), 30 * SECOND);
        assertEquals(0, routes.expire(59 * SECOND));
        assertEquals(1, routes.expire(61 * SECOND));
        assertEquals(List.of(), routes.takeWaiting(client(1), 1));
        assertEquals(1, routes.takeWaiting(client(2), 1).size());
    }

    @Test
    void aClientThatSubmitsAgainIsNoLongerTheOldest() {
        var routes = new ClientRoutes(10, 4, 60 * SECOND);
        routes.register(client(1), 1, ref(), 0);
        routes.register(client(2), 1, ref(), 10 * SECOND);
        routes.register(client(1), 2, ref(), 50 * SECOND);
        assertEquals(1, routes.expire(75 * SECOND), "client 2 expired; client 1 was active recently");
        assertEquals(1, routes.clients());
    }

    private ActorRef<ClientResponse> ref() {
        return testKit.<ClientResponse>createTestProbe().ref();
    }

    private static PublicKey client(int index) {
        byte[] key = new byte[PublicKey.SIZE_BYTES];
        key[0] = (byte) index;
        return new PublicKey(Bytes.wrap(key));
    }
}
