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
 * restored by state transfer must dedupe exactly like the others); the authenticated reply is this replica's own.
 */
final class ClientSessions {
    private static final class Session {
        long lastRequestNumber;
        Bytes lastResult = Bytes.EMPTY;
        /** False while the last request executes; its result is known afterwards. */
        boolean resultKnown;
        /** This replica's authenticated reply for {@code lastRequestNumber}, if it made one. */
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
        session.resultKnown = false;
        session.lastReply = Optional.empty();
    }

    void recordReply(PublicKey clientId, Bytes result, Signed<Reply> reply) {
        Session session = sessions.get(clientId);
        Invariants.check(session != null && session.lastRequestNumber == reply.body().requestNumber(),
                "reply for request %d of client %s does not match its session", reply.body().requestNumber(), clientId);
        session.lastResult = result;
        session.resultKnown = true;
        session.lastReply = Optional.of(reply);
    }

    /**
     * Records the result of the last executed request without a reply (a batch executed again after a
     * recovery); {@link #unsignedResult} hands it out when the client asks again.
     */
    void recordResult(PublicKey clientId, long requestNumber, Bytes result) {
        Session session = sessions.get(clientId);
        Invariants.check(session != null && session.lastRequestNumber == requestNumber,
                "result for request %d of client %s does not match its session", requestNumber, clientId);
        session.lastResult = result;
        session.resultKnown = true;
        session.lastReply = Optional.empty();
    }

    /** The cached reply, if {@code requestNumber} is the last one executed for this client. */
    Optional<Signed<Reply>> cachedReply(PublicKey clientId, long requestNumber) {
        Session session = sessions.get(clientId);
        if (session == null || session.lastRequestNumber != requestNumber) {
            return Optional.empty();
        }
        return session.lastReply;
    }

    /**
     * The result of the last executed request when this replica knows it but signed no reply for it, as
     * after a state transfer or a re-execution after a recovery; the caller signs a reply and records it with
     * {@link #recordReply}.
     */
    Optional<Bytes> unsignedResult(PublicKey clientId, long requestNumber) {
        Session session = sessions.get(clientId);
        if (session == null || session.lastRequestNumber != requestNumber || !session.resultKnown
                || session.lastReply.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(session.lastResult);
    }

    /** The replicated part (request numbers and results, in key order) for a checkpoint's state. */
    Bytes encode() {
        int size = 4;
        for (Session session : sessions.values()) {
            size += PublicKey.SIZE_BYTES + 8 + 4 + session.lastResult.size();
        }
        byte[] out = new byte[size];
        int offset = BinaryCoding.putInt(out, 0, sessions.size());
        for (Map.Entry<PublicKey, Session> entry : sessions.entrySet()) {
            System.arraycopy(entry.getKey().encoded().unsafeArray(), 0, out, offset, PublicKey.SIZE_BYTES);
            offset += PublicKey.SIZE_BYTES;
            offset = BinaryCoding.putLong(out, offset, entry.getValue().lastRequestNumber);
            Bytes result = entry.getValue().lastResult;
            offset = BinaryCoding.putInt(out, offset, result.size());
            System.arraycopy(result.unsafeArray(), 0, out, offset, result.size());
            offset += result.size();
        }
        return Bytes.wrap(out);
    }

    /** Sessions decoded from {@link #encode()}, or empty if the bytes are malformed in any way. */
    static Optional<ClientSessions> decode(Bytes encoded) {
        byte[] in = encoded.unsafeArray();
        if (in.length < 4) {
            return Optional.empty();
        }
        int count = BinaryCoding.getInt(in, 0);
        int offset = 4;
        ClientSessions decoded = new ClientSessions();
        PublicKey previous = null;
        for (int index = 0; index < count; index++) {
            if (in.length - offset < PublicKey.SIZE_BYTES + 12) {
                return Optional.empty();
            }
            PublicKey clientId = new PublicKey(Bytes.copyOf(in, offset, PublicKey.SIZE_BYTES));
            offset += PublicKey.SIZE_BYTES;
            long requestNumber = BinaryCoding.getLong(in, offset);
            int resultLength = BinaryCoding.getInt(in, offset + 8);
            offset += 12;
            if (requestNumber < 1 || resultLength < 0 || resultLength > in.length - offset
                    || (previous != null && previous.compareTo(clientId) >= 0)) {
                return Optional.empty();
            }
            Session session = new Session();
            session.lastRequestNumber = requestNumber;
            session.lastResult = Bytes.copyOf(in, offset, resultLength);
            session.resultKnown = true;
            offset += resultLength;
            decoded.sessions.put(clientId, session);
            previous = clientId;
        }
        return offset == in.length ? Optional.of(decoded) : Optional.empty();
    }

    /** Replaces every session with those of {@code restored}, as state transfer does. */
    void replaceWith(ClientSessions restored) {
        sessions.clear();
        sessions.putAll(restored.sessions);
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
