package io.concordat.replica;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PairwiseKeys;
import io.concordat.crypto.PublicKey;
import io.concordat.protocol.Membership;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A PBFT client for tests (PBFT §4.1): signs each request, submits it to every live replica's
 * ClientSubmit, verifies every reply's signature against the replica's key, and accepts a result once
 * f+1 distinct replicas sent the same one. It retransmits to all replicas when a round passes without
 * enough replies. One request outstanding at a time, as the paper assumes.
 */
final class VotingTestClient {
    /** One accepted operation: what the client asked and the result f+1 replicas agreed on. */
    record Outcome(PublicKey clientId, long requestNumber, Bytes operation, Bytes result) {}

    private record Answer(int submittedTo, ClientResponse response, Throwable failure) {}

    private static final Duration ROUND = Duration.ofSeconds(5);
    private static final Duration GIVE_UP = Duration.ofSeconds(180);

    private final Ed25519KeyPair key;
    private final Membership membership;
    private final Supplier<List<ReplicaNode>> replicas;
    private final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    private final MessageSigner signer;
    private final PairwiseKeys replicaKeys;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<ClientResponse.Rejected> rejections = new ArrayList<>();
    private long lastRequestNumber;

    VotingTestClient(Ed25519KeyPair key, Membership membership, Supplier<List<ReplicaNode>> replicas) {
        this.key = key;
        this.membership = membership;
        this.replicas = replicas;
        this.signer = new MessageSigner(key.signer(), codec);
        this.replicaKeys = PairwiseKeys.ofClient(key.signer());
    }

    PublicKey clientId() {
        return key.publicKey();
    }

    /** The envelope of a request signed by this client (without sending it). */
    Bytes envelope(long requestNumber, Bytes operation) {
        Signed<ClientRequest> request =
                signer.sign(new ClientRequest(key.publicKey(), requestNumber, operation, false));
        return codec.encodeEnvelope(new Envelope.MessageEnvelope(request));
    }

    /** Orders and executes {@code operation}; returns the result f+1 replicas agreed on. */
    Bytes execute(Bytes operation) {
        long requestNumber = ++lastRequestNumber;
        Bytes envelope = envelope(requestNumber, operation);
        Bytes result = await(requestNumber, envelope);
        outcomes.add(new Outcome(key.publicKey(), requestNumber, operation, result));
        return result;
    }

    /** Submits an already signed envelope for {@code requestNumber} and waits for f+1 matching replies. */
    Bytes await(long requestNumber, Bytes envelope) {
        BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
        Map<Integer, Bytes> resultByReplica = new HashMap<>();
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        while (System.nanoTime() < giveUp) {
            for (ReplicaNode node : replicas.get()) {
                int replicaId = node.replicaId();
                node.submit(envelope).whenComplete((response, failure) ->
                        answers.add(new Answer(replicaId, response, failure)));
            }
            long roundEnd = System.nanoTime() + ROUND.toNanos();
            while (System.nanoTime() < roundEnd) {
                Answer answer = poll(answers, roundEnd - System.nanoTime());
                if (answer == null) {
                    break;
                }
                if (answer.response() instanceof ClientResponse.Rejected rejected) {
                    rejections.add(rejected);
                } else if (answer.response() instanceof ClientResponse.Replied replied) {
                    verifiedReply(replied.replyEnvelope(), requestNumber)
                            .ifPresent(reply -> resultByReplica.putIfAbsent(reply.replicaId(), reply.result()));
                    Optional<Bytes> agreed = agreed(resultByReplica);
                    if (agreed.isPresent()) {
                        return agreed.get();
                    }
                }
            }
        }
        throw new AssertionError("client " + key.publicKey() + " request " + requestNumber + ": only "
                + resultByReplica.size() + " verified replies, from replicas " + resultByReplica.keySet()
                + "; rejections " + rejections);
    }

    /** The reply inside {@code bytes} if it is a reply to this client's request, authenticated by its replica. */
    Optional<Reply> verifiedReply(Bytes bytes, long requestNumber) {
        DecodeResult decoded = codec.decodeEnvelope(bytes);
        if (!(decoded instanceof DecodeResult.Decoded ok
                && ok.envelope() instanceof Envelope.MessageEnvelope single
                && single.message().body() instanceof Reply reply)) {
            return Optional.empty();
        }
        boolean forMe = reply.clientId().equals(key.publicKey()) && reply.requestNumber() == requestNumber;
        boolean signed = membership.keyOf(reply.replicaId())
                .flatMap(replicaKeys::with)
                .map(shared -> shared.checkReply(single.message().encoded(), single.message().signature()))
                .orElse(false);
        return forMe && signed ? Optional.of(reply) : Optional.empty();
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    List<ClientResponse.Rejected> rejections() {
        return List.copyOf(rejections);
    }

    long lastRequestNumber() {
        return lastRequestNumber;
    }

    private Optional<Bytes> agreed(Map<Integer, Bytes> resultByReplica) {
        Map<Bytes, Integer> votes = new HashMap<>();
        for (Bytes result : resultByReplica.values()) {
            if (votes.merge(result, 1, Integer::sum) >= membership.weakQuorum()) {
                return Optional.of(result);
            }
        }
        return Optional.empty();
    }

    private static Answer poll(BlockingQueue<Answer> answers, long nanos) {
        try {
            return answers.poll(Math.max(nanos, 0), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
