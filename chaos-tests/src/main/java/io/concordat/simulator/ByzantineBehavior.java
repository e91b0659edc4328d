package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import java.util.List;

/**
 * What a Byzantine replica does to the messages its (correct) core produces. The core runs unchanged;
 * only its output is rewritten, re-signed with the Byzantine replica's own key where the behaviour
 * needs a valid signature. It never has another replica's private key.
 */
interface ByzantineBehavior {

    /**
     * The encoded envelopes to put on the network instead of {@code envelope}, all addressed to
     * {@code destinationNode}: none to stay silent, one to pass or alter it, more to add noise.
     */
    List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context);
}
