package io.concordat.endpoint;

import io.concordat.common.Bytes;
import java.util.concurrent.CompletionStage;

/**
 * Where the {@link ClientEndpoint} hands a client's request once it passed the endpoint's own checks (size,
 * content type, decoding, message type and, when enabled, the client's signature). The node wires this to
 * its replica; tests wire it to whatever they need.
 *
 * <p>The stage completes with the replica's authenticated reply or with a {@link SubmitOutcome.Refused}. If it
 * does not complete within {@link ClientEndpointSettings#replyWait()}, the endpoint answers 504 and stops
 * waiting; a stage that fails with a {@link java.util.concurrent.TimeoutException} is treated the same way,
 * and any other failure becomes a 500. Implementations must be thread-safe: the endpoint calls them from
 * many threads at once.
 */
@FunctionalInterface
public interface RequestHandler {

    /**
     * @param requestEnvelope the serialized {@code Envelope} exactly as the client sent it; it decodes to one
     *     signed {@code ClientRequest}
     */
    CompletionStage<SubmitOutcome> submit(Bytes requestEnvelope);
}
