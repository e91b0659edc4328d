package io.concordat.client;

import io.concordat.common.Bytes;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Carries request envelopes to replicas' client endpoints and brings back what each answered. What comes
 * back is not checked here: a reply's bytes go to {@link ReplyCheck} only if the request still needs the
 * vote. Implementations are thread-safe, and the stages they return never fail.
 */
interface ReplicaTransport extends AutoCloseable {

    /** What one replica sent back for one request. */
    sealed interface Delivery {
        /** A reply envelope, as received: {@link ReplyCheck} decides whether it is a vote. */
        record ReplyBytes(Bytes envelope) implements Delivery {
            public ReplyBytes {
                Objects.requireNonNull(envelope, "envelope");
            }
        }

        /** Anything else: an error from the endpoint, or no answer at all. */
        record Answered(ReplicaAnswer answer) implements Delivery {
            public Answered {
                Objects.requireNonNull(answer, "answer");
            }
        }
    }

    /** One exchange in flight: what comes back, and a way to abandon it. */
    record Exchange(CompletableFuture<Delivery> delivery, Runnable cancel) {}

    Exchange send(int replicaId, Bytes envelope);

    /** Stops; exchanges still in flight complete as unreachable. */
    @Override
    void close();
}
