package io.concordat.replica;

import io.concordat.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Who is waiting for a reply to which client request, so that a {@code Destination.Client} from the core
 * can be delivered. Bounded three ways: at most {@code routesPerClient} waiting submissions per client,
 * at most {@code clientsMax} clients (the least recently active go first), and nothing older than
 * {@code expiryNanos}. Used from the replica actor's thread only.
 */
final class ClientRoutes {
    private record Route(long requestNumber, ActorRef<ClientResponse> replyTo, long registeredAtNanos) {}

    private final int clientsMax;
    private final int routesPerClient;
    private final long expiryNanos;
    /** Access order is registration order: the eldest entry is the client that registered least recently. */
    private final LinkedHashMap<PublicKey, List<Route>> routes = new LinkedHashMap<>();
    private long evicted;

    ClientRoutes(int clientsMax, int routesPerClient, long expiryNanos) {
        this.clientsMax = clientsMax;
        this.routesPerClient = routesPerClient;
        this.expiryNanos = expiryNanos;
    }

    /** Remembers that {@code replyTo} waits for the reply to {@code requestNumber} of {@code clientId}. */
    void register(PublicKey clientId, long requestNumber, ActorRef<ClientResponse> replyTo, long nowNanos) {
        List<Route> waiting = routes.remove(clientId);
        if (waiting == null) {
            waiting = new ArrayList<>(2);
        }
        waiting.removeIf(route -> route.replyTo().equals(replyTo) && route.requestNumber() == requestNumber);
        waiting.add(new Route(requestNumber, replyTo, nowNanos));
        while (waiting.size() > routesPerClient) {
            waiting.remove(indexToEvict(waiting));
            evicted++;
        }
        routes.put(clientId, waiting);
        while (routes.size() > clientsMax) {
            Iterator<List<Route>> eldest = routes.values().iterator();
            evicted += eldest.next().size();
            eldest.remove();
        }
    }

    /**
     * The oldest route of the client's oldest request: a reply to a newer request makes the older ones moot,
     * so copies of the newest request (a client that sent the same request several times at once) are
     * the last to go.
     */
    private static int indexToEvict(List<Route> waiting) {
        int chosen = 0;
        for (int index = 1; index < waiting.size(); index++) {
            if (waiting.get(index).requestNumber() < waiting.get(chosen).requestNumber()) {
                chosen = index;
            }
        }
        return chosen;
    }

    /**
     * The submissions waiting for the reply to {@code requestNumber}; they are forgotten, together with any
     * waiting for older requests of the same client, which will never be answered.
     */
    List<ActorRef<ClientResponse>> takeWaiting(PublicKey clientId, long requestNumber) {
        List<Route> waiting = routes.get(clientId);
        if (waiting == null) {
            return List.of();
        }
        var answered = new ArrayList<ActorRef<ClientResponse>>(1);
        for (Route route : waiting) {
            if (route.requestNumber() == requestNumber) {
                answered.add(route.replyTo());
            }
        }
        waiting.removeIf(route -> route.requestNumber() <= requestNumber);
        if (waiting.isEmpty()) {
            routes.remove(clientId);
        }
        return answered;
    }

    /** Forgets clients whose latest submission is older than the expiry; returns how many routes went. */
    int expire(long nowNanos) {
        int expired = 0;
        Iterator<Map.Entry<PublicKey, List<Route>>> entries = routes.entrySet().iterator();
        while (entries.hasNext()) {
            List<Route> waiting = entries.next().getValue();
            long newest = waiting.get(waiting.size() - 1).registeredAtNanos();
            if (nowNanos - newest < expiryNanos) {
                break;
            }
            expired += waiting.size();
            entries.remove();
        }
        return expired;
    }

    int clients() {
        return routes.size();
    }

    /** How many routes were evicted by the bounds (not by expiry) so far. */
    long evicted() {
        return evicted;
    }
}
