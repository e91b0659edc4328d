package io.concordat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.endpoint.RequestHandler;
import io.concordat.endpoint.SubmitOutcome;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AllowedClientsTest {
    private static final ProtobufCodec CODEC = new ProtobufCodec(WireLimits.defaults());
    private static final Ed25519KeyPair ALICE = Ed25519KeyPair.fromSeed(Bytes.fromHex("01".repeat(32)));
    private static final Ed25519KeyPair MALLORY = Ed25519KeyPair.fromSeed(Bytes.fromHex("02".repeat(32)));
    private static final SubmitOutcome REPLIED = new SubmitOutcome.Replied(Bytes.ofUtf8("reply"));

    private final List<Bytes> forwarded = new ArrayList<>();
    private final RequestHandler replica = envelope -> {
        forwarded.add(envelope);
        return CompletableFuture.completedFuture(REPLIED);
    };

    private static Bytes request(Ed25519KeyPair client) {
        var signed = new MessageSigner(client.signer(), CODEC).sign(new ClientRequest(client.publicKey(), 1,
                Bytes.ofUtf8("op"), false));
        return CODEC.encodeEnvelope(new Envelope.MessageEnvelope(signed));
    }

    @Test
    void anEmptyListLetsEveryClientInWithoutAFilter() {
        assertSame(replica, AllowedClients.inFrontOf(replica, Set.of(), WireLimits.defaults()));
    }

    @Test
    void aListedClientReachesTheReplica() throws Exception {
        RequestHandler filter = AllowedClients.inFrontOf(replica, Set.of(ALICE.publicKey()), WireLimits.defaults());

        assertEquals(REPLIED, filter.submit(request(ALICE)).toCompletableFuture().get());
        assertEquals(List.of(request(ALICE)), forwarded);
    }

    @Test
    void anUnlistedClientIsRefusedAndNothingReachesTheReplica() throws Exception {
        RequestHandler filter = AllowedClients.inFrontOf(replica, Set.of(ALICE.publicKey()), WireLimits.defaults());

        var refused = (SubmitOutcome.Refused) filter.submit(request(MALLORY)).toCompletableFuture().get();

        assertEquals(SubmitOutcome.Refusal.BAD_SIGNATURE, refused.refusal());
        assertTrue(refused.detail().contains(MALLORY.publicKey().encoded().toHex()), refused.detail());
        assertTrue(refused.detail().contains("allowed-client-keys"), refused.detail());
        assertEquals(List.of(), forwarded);
    }

    @Test
    void bytesThatAreNotARequestGoOnForTheReplicaToRefuse() throws Exception {
        RequestHandler filter = AllowedClients.inFrontOf(replica, Set.of(ALICE.publicKey()), WireLimits.defaults());

        filter.submit(Bytes.ofUtf8("garbage")).toCompletableFuture().get();

        assertEquals(List.of(Bytes.ofUtf8("garbage")), forwarded);
    }
}
