package io.concordat.wire;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Real signed messages of every kind, built with real keys, for the wire tests. */
final class WireFixtures {
    static final ProtobufCodec CODEC = new ProtobufCodec(WireLimits.defaults());
    static final Ed25519KeyPair REPLICA_KEYS = Ed25519KeyPair.fromSeed(seed(100));
    static final Ed25519KeyPair CLIENT_KEYS = Ed25519KeyPair.fromSeed(seed(200));
    static final MessageSigner REPLICA = new MessageSigner(REPLICA_KEYS.signer(), CODEC);
    static final MessageSigner CLIENT = new MessageSigner(CLIENT_KEYS.signer(), CODEC);
    static final PublicKey CLIENT_ID = CLIENT_KEYS.publicKey();
    static final Digest DIGEST = Sha256.of(Bytes.ofUtf8("batch"));

    private WireFixtures() {}

    /** One of each body type, including boundary values (zero, the largest allowed, empty bytes). */
    static List<Signable> everyBodyType() {
        return List.of(
                new ClientRequest(CLIENT_ID, 1, Bytes.ofUtf8("put x 1"), false),
                new ClientRequest(CLIENT_ID, Long.MAX_VALUE, Bytes.EMPTY, true),
                new PrePrepare(3, 17, DIGEST, 0),
                new Prepare(3, 17, DIGEST, 2),
                new Prepare(0, 0, DIGEST, 0),
                new Prepare(Long.MAX_VALUE, Long.MAX_VALUE, DIGEST, Integer.MAX_VALUE),
                new Commit(3, 17, DIGEST, 1),
                new Checkpoint(128, DIGEST, 3),
                new Checkpoint(0, DIGEST, 0),
                new Reply(3, CLIENT_ID, 9, Bytes.ofUtf8("ok"), false, 2),
                new Reply(0, CLIENT_ID, 1, Bytes.EMPTY, true, 0),
                new Status(3, 120, 100, 1),
                new Status(0, 0, 0, 0),
                new io.concordat.protocol.message.StateRequest(256, DIGEST, 3, 2),
                new io.concordat.protocol.message.StateChunk(256, DIGEST, 3, 7, Bytes.ofUtf8("state"), 1),
                new io.concordat.protocol.message.StateChunk(0, DIGEST, 0, 1, Bytes.EMPTY, 0));
    }

    static Signed<ClientRequest> clientRequest(long requestNumber, int operationBytes) {
        byte[] operation = new byte[operationBytes];
        new SplittableRandom(requestNumber).nextBytes(operation);
        return CLIENT.sign(new ClientRequest(CLIENT_ID, requestNumber, Bytes.wrap(operation), false));
    }

    static Envelope.PrePrepareEnvelope prePrepareEnvelope(int requests) {
        List<Signed<ClientRequest>> batch = new ArrayList<>();
        for (int index = 0; index < requests; index++) {
            batch.add(clientRequest(index + 1, 10 * index));
        }
        Batch requestsBatch = new Batch(batch);
        Signed<PrePrepare> prePrepare = REPLICA.sign(new PrePrepare(5, 40, requestsBatch.digest(), 1));
        return new Envelope.PrePrepareEnvelope(prePrepare, requestsBatch);
    }

    static Envelope.MessageEnvelope prepareEnvelope() {
        return new Envelope.MessageEnvelope(REPLICA.sign(new Prepare(5, 40, DIGEST, 2)));
    }

    static Bytes seed(long value) {
        byte[] seed = new byte[32];
        new SplittableRandom(value).nextBytes(seed);
        return Bytes.wrap(seed);
    }

    static Bytes signature() {
        return Bytes.wrap(new byte[64]);
    }
}
