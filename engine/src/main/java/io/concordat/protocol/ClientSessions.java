package io.concordat.protocol;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Exactly-once execution (PBFT §4.1): for each client, the last request number executed and its result.
 * A retransmitted request gets the cached reply; an older request number is ignored. The request
 * numbers and results are replicated state (they are part of every checkpoint digest, because a replica
 * restored by state transfer must dedupe exactly like the others); the signed reply is this replica's own.
 */
final class ClientSessions {
    private static final class Session {
        long lastRequestNumber;
        Bytes lastResult = Bytes.EMPTY;
        /** This replica's signed reply for {@code lastRequestNumber}; empty while it is executing. */
        Optional<Signed<Reply>> lastReply = Optional.empty();
    }

    private final Map<PublicKey, Session> sessions = new TreeMap<>();

    /** The last request number handed to execution for this client, or 0. */
    long lastRequestNumber(PublicKey clientId) {
        Session session = sessions.get(clientId);
        return session == null ? 0 : session.lastRequestNumber;
    }

    /**
     * Records that {@code requestNumber} is being executed now, in sequence order. The result follows in
     * {@link #recordReply}.
     */
    void startExecution(PublicKey clientId, long requestNumber) {
        Session session = sessions.computeIfAbsent(clientId, key -> new Session());
        Invariants.check(requestNumber > session.lastRequestNumber,
                "request %d of client %s executed after %d", requestNumber, clientId, session.lastRequestNumber);
        session.lastRequestNumber = requestNumber;
        session.lastResult = Bytes.EMPTY;
        session.lastReply = Optional.empty();
    }

    void recordReply(PublicKey clientId, Bytes result, Signed<Reply> reply) {
        Session session = sessions.get(clientId);
        Invariants.check(session != null && session.lastRequestNumber == reply.body().requestNumber(),
                "reply for request %d of client %s does not match its session", reply.body().requestNumber(), clientId);
        session.lastResult = result;
        session.lastReply = Optional.of(reply);
    }

    /** The cached reply, if {@code requestNumber} is the last one executed for this client. */
    Optional<Signed<Reply>> cachedReply(PublicKey clientId, long requestNumber) {
        Session session = sessions.get(clientId);
        if (session == null || session.lastRequestNumber != requestNumber) {
            return Optional.empty();
        }
        return session.lastReply;
    }

    /** The digest of the replicated part: every client's last request number and result, in key order. */
    Digest digest() {
        Sha256.Builder builder = Sha256.builder().putLong(sessions.size());
        for (Map.Entry<PublicKey, Session> entry : sessions.entrySet()) {
            builder.putBytes(entry.getKey().encoded())
                    .putLong(entry.getValue().lastRequestNumber)
                    .putBytes(entry.getValue().lastResult);
        }
        return builder.build();
    }

    int size() {
        return sessions.size();
    }
}
