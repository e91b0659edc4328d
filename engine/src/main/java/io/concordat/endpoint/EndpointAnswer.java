package io.concordat.endpoint;

import io.concordat.common.Bytes;
import java.util.Objects;

/** What the endpoint answers one client request with, whether it came as an HTTP exchange or on the stream. */
sealed interface EndpointAnswer {

    /** The replica's authenticated reply envelope, sent to the client unchanged. */
    record Replied(Bytes replyEnvelope) implements EndpointAnswer {
        public Replied {
            Objects.requireNonNull(replyEnvelope, "replyEnvelope");
        }
    }

    /** A refusal, with the code and text the client receives. */
    record Failed(EndpointError error) implements EndpointAnswer {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
