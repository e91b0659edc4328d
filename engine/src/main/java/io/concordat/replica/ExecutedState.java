package io.concordat.replica;

import io.concordat.crypto.Digest;
import java.util.Objects;

/**
 * The application state a replica reached, read in one step so the two values belong together.
 *
 * @param lastExecutedSequence the last sequence number whose batch the application executed
 * @param applicationStateDigest {@link io.concordat.app.StateMachine#stateDigest()} after it
 */
public record ExecutedState(long lastExecutedSequence, Digest applicationStateDigest) {
    public ExecutedState {
        Objects.requireNonNull(applicationStateDigest, "applicationStateDigest");
    }
}
