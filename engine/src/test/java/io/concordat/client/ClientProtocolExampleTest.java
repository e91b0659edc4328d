package io.concordat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import org.junit.jupiter.api.Test;

/**
 * The worked example of docs/client-protocol.md ("A request, byte by byte"): if this test fails, the
 * document no longer describes what the Java client sends, and must be updated with it.
 */
class ClientProtocolExampleTest {
    private static final String SEED = "0101010101010101010101010101010101010101010101010101010101010101";
    private static final String PUBLIC_KEY = "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c";
    private static final String BODY = "0a2b0a20" + PUBLIC_KEY + "10011a0568656c6c6f";
    private static final String SIGNATURE = "8c2a8cf881fee512cb13a3060b807b52af16465bb6751232dea6195d323b7870"
            + "df9dcd74169b9972a258958b8abeb60b0da0a81468425397839b94dc11a50e06";
    private static final String ENVELOPE = "080112710a2d" + BODY + "1240" + SIGNATURE;

    @Test
    void theDocumentedBytesAreWhatTheClientSends() {
        var codec = new ProtobufCodec(WireLimits.defaults());
        var keys = Ed25519KeyPair.fromSeed(Bytes.fromHex(SEED));
        var signed = new MessageSigner(keys.signer(), codec)
                .sign(new ClientRequest(keys.publicKey(), 1, Bytes.ofUtf8("hello"), false));

        assertEquals(PUBLIC_KEY, keys.publicKey().encoded().toHex());
        assertEquals(BODY, signed.encoded().toHex());
        assertEquals(SIGNATURE, signed.signature().toHex());
        assertEquals(ENVELOPE, codec.encodeEnvelope(new Envelope.MessageEnvelope(signed)).toHex());
        assertTrue(new Ed25519Verifier().verify(keys.publicKey(), Bytes.fromHex(BODY), Bytes.fromHex(SIGNATURE)));
    }
}
